import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { isMainLoop, makeRepo, say, scripted, startRunnerHarness, toolTurns, write, type RunnerHarness } from './support';
import type { FakeReply, RecordedRequest } from '../../fakes/anthropic';
import type { ContextProvider } from '../../../electron/core/runner/context';
import { createCoreApi } from '../../../electron/core/api/core-api';
import { deferredRunnerPort, runnerPort } from '../../../electron/core/runner/port';

let rh: RunnerHarness;
let repo: string;
const briefs: { repo: string; task: string }[] = [];
const context: ContextProvider = {
  brief: async (input) => {
    briefs.push(input);
    return { text: 'src/app.ts exports x (the counter).', tokens: 9, files: ['src/app.ts'] };
  },
};

beforeAll(async () => {
  rh = await startRunnerHarness({ context });
  repo = makeRepo({ 'src/app.ts': 'export const x = 1;\n' });
});
afterAll(async () => {
  await rh.close();
  fs.rmSync(repo, { recursive: true, force: true });
});

describe('controlling a running task', () => {
  it('pauses at the next turn boundary when asked, and resume continues the same session', async () => {
    let id = '';
    const served: number[] = [];
    const script = scripted(() => [write('one.txt', '1\n'), write('two.txt', '2\n'), say('Done.')]);
    rh.h.anthropic.setResponder((req: RecordedRequest): FakeReply => {
      if (isMainLoop(req)) {
        served.push(toolTurns(req));
        if (toolTurns(req) === 0) expect(rh.runner.control(id, 'pause').ok).toBe(true);
      }
      return script(req);
    });
    const r = rh.runner.dispatch({ prompt: 'Write two files', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    id = r.value.id;
    const paused = await rh.waitFor(id, ['paused', 'done', 'failed']);
    expect(paused).toMatchObject({ state: 'paused', pausedReason: 'user' });
    const worktree = rh.runner.detail(id)?.worktree as string;
    expect(fs.existsSync(path.join(worktree, 'one.txt'))).toBe(true);
    expect(fs.existsSync(path.join(worktree, 'two.txt'))).toBe(false);

    expect(rh.runner.control(id, 'resume').ok).toBe(true);
    const done = await rh.waitFor(id, ['done', 'failed', 'paused'], { restarted: true });
    expect(done.state).toBe('done');
    expect(served.filter((s) => s === 0)).toHaveLength(1);
    expect(fs.readFileSync(path.join(worktree, 'two.txt'), 'utf8')).toBe('2\n');
    expect(new Set(rh.h.core.queries.requests({ agent: `task-${id}`, limit: 50 }).map((x) => x.session)).size).toBe(1);
  }, 120_000);

  it('cancels a task mid-request: the agent stops and nothing more is written', async () => {
    let id = '';
    rh.h.anthropic.setResponder((req: RecordedRequest): FakeReply => {
      if (!isMainLoop(req)) return { type: 'message', text: 'Title' };
      setTimeout(() => rh.runner.control(id, 'cancel'), 50);
      return { ...write('never.txt', 'x\n')('/nowhere'), delayMs: 30_000 } as FakeReply;
    });
    const r = rh.runner.dispatch({ prompt: 'Slow task', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    id = r.value.id;
    const cancelled = await rh.waitFor(id, ['cancelled', 'done', 'failed']);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.finishedAt).not.toBeNull();
    expect(fs.existsSync(path.join(rh.runner.detail(id)?.worktree as string, 'never.txt'))).toBe(false);
    // Its token is revoked with it.
    expect(rh.h.core.agents.get(`task-${id}`)?.revokedAt).not.toBeNull();
  }, 120_000);
});

describe('the context seam', () => {
  it('puts the provider\'s brief before a new task\'s prompt and records its size', async () => {
    rh.h.anthropic.setResponder(scripted(() => [say('Done.')]));
    const r = rh.runner.dispatch({ prompt: 'Bump the counter', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    const done = await rh.waitFor(r.value.id, ['done', 'failed']);
    expect(done.contextTokens).toBe(9);
    expect(done.contextFiles).toEqual(['src/app.ts']);
    expect(briefs.at(-1)?.task).toBe('Bump the counter');
    const first = rh.h.anthropic.requests.filter((q) => q.path === '/v1/messages' && isMainLoop(q)).at(-1);
    expect(first?.rawBody).toContain('<context_brief>\\nsrc/app.ts exports x (the counter).\\n</context_brief>\\n\\nBump the counter');
  }, 120_000);
});

describe('the contract through the runner port', () => {
  it('dispatches, lists and controls tasks through createCoreApi', async () => {
    rh.h.anthropic.setResponder(scripted(() => [say('Done.')]));
    const api = createCoreApi(rh.h.core, { runner: runnerPort(rh.runner) });
    const d = await api.dispatchTask({ prompt: 'Via the API', project: repo, priority: 'low' });
    if (!d.ok) throw new Error(d.error.message);
    await rh.waitFor(d.value.id, ['done', 'failed']);
    const overview = await api.getOverview();
    expect(overview.ok && overview.value.tasks.find((t) => t.id === d.value.id)?.state).toBe('done');
    const preview = await api.previewDispatch({ prompt: 'x', project: repo });
    expect(preview.ok && preview.value.estimatedCostMicros.high).toBeGreaterThan(preview.ok ? preview.value.estimatedCostMicros.low : 0);
    // The preview shows the brief the task would get (the provider here answers 9 tokens).
    expect(preview.ok && preview.value.contextTokens).toBe(9);
    const again = await api.controlTask({ id: d.value.id, action: 'resume' });
    expect(again.ok === false && again.error.code).toBe('conflict');
    const recent = await api.recentProjects();
    expect(recent.ok && recent.value[0]).toBe(repo);
    const bad = await api.dispatchTask({ prompt: 'x', project: '/definitely/not/here' });
    expect(bad.ok === false && bad.error.code).toBe('bad_input');
  }, 120_000);

  it('answers unavailable through a deferred port until the runner is bound', async () => {
    const port = deferredRunnerPort();
    const api = createCoreApi(rh.h.core, { runner: port });
    const before = await api.dispatchTask({ prompt: 'x', project: repo });
    expect(before.ok === false && before.error.code).toBe('unavailable');
    expect(port.list()).toEqual([]);
    port.bind(rh.runner);
    expect(port.list().length).toBeGreaterThan(0);
    const preview = await api.previewDispatch({ prompt: 'x', project: repo, tier: 'fast' });
    expect(preview.ok && preview.value.tier).toBe('fast');
  });
});
