import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCoreApi } from '../../../electron/core/api/core-api';
import { runnerPort } from '../../../electron/core/runner/port';
import { Runner } from '../../../electron/core/runner/runner';
import { newTaskId } from '../../../electron/core/runner/ids';
import type { CoreEvent, Result, SluiceApi, TaskState, Tier } from '../../../shared/contract';
import { startHarness, type Harness } from '../../support/harness';

let h: Harness;
let runner: Runner;
let api: SluiceApi;
let project: string;
const events: CoreEvent[] = [];

beforeAll(async () => {
  h = await startHarness();
  // A runner that keeps its queue but starts nothing (no agent slots): these tests are about routing.
  runner = new Runner(h.core, { gatewayUrl: h.host.url, concurrency: 0 });
  api = createCoreApi(h.core, { runner: runnerPort(runner) });
  project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-overrides-')));
  h.core.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await runner.stop();
  await h.close();
  fs.rmSync(project, { recursive: true, force: true });
});

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A task that already ran: queued through the store, then moved to its final state. */
function ranTask(prompt: string, tier: Tier, state: TaskState = 'done'): string {
  const id = newTaskId();
  const models: Record<Tier, string> = { local: 'ollama/qwen3-coder:30b', fast: 'claude-haiku-4-5', strong: 'claude-sonnet-4-6' };
  runner.store.insert({ id, prompt, project, priority: 'low', tier, model: models[tier], routeReason: `${tier}: test`, capMicros: 3_000_000, sessionId: `s-${id}`, isolation: 'in_place' });
  runner.store.update(id, { state, finishedAt: new Date().toISOString() });
  return id;
}

describe('retryTask through the contract', () => {
  it('queues the same work on the strong tier, linked both ways, and counts the original as a weak-tier failure once', async () => {
    const original = ranTask('Rename the config loader to settings loader', 'fast');
    const before = h.core.outcomes.count();
    const retry = value(await api.retryTask({ id: original }));
    expect(retry).toMatchObject({ state: 'queued', tier: 'strong', model: h.core.settings.get().routing.tiers.strong, prompt: 'Rename the config loader to settings loader', project, priority: 'low', capMicros: 3_000_000, retryOf: original, retriedBy: null });
    expect(retry.routeReason).toBe(`strong: retry of ${original}, which ran on the fast tier`);
    expect(runner.row(original)?.retriedBy).toBe(retry.id);
    // The UI hears about both rows: the new task and the original's new link.
    expect(events.some((e) => e.type === 'task' && e.task.id === original && e.task.retriedBy === retry.id)).toBe(true);
    expect(value(await api.getOverview()).tasks.find((t) => t.id === retry.id)?.retryOf).toBe(original);
    expect(h.core.outcomes.count()).toBe(before + 1);

    const again = value(await api.retryTask({ id: original.slice(0, 8) }));
    expect(again.retryOf).toBe(original);
    expect(runner.row(original)?.retriedBy).toBe(again.id);
    expect(h.core.outcomes.count()).toBe(before + 1);
  });

  it('retries a local-tier task on the fast tier when asked, and refuses what cannot be retried', async () => {
    const local = ranTask('Format the code with prettier', 'local', 'cancelled');
    expect(value(await api.retryTask({ id: local, tier: 'fast' }))).toMatchObject({ tier: 'fast', retryOf: local });
    const fast = ranTask('Fix the typo in the README', 'fast', 'failed');
    expect(await api.retryTask({ id: fast, tier: 'fast' })).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringContaining('stronger') } });
    expect(await api.retryTask({ id: ranTask('Design the plugin API', 'strong') })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('already ran on the strong tier') } });
    expect(await api.retryTask({ id: ranTask('Rename x', 'fast', 'running') })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await api.retryTask({ id: 'tnothere' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await createCoreApi(h.core).retryTask({ id: fast })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

describe('retries teach the router', () => {
  // A ledger of its own: what this measures must not depend on outcomes other tests left behind.
  let h2: Harness;
  let r2: Runner;
  beforeAll(async () => {
    h2 = await startHarness();
    r2 = new Runner(h2.core, { gatewayUrl: h2.host.url, concurrency: 0 });
  });
  afterAll(async () => {
    await r2.stop();
    await h2.close();
  });

  it('after retries, similar prompts look less likely to succeed on the weak tier', async () => {
    const api2 = createCoreApi(h2.core, { runner: runnerPort(r2) });
    const prompt = (i: number) => `Tidy the error handling in the billing exporter number ${i}`;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = newTaskId();
      r2.store.insert({ id, prompt: prompt(i), project, priority: 'normal', tier: 'fast', model: 'claude-haiku-4-5', routeReason: 'fast: test', capMicros: null, sessionId: `s-${id}`, isolation: 'in_place' });
      r2.store.update(id, { state: 'done', finishedAt: new Date().toISOString() });
      ids.push(id);
      // What the runner records when a task finishes (runner/start.ts).
      h2.core.outcomes.record({ prompt: prompt(i), tier: 'weak', succeeded: true, at: i, taskId: id, source: 'finished' });
    }
    const before = h2.core.outcomes.odds(prompt(42))?.weakCorrect ?? -1;
    for (const id of ids) value(await api2.retryTask({ id }));
    const after = h2.core.outcomes.odds(prompt(42))?.weakCorrect ?? -1;
    expect(h2.core.outcomes.count()).toBe(6);
    expect(before).toBeGreaterThan(0.5);
    expect(after).toBeLessThan(0.5);
    expect(after).toBeLessThan(before - 0.2);
  });
});

describe('per-project tiers through the contract', () => {
  it('stores the folder’s real path, refuses a folder that does not exist, and the preview gives the override’s reason', async () => {
    const link = path.join(os.tmpdir(), `sluice-link-${process.pid}`);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(project, link);
    try {
      const saved = value(await api.updateSettings({ routing: { projects: { [`${link}/`]: { tier: 'fast' } } } }));
      expect(saved.routing.projects).toEqual({ [project]: { tier: 'fast' } });
      expect(await api.updateSettings({ routing: { projects: { ...saved.routing.projects, '/definitely/not/here': { tier: 'strong' } } } })).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringContaining('does not exist') } });
      expect(await api.updateSettings({ routing: { projects: { [project]: { tier: 'local' } } } })).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringContaining('no local model') } });

      const preview = value(await api.previewDispatch({ prompt: 'Debug the crash in the scheduler', project: link }));
      expect(preview).toMatchObject({ tier: 'fast', model: h.core.settings.get().routing.tiers.fast });
      expect(preview.reason).toMatch(/^fast: project override \(.+\)$/);
      expect(value(await api.previewDispatch({ prompt: 'Debug the crash in the scheduler', project, tier: 'strong' })).tier).toBe('strong');
      const task = value(await api.dispatchTask({ prompt: 'Debug the crash in the scheduler', project }));
      expect(task).toMatchObject({ tier: 'fast', routeReason: preview.reason });

      // Removing an entry is a patch without it.
      expect(value(await api.updateSettings({ routing: { projects: {} } })).routing.projects).toEqual({});
      expect(value(await api.previewDispatch({ prompt: 'Debug the crash in the scheduler', project })).reason).toBe('strong: debugging');
    } finally {
      fs.rmSync(link, { force: true });
    }
  });
});
