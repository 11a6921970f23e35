import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { isMainLoop, makeRepo, say, scripted, startRunnerHarness, toolTurns, write, type RunnerHarness } from './support';
import type { FakeReply, RecordedRequest } from '../../fakes/anthropic';

let rh: RunnerHarness;
let repo: string;

beforeAll(async () => {
  rh = await startRunnerHarness();
  repo = makeRepo();
});
afterAll(async () => {
  await rh.close();
  fs.rmSync(repo, { recursive: true, force: true });
});
beforeEach(() => {
  rh.h.core.settings.update({ dailyBudgetUsd: null, policy: 'reject' });
});

const spentUsd = () => rh.h.core.enforcer.status().spentMicros / 1e6;

function raiseBudget(usd: number): void {
  const r = rh.h.core.settings.update({ dailyBudgetUsd: usd });
  if (r.ok) rh.h.core.events.emit({ type: 'settings', settings: { ...r.value, hasApiKey: true } });
}

describe('budget pauses', () => {
  it('pauses at the turn boundary when the daily budget runs out mid-task, and resumes the same session when it is raised', async () => {
    const served: number[] = [];
    const script = scripted(() => [write('a.txt', 'first\n'), write('b.txt', 'second\n'), say('Both files written.')]);
    rh.h.anthropic.setResponder((req: RecordedRequest): FakeReply => {
      if (isMainLoop(req)) {
        served.push(toolTurns(req));
        // Other work spends the rest of the day's budget while this turn is in flight.
        if (toolTurns(req) === 0) rh.h.core.settings.update({ dailyBudgetUsd: spentUsd() + 0.000001 });
      }
      return script(req);
    });
    const r = rh.runner.dispatch({ prompt: 'Write a.txt and b.txt', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.id;

    const paused = await rh.waitFor(id, ['paused', 'done', 'failed']);
    expect(paused.state).toBe('paused');
    expect(paused.pausedReason).toBe('budget');
    expect(paused.error).toMatch(/Paused for budget: the daily budget of \$[\d.]+ is spent/);
    const worktree = rh.runner.detail(id)?.worktree as string;
    // Stopped between turns: the first edit is complete, the second never started.
    expect(fs.readFileSync(path.join(worktree, 'a.txt'), 'utf8')).toBe('first\n');
    expect(fs.existsSync(path.join(worktree, 'b.txt'))).toBe(false);
    expect(served).toEqual([0]);
    expect(rh.h.core.queries.requests({ agent: `task-${id}`, limit: 50 }).every((x) => x.status === 'ok')).toBe(true);

    // It stays paused while the budget is spent…
    await new Promise((res) => setTimeout(res, 300));
    expect(rh.runner.row(id)?.state).toBe('paused');

    raiseBudget(100);
    const done = await rh.waitFor(id, ['done', 'failed', 'paused'], { restarted: true });
    expect(done.state).toBe('done');
    expect(fs.readFileSync(path.join(worktree, 'b.txt'), 'utf8')).toBe('second\n');
    // No work redone: the first step was served once; the session continued.
    expect(served.filter((s) => s === 0)).toHaveLength(1);
    const rows = rh.h.core.queries.requests({ agent: `task-${id}`, limit: 50 });
    expect(new Set(rows.map((x) => x.session))).toEqual(new Set([rh.runner.detail(id)?.sessionId]));
    const states = rh.events.filter((e) => e.id === id).map((e) => `${e.state}${e.pausedReason ? `:${e.pausedReason}` : ''}`);
    expect(states).toContain('paused:budget');
    expect(states.at(-1)).toBe('done');
  }, 120_000);

  it('reads a 429 from the gateway for budget as a pause, not a failure, and resumes when the budget is raised', async () => {
    rh.h.anthropic.setResponder(scripted(() => [write('c.txt', 'third\n'), say('Done.')]));
    // Some budget is left, but less than the worst case of one request: the gateway refuses it.
    rh.h.core.settings.update({ dailyBudgetUsd: spentUsd() + 0.05 });
    const r = rh.runner.dispatch({ prompt: 'Write c.txt', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.id;
    const paused = await rh.waitFor(id, ['paused', 'done', 'failed']);
    expect(paused.state).toBe('paused');
    expect(paused.pausedReason).toBe('budget');
    expect(paused.error).toContain('could cost up to');
    expect(rh.h.core.queries.requests({ agent: `task-${id}`, limit: 50 }).map((x) => x.status)).toContain('rejected');

    raiseBudget(100);
    const done = await rh.waitFor(id, ['done', 'failed', 'paused'], { restarted: true });
    expect(done.state).toBe('done');
    expect(fs.readFileSync(path.join(rh.runner.detail(id)?.worktree as string, 'c.txt'), 'utf8')).toBe('third\n');
  }, 120_000);

  it("pauses a task whose own cap is too small, and resumes it when the user raises the cap", async () => {
    rh.h.anthropic.setResponder(scripted(() => [write('d.txt', 'fourth\n'), say('Done.')]));
    const r = rh.runner.dispatch({ prompt: 'Write d.txt', project: repo, capUsd: 0.01 });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.id;
    const paused = await rh.waitFor(id, ['paused', 'done', 'failed']);
    expect(paused).toMatchObject({ state: 'paused', pausedReason: 'budget', capMicros: 10_000 });
    expect(paused.error).toContain(`this task's cap of $0.01 is spent or too small`);
    expect(paused.costMicros).toBe(0);
    // Raising the daily budget does not help a task stopped by its own cap.
    raiseBudget(200);
    await new Promise((res) => setTimeout(res, 300));
    expect(rh.runner.row(id)?.state).toBe('paused');

    const resumed = rh.runner.control(id, 'resume', { capUsd: 5 });
    expect(resumed.ok).toBe(true);
    const done = await rh.waitFor(id, ['done', 'failed', 'paused'], { restarted: true });
    expect(done.state).toBe('done');
    expect(done.costMicros).toBeGreaterThan(0);
    expect(done.costMicros).toBeLessThanOrEqual(5_000_000);
  }, 120_000);

  it('fails (not pauses) a task when the upstream refuses for another reason', async () => {
    rh.h.anthropic.setResponder((req) => (isMainLoop(req) ? { type: 'error', status: 400, message: 'prompt is malformed' } : { type: 'message', text: 'Title' }));
    const r = rh.runner.dispatch({ prompt: 'Anything', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    const failed = await rh.waitFor(r.value.id, ['paused', 'done', 'failed']);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('prompt is malformed');
  }, 120_000);
});
