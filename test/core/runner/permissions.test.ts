import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bash, gitOut, makeRepo, say, scripted, startRunnerHarness, write, writeRaw, type RunnerHarness } from './support';

let rh: RunnerHarness;
let repo: string;
let outside: string;

beforeAll(async () => {
  rh = await startRunnerHarness();
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-outside-')));
  repo = makeRepo({ 'README.md': '# demo\n' });
  // A symlink committed in the repository, pointing out of it: every worktree gets it too.
  fs.symlinkSync(outside, path.join(repo, 'escape'));
  gitOut(repo, 'add', 'escape');
  gitOut(repo, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'add a link');
});
afterAll(async () => {
  await rh.close();
  for (const d of [repo, outside]) fs.rmSync(d, { recursive: true, force: true });
});

describe('the task policy', () => {
  it('refuses writes outside the worktree (../, absolute, through a symlink) and commands off the allowlist, with reasons on the task', async () => {
    const parentOfWorktrees = path.join(rh.h.dataDir, 'worktrees');
    rh.h.anthropic.setResponder(
      scripted(() => [
        writeRaw((cwd) => `${cwd}/../escaped-relative.txt`, 'x\n'),
        write(path.join(outside, 'absolute.txt'), 'x\n'),
        writeRaw((cwd) => `${cwd}/escape/through-link.txt`, 'x\n'),
        bash('cat ../../../../etc/hostname'),
        bash('rm -rf build'),
        bash('git status && ls'),
        write('inside.txt', 'allowed\n'),
        say('Done, some things were refused.'),
      ]),
    );
    const r = rh.runner.dispatch({ prompt: 'Try everything', project: repo });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.id;
    const done = await rh.waitFor(id, ['done', 'failed', 'paused']);
    expect(done.state).toBe('done');

    expect(fs.existsSync(path.join(parentOfWorktrees, 'escaped-relative.txt'))).toBe(false);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(gitOut(repo, 'show', `sluice/${id}:inside.txt`)).toBe('allowed\n');

    const denials = rh.runner.detail(id)?.denials ?? [];
    expect(denials.map((d) => d.tool)).toEqual(['Write', 'Write', 'Write', 'Bash', 'Bash']);
    expect(denials[0]?.reason).toContain("outside the task's worktree");
    expect(denials[1]?.reason).toContain("outside the task's worktree");
    expect(denials[2]?.reason).toContain('through a symlink');
    expect(denials[3]?.reason).toContain("outside the task's worktree");
    expect(denials[4]?.reason).toContain('not on this project\'s command allowlist');

    // The agent read the reason too, as the tool's error.
    const last = rh.h.anthropic.requests.filter((q) => q.path === '/v1/messages').at(-1);
    expect(last?.rawBody).toContain('Sluice refused this');
  }, 120_000);
});
