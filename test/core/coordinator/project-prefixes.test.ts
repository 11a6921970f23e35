import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openLedger, type Db } from '../../../electron/core/ledger/db';
import { ProjectPrefixes } from '../../../electron/core/coordinator/project-prefixes';
import { readProjectFacts } from '../../../electron/core/coordinator/project-source';
import { makeRepo } from '../runner/support';

let db: Db;
let repo: string;
let head: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString().trim();

beforeAll(() => {
  db = openLedger(':memory:');
  repo = makeRepo({
    'CLAUDE.md': 'Run the tests with `npm test`.\n',
    'app/AGENTS.md': 'This folder is the web app.\n',
    'app/src/main.ts': 'export const a = 1;\n',
    'app/src/view.tsx': 'export const v = 2;\n',
    'app/node_modules/dep/index.js': 'module.exports = 1;\n',
    'app/logo.png': 'not really a png',
    'app/package-lock.json': '{}',
    'lib/other.ts': 'export {};\n',
  });
  head = git('rev-parse', 'HEAD');
  db.prepare("INSERT INTO agents (name, kind, created_at) VALUES ('task-a', 'task', 'x'), ('task-b', 'task', 'x'), ('alice', 'external', 'x')").run();
});
afterAll(() => {
  db.close();
  fs.rmSync(repo, { recursive: true, force: true });
});

function addTask(id: string, o: { agentId: number | null; project: string; state?: string; repoRoot?: string | null; baseCommit?: string | null }) {
  db.prepare('INSERT INTO tasks (id, agent_id, prompt, project, state, repo_root, base_commit, isolation, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    id, o.agentId, `task ${id}`, o.project, o.state ?? 'running', o.repoRoot ?? null, o.baseCommit ?? null, o.repoRoot ? 'worktree' : 'in_place', 'x', 'x',
  );
}

describe('reading a project at its base commit', () => {
  it('maps the tracked files of the project folder, leaving out vendored, binary and lock files, with instruction files from the repository root down', async () => {
    const facts = await readProjectFacts({ project: path.join(repo, 'app'), repoRoot: repo, baseCommit: head });
    expect(facts.name).toBe('app');
    expect(facts.files).toEqual(['AGENTS.md', 'src/main.ts', 'src/view.tsx']);
    expect(facts.instructions).toEqual([
      { path: '../CLAUDE.md', text: 'Run the tests with `npm test`.\n' },
      { path: 'AGENTS.md', text: 'This folder is the web app.\n' },
    ]);
  });

  it('reads the commit, not the checkout: later edits and untracked files do not change it', async () => {
    const before = await readProjectFacts({ project: repo, repoRoot: repo, baseCommit: head });
    fs.writeFileSync(path.join(repo, 'CLAUDE.md'), 'Changed.\n');
    fs.writeFileSync(path.join(repo, 'untracked.ts'), '');
    try {
      expect(await readProjectFacts({ project: repo, repoRoot: repo, baseCommit: head })).toEqual(before);
      const inPlace = await readProjectFacts({ project: repo, repoRoot: null, baseCommit: null });
      expect(inPlace.files).toContain('untracked.ts');
      expect(inPlace.instructions).toEqual([{ path: 'CLAUDE.md', text: 'Changed.\n' }]);
    } finally {
      git('checkout', '--', 'CLAUDE.md');
      fs.rmSync(path.join(repo, 'untracked.ts'));
    }
  });
});

describe('project prefixes for the gateway', () => {
  it("answers only a task's own agent, and gives tasks of one project and commit the same bytes", async () => {
    const prefixes = new ProjectPrefixes(db);
    addTask('t1', { agentId: 1, project: repo, repoRoot: repo, baseCommit: head });
    addTask('t2', { agentId: 2, project: repo, repoRoot: repo, baseCommit: head });
    const a = await prefixes.forTask('t1', 1);
    const b = await prefixes.forTask('t2', 2);
    expect(a?.text).toContain('## Instructions from CLAUDE.md');
    expect(b?.text).toBe(a?.text);
    expect(await prefixes.forTask('t1', 3)).toBeNull(); // alice sending t1's header
    expect(await prefixes.forTask('nope', 1)).toBeNull();
  });

  it("keeps a task's prefix for its whole life, even when its folder changes under it", async () => {
    const dir = makeRepo({ 'CLAUDE.md': 'First.\n', 'a.ts': '' });
    try {
      const prefixes = new ProjectPrefixes(db);
      addTask('inplace', { agentId: 1, project: dir });
      const first = await prefixes.forTask('inplace', 1);
      fs.writeFileSync(path.join(dir, 'CLAUDE.md'), 'Second.\n');
      expect((await prefixes.forTask('inplace', 1))?.text).toBe(first?.text);
      expect(first?.text).toContain('First.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts the other tasks of the project that wait and that run, and whether a slot is free', () => {
    let slots = 5;
    const prefixes = new ProjectPrefixes(db, { concurrency: () => slots });
    const p = path.join(repo, 'reuse');
    addTask('r1', { agentId: 1, project: p });
    addTask('r2', { agentId: null, project: p, state: 'queued' });
    addTask('r3', { agentId: null, project: p, state: 'queued' });
    addTask('r4', { agentId: null, project: p, state: 'done' });
    const running = (db.prepare("SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'").get() as { n: number }).n;
    expect(prefixes.reuse('r1', p)).toEqual({ queued: 2, running: 0, slotFree: running < 5 });
    expect(prefixes.reuse('r2', p)).toMatchObject({ queued: 1, running: 1 });
    slots = running;
    expect(prefixes.reuse('r1', p).slotFree).toBe(false);
  });

  it('goes without a prefix when the project cannot be read', async () => {
    const prefixes = new ProjectPrefixes(db);
    addTask('gone', { agentId: 1, project: '/nonexistent/project', repoRoot: '/nonexistent', baseCommit: head });
    expect(await prefixes.forTask('gone', 1)).toBeNull();
  });
});
