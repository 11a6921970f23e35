import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SluiceApi, TaskRow } from '../../../shared/contract';
import { BatchCoordinator } from '../../../electron/core/coordinator/batches';
import { Runner } from '../../../electron/core/runner/runner';
import { runnerPort } from '../../../electron/core/runner/port';
import { createCoreApi } from '../../../electron/core/api/core-api';
import { BATCH_DELAY_MS, batchHarness, ledgerRows, manualClock, type ManualClock } from '../coordinator/batches/support';
import type { Harness } from '../../support/harness';

let clock: ManualClock;
let h: Harness;
let project: string;
let runner: Runner;
let batches: BatchCoordinator;
let api: SluiceApi;
let events: TaskRow[];

beforeEach(async () => {
  clock = manualClock('2026-03-02T12:00:00Z');
  h = await batchHarness(clock);
  project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-deferrable-runner-')));
  batches = new BatchCoordinator(h.core, clock);
  runner = new Runner(h.core, {
    gatewayUrl: h.host.url,
    pollMs: 20,
    batches,
    context: { brief: async () => ({ text: 'src/index.ts: the entry point', tokens: 4_000, files: ['src/index.ts'] }) },
  }).start();
  api = createCoreApi(h.core, { runner: runnerPort(runner) });
  events = [];
  h.core.events.subscribe((e) => {
    if (e.type === 'task') events.push(e.task);
  });
});
afterEach(async () => {
  await runner.stop();
  await h.close();
  fs.rmSync(project, { recursive: true, force: true });
});

async function until(id: string, state: TaskRow['state']): Promise<TaskRow> {
  await vi.waitFor(() => expect(runner.row(id)?.state).toBe(state), { timeout: 5_000 });
  return runner.row(id) as TaskRow;
}

describe('deferrable tasks through the contract and the runner', () => {
  it('preview at half the synchronous price and say when they are submitted', async () => {
    const input = { prompt: 'Write docstrings for every exported function', project, tier: 'strong' as const };
    const agentRun = await api.previewDispatch(input);
    const now = await api.previewDispatch({ ...input, deferrable: true });
    if (!now.ok || !agentRun.ok) throw new Error('no preview');
    expect(now.value).toMatchObject({ tier: 'strong', model: 'claude-sonnet-5-5', contextTokens: 4_000, batch: { submit: 'now', note: expect.stringMatching(/^Submitted now at 50 % off; the answer comes within 24 h/) } });
    const { estimatedCostMicros: half, batch } = now.value;
    // Each end of the range is half the same request sent at once (rounded up to a micro-dollar).
    for (const end of ['low', 'high'] as const) expect(Math.abs(half[end] * 2 - batch!.syncCostMicros[end])).toBeLessThanOrEqual(1);
    expect(half.low).toBeLessThan(half.high);
    // One request, not an agent's session of many: far below the agent run's estimate.
    expect(agentRun.value.batch).toBeUndefined();
    expect(half.low).toBeLessThan(agentRun.value.estimatedCostMicros.low);

    h.core.settings.update({ offPeak: { start: '22:00', end: '06:00' } });
    const later = await api.previewDispatch({ ...input, deferrable: true });
    expect(later).toMatchObject({ ok: true, value: { batch: { submit: 'off-peak', note: 'Submitted in the off-peak window 22:00–06:00 (UTC) at 50 % off; the answer comes within 24 h of that.' } } });
    expect(await api.previewDispatch({ ...input, deferrable: true, tier: 'local' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('dispatch, wait, run in a batch and finish with an answer readable through getTaskAnswer', async () => {
    h.anthropic.setResponder(() => ({ type: 'message', text: 'Docstrings:\n/** Starts the app. */' }));
    const d = await api.dispatchTask({ prompt: 'Write docstrings for src/index.ts', project, deferrable: true, tier: 'fast' });
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value).toMatchObject({ state: 'queued', deferrable: true, branch: null });
    const id = d.value.id;
    await vi.waitFor(() => expect(runner.row(id)?.currentStep).toBe('waiting to be submitted'), { timeout: 5_000 });
    expect(await api.getTaskAnswer({ id })).toEqual({ ok: true, value: { id, state: 'queued', text: null } });

    await batches.tick();
    await until(id, 'running');
    // "submitting" while the coordinator creates the batch, then the batch's id.
    await vi.waitFor(() => expect(runner.row(id)?.currentStep).toMatch(/^submitted in batch msgbatch_/), { timeout: 5_000 });
    clock.t += BATCH_DELAY_MS;
    await batches.tick();
    const done = await until(id, 'done');
    expect(done).toMatchObject({ deferrable: true, contextTokens: 4_000, contextFiles: ['src/index.ts'], error: null });
    expect(done.costMicros).toBe(ledgerRows(h.core)[0]?.cost_micros);
    expect(done.costMicros).toBeGreaterThan(0);
    expect(await api.getTaskAnswer({ id })).toEqual({ ok: true, value: { id, state: 'done', text: 'Docstrings:\n/** Starts the app. */' } });
    // The UI heard each step as a task event.
    const seen = events.filter((t) => t.id === id).map((t) => t.state);
    expect(seen[0]).toBe('queued');
    expect(seen).toContain('running');
    expect(seen.at(-1)).toBe('done');
    // Pause-all leaves deferrable work alone; it cannot pause.
    expect(await api.controlTask({ id, action: 'pause' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('never starts Claude Code or a worktree for a deferrable task', async () => {
    const d = await api.dispatchTask({ prompt: 'List the public API of src/', project, deferrable: true });
    if (!d.ok) throw new Error(d.error.message);
    await vi.waitFor(() => expect(runner.row(d.value.id)?.currentStep).toBe('waiting to be submitted'), { timeout: 5_000 });
    expect(runner.runningCount()).toBe(0);
    expect(runner.detail(d.value.id)).toMatchObject({ worktree: null, sessionId: expect.any(String), turns: 0 });
    expect(h.anthropic.requests.filter((r) => r.path === '/v1/messages')).toEqual([]);
  });
});
