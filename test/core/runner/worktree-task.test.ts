import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { bash, gitOut, makeRepo, say, scripted, startRunnerHarness, write, type RunnerHarness } from './support';

let rh: RunnerHarness;
let repo: string;

beforeAll(async () => {
  rh = await startRunnerHarness();
  repo = makeRepo({ 'README.md': '# demo\n', 'src/app.ts': 'export const x = 1;\n' });
});
afterAll(async () => {
  await rh.close();
  fs.rmSync(repo, { recursive: true, force: true });
});

describe('a task in a git repository', () => {
  it('edits on its own branch sluice/<id>, never in the checkout; every request is attributed; cost equals total_cost_usd', async () => {
    rh.h.anthropic.setResponder(scripted(() => [write('notes.txt', 'from the agent\n'), bash('git status'), say('Added notes.txt.')]));
    const r = rh.runner.dispatch({ prompt: 'Add a notes file', project: repo });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const id = r.value.id;
    const done = await rh.waitFor(id, ['done', 'failed', 'paused', 'cancelled']);
    expect(done.error).toBeNull();
    expect(done.state).toBe('done');

    // The checkout is untouched; the branch holds the edit.
    expect(fs.existsSync(path.join(repo, 'notes.txt'))).toBe(false);
    expect(gitOut(repo, 'status', '--porcelain')).toBe('');
    expect(gitOut(repo, 'show', `sluice/${id}:notes.txt`)).toBe('from the agent\n');
    const detail = rh.runner.detail(id);
    expect(detail?.worktree).not.toBeNull();
    expect(detail?.worktree?.startsWith(repo)).toBe(false);

    // Every request of the task's agent carries the task, and the task's cost is the sum of them.
    const rows = rh.h.core.queries.requests({ agent: `task-${id}`, limit: 100 });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((x) => x.taskId === id && x.status === 'ok')).toBe(true);
    expect(new Set(rows.map((x) => x.session))).toEqual(new Set([detail?.sessionId]));
    const sum = rows.reduce((s, x) => s + x.costMicros, 0);
    expect(done.costMicros).toBe(sum);
    expect(done.tokens.cacheRead + done.tokens.cacheWrite5m + done.tokens.input).toBeGreaterThan(0);
    // Claude Code's own figure agrees to within a micro-dollar per request.
    expect(detail?.engineCostMicros).not.toBeNull();
    expect(Math.abs((detail?.engineCostMicros ?? 0) - sum)).toBeLessThanOrEqual(rows.length);

    expect(done.turns).toBeGreaterThanOrEqual(3);
    expect(done.branch).toBe(`sluice/${id}`);
    expect(done.elapsedMs).toBeGreaterThan(0);
    const states = rh.events.filter((e) => e.id === id).map((e) => e.state);
    expect(states.indexOf('starting')).toBeLessThan(states.indexOf('running'));
    expect(states.at(-1)).toBe('done');

    const diff = await rh.runner.diff(id);
    expect(diff.ok && diff.value.files).toEqual([{ path: 'notes.txt', added: 1, removed: 0 }]);
  }, 90_000);
});
