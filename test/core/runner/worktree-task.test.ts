import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
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

  it('merges a finished branch into the checkout, then removes its worktree and branch', async () => {
    rh.h.anthropic.setResponder(scripted(() => [write('feature.txt', 'feature\n'), say('Done.')]));
    const r = rh.runner.dispatch({ prompt: 'Add a feature', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.id;
    await rh.waitFor(id, ['done', 'failed']);
    const worktree = rh.runner.detail(id)?.worktree as string;
    expect(fs.existsSync(worktree)).toBe(true);

    const merged = await rh.runner.merge(id);
    expect(merged.ok).toBe(true);
    expect(fs.readFileSync(path.join(repo, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(gitOut(repo, 'status', '--porcelain')).toBe('');
    expect(gitOut(repo, 'log', '-1', '--format=%s')).toContain(`sluice/${id}`);
    expect(fs.existsSync(worktree)).toBe(false);
    expect(gitOut(repo, 'branch', '--list', `sluice/${id}`).trim()).toBe('');
    expect(rh.runner.detail(id)?.branchState).toBe('merged');
    const again = await rh.runner.merge(id);
    expect(again.ok).toBe(false);
  }, 90_000);

  it('discards a branch: worktree and branch go, the checkout stays as it was', async () => {
    rh.h.anthropic.setResponder(scripted(() => [write('README.md', '# rewritten\n'), say('Done.')]));
    const r = rh.runner.dispatch({ prompt: 'Rewrite the readme', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.id;
    await rh.waitFor(id, ['done', 'failed']);
    const worktree = rh.runner.detail(id)?.worktree as string;
    const diff = await rh.runner.diff(id);
    expect(diff.ok && diff.value.files).toEqual([{ path: 'README.md', added: 1, removed: 1 }]);

    const discarded = await rh.runner.discard(id);
    expect(discarded.ok).toBe(true);
    expect(fs.existsSync(worktree)).toBe(false);
    expect(gitOut(repo, 'branch', '--list', `sluice/${id}`).trim()).toBe('');
    expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('# demo\n');
    expect(gitOut(repo, 'worktree', 'list')).not.toContain(worktree);
  }, 90_000);

  it('works in a sub-folder of the repository when the project is one', async () => {
    rh.h.anthropic.setResponder(scripted(() => [write('util.ts', 'export const y = 2;\n'), say('Done.')]));
    const r = rh.runner.dispatch({ prompt: 'Add util', project: path.join(repo, 'src') });
    if (!r.ok) throw new Error(r.error.message);
    await rh.waitFor(r.value.id, ['done', 'failed']);
    expect(gitOut(repo, 'show', `sluice/${r.value.id}:src/util.ts`)).toBe('export const y = 2;\n');
    expect(fs.existsSync(path.join(repo, 'src', 'util.ts'))).toBe(false);
  }, 90_000);
});

describe('a task outside git', () => {
  it('works in place, and says so when asked for a diff', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-plain-')));
    try {
      rh.h.anthropic.setResponder(scripted(() => [write('out.txt', 'in place\n'), say('Done.')]));
      const r = rh.runner.dispatch({ prompt: 'Write out.txt', project: dir });
      if (!r.ok) throw new Error(r.error.message);
      const done = await rh.waitFor(r.value.id, ['done', 'failed']);
      expect(done.state).toBe('done');
      expect(done.branch).toBeNull();
      expect(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('in place\n');
      expect(rh.runner.detail(r.value.id)?.isolation).toBe('in_place');
      const diff = await rh.runner.diff(r.value.id);
      expect(diff.ok).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('dispatch input', () => {
  it('refuses a missing folder, an empty prompt and a bad cap, with a sentence', () => {
    const missing = rh.runner.dispatch({ prompt: 'x', project: path.join(repo, 'nope') });
    expect(missing.ok === false && missing.error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('does not exist') });
    const empty = rh.runner.dispatch({ prompt: '   ', project: repo });
    expect(empty.ok === false && empty.error.code).toBe('bad_input');
    const cap = rh.runner.dispatch({ prompt: 'x', project: repo, capUsd: -1 });
    expect(cap.ok === false && cap.error.code).toBe('bad_input');
    const relative = rh.runner.dispatch({ prompt: 'x', project: 'relative/dir' });
    expect(relative.ok === false && relative.error.message).toContain('absolute');
  });
});
