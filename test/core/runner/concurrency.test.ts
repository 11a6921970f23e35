import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { bash, gitOut, makeRepo, say, scripted, startRunnerHarness, write, type RunnerHarness } from './support';

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

describe('the queue', () => {
  it('runs five tasks with a concurrency of three: never more than three at once, all finish, costs add up', async () => {
    rh.h.core.settings.update({ concurrency: 3 });
    rh.h.anthropic.setResponder(scripted((cwd) => [write('work.txt', `${path.basename(cwd)}\n`), bash('ls'), say('Done.')], { delayMs: 150 }));
    const live = new Map<string, string>();
    let most = 0;
    let mostHeld = 0;
    const stop = rh.h.core.events.subscribe((e) => {
      if (e.type !== 'task') return;
      live.set(e.task.id, e.task.state);
      most = Math.max(most, [...live.values()].filter((s) => s === 'starting' || s === 'running').length);
      mostHeld = Math.max(mostHeld, rh.runner.runningCount());
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = rh.runner.dispatch({ prompt: `Task ${i}`, project: repo });
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.id);
    }
    const rows = await Promise.all(ids.map((id) => rh.waitFor(id, ['done', 'failed', 'paused', 'cancelled'], { timeoutMs: 90_000 })));
    stop();
    expect(rows.map((r) => r.state), `errors: ${JSON.stringify(rows.map((r) => r.error))}`).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(most).toBe(3);
    expect(mostHeld).toBeLessThanOrEqual(3);

    for (const id of ids) expect(gitOut(repo, 'show', `sluice/${id}:work.txt`)).toBe(`${id}\n`);
    const perTask = rows.reduce((s, r) => s + r.costMicros, 0);
    expect(perTask).toBeGreaterThan(0);
    // Nothing else ran in this host: the day's spend is exactly the five tasks'.
    expect(rh.h.core.enforcer.status().spentMicros).toBe(perTask);
    const engine = ids.reduce((s, id) => s + (rh.runner.detail(id)?.engineCostMicros ?? 0), 0);
    const requests = rh.h.core.queries.requests({ limit: 1000 }).length;
    expect(Math.abs(engine - perTask)).toBeLessThanOrEqual(requests);
  }, 120_000);

  it('starts waiting tasks in priority order: high, then normal, then low', async () => {
    rh.h.core.settings.update({ concurrency: 1 });
    rh.h.anthropic.setResponder(scripted(() => [say('Done.')]));
    const first: string[] = [];
    const stop = rh.h.core.events.subscribe((e) => {
      if (e.type === 'task' && e.task.state === 'starting' && !first.includes(e.task.id)) first.push(e.task.id);
    });
    const low = rh.runner.dispatch({ prompt: 'low', project: repo, priority: 'low' });
    const normal = rh.runner.dispatch({ prompt: 'normal', project: repo });
    const high = rh.runner.dispatch({ prompt: 'high', project: repo, priority: 'high' });
    if (!low.ok || !normal.ok || !high.ok) throw new Error('dispatch failed');
    await rh.waitFor(low.value.id, ['done', 'failed'], { timeoutMs: 90_000 });
    stop();
    expect(first).toEqual([high.value.id, normal.value.id, low.value.id]);
  }, 120_000);
});
