import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideTool, DEFAULT_POLICY, policyFor, type ToolContext } from '../../../../electron/core/runner/permissions/policy';
import { nodePathFs, pathProblem, realTarget } from '../../../../electron/core/runner/permissions/paths';
import { decideCommand, tokenize } from '../../../../electron/core/runner/permissions/commands';

let base: string;
let root: string;
let outside: string;
let ctx: ToolContext;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-policy-')));
  root = path.join(base, 'worktree');
  outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(root, 'src', 'app.ts'), '');
  fs.symlinkSync(outside, path.join(root, 'out-link'));
  fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
  fs.symlinkSync(path.join(root, 'src'), path.join(root, 'src-link'));
  fs.mkdirSync(path.join(root, 'deep', 'er'), { recursive: true });
  fs.symlinkSync(path.join(root, 'deep', 'er'), path.join(root, 'to-deeper'));
  ctx = { root, cwd: root, policy: DEFAULT_POLICY, fs: nodePathFs };
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const decide = (tool: string, input: Record<string, unknown>) => decideTool(tool, input, ctx);

describe('paths', () => {
  it('allows files inside the worktree, relative or absolute, new or existing', () => {
    expect(decide('Write', { file_path: path.join(root, 'src', 'new.ts') })).toEqual({ allow: true });
    expect(decide('Edit', { file_path: 'src/app.ts' })).toEqual({ allow: true });
    expect(decide('Write', { file_path: path.join(root, 'a', 'b', 'c.txt') })).toEqual({ allow: true });
    expect(decide('Write', { file_path: path.join(root, 'src-link', 'x.ts') })).toEqual({ allow: true });
  });

  it('refuses ../, absolute paths elsewhere and the home folder', () => {
    expect(decide('Write', { file_path: `${root}/../x.txt` })).toMatchObject({ allow: false, reason: expect.stringContaining('outside') });
    expect(decide('Write', { file_path: '../x.txt' })).toMatchObject({ allow: false });
    expect(decide('Write', { file_path: '/etc/passwd' })).toMatchObject({ allow: false });
    expect(decide('Read', { file_path: '~/.ssh/id_rsa' })).toMatchObject({ allow: false, reason: expect.stringContaining('home folder') });
    expect(decide('Write', { file_path: `${root}/src/../../x.txt` })).toMatchObject({ allow: false });
  });

  it('refuses symlinks that lead outside, dangling ones included, and `link/..` tricks', () => {
    expect(decide('Write', { file_path: path.join(root, 'out-link', 'x.txt') })).toMatchObject({ allow: false, reason: expect.stringContaining('symlink') });
    expect(decide('Write', { file_path: path.join(root, 'dangling') })).toMatchObject({ allow: false, reason: expect.stringContaining('symlink') });
    // The OS resolves `to-deeper` before `..` (root/deep/er/../.. = root), but a tool that normalizes the
    // path first writes to root/../x.txt: both readings must stay inside, so this one is refused.
    expect(realTarget(`${root}/to-deeper/../../x.txt`, root, nodePathFs)).toBe(path.join(root, 'x.txt'));
    expect(decide('Write', { file_path: `${root}/to-deeper/../../x.txt` })).toMatchObject({ allow: false });
    expect(realTarget(`${root}/to-deeper/../x`, root, nodePathFs)).toBe(path.join(root, 'deep', 'x'));
    expect(decide('Write', { file_path: `${root}/to-deeper/../x` })).toEqual({ allow: true });
  });

  it('keeps .git out of reach for writes, and checks globs as paths', () => {
    expect(decide('Write', { file_path: path.join(root, '.git', 'config') })).toMatchObject({ allow: false, reason: expect.stringContaining('.git') });
    expect(decide('Read', { file_path: path.join(root, '.git') })).toEqual({ allow: true });
    expect(decide('Glob', { pattern: '/etc/*' })).toMatchObject({ allow: false });
    expect(decide('Glob', { pattern: '../**/*.ts' })).toMatchObject({ allow: false });
    expect(decide('Glob', { pattern: 'src/**/*.ts' })).toEqual({ allow: true });
    expect(decide('Grep', { pattern: '../secret', path: 'src' })).toEqual({ allow: true });
    expect(decide('Grep', { pattern: 'x', path: '/' })).toMatchObject({ allow: false });
  });

  it('explains a plain escape without mentioning symlinks', () => {
    expect(pathProblem('../x', root, root, nodePathFs)).toBe(`"../x" is outside the task's worktree (${root})`);
  });
});

describe('commands', () => {
  const cmd = (line: string) => decideCommand(line, DEFAULT_POLICY.commands, ctx);

  it('allows the allowlist, with arguments, pipes, && and harmless redirections', () => {
    for (const ok of ['git status', 'git diff --stat HEAD', 'npm test', 'npm run build -- --watch', 'ls -la src', 'grep -rn "foo bar" src | head -5', 'git status && git log --oneline -3', 'npx tsc --noEmit 2>&1', 'npm test >/dev/null 2>&1', "grep 'a|b' src/app.ts"]) {
      expect(cmd(ok), ok).toEqual({ allow: true });
    }
  });

  it('refuses what is not on it, and ways around it', () => {
    const refused: [string, string][] = [
      ['rm -rf build', 'allowlist'],
      ['npm run deploy', 'allowlist'],
      ['git push origin main', 'allowlist'],
      ['ls; rm -rf /', 'allowlist'],
      ['ls && curl http://example.com', 'allowlist'],
      ['cat $(echo /etc/passwd)', 'substitution'],
      ['cat `id`', 'substitution'],
      ['echo hi > out.txt', 'redirection'],
      ['cat < /etc/passwd', 'redirection'],
      ['npm test &', 'background'],
      ['find . -delete', '-delete'],
      ['find . -exec rm {} ;', 'brace'],
      ['rg --pre ./x foo', '--pre'],
      ['git -c core.pager=sh log', '-c'],
      ['FOO=1 npm test', 'environment'],
      ['cat ../../etc/passwd', 'outside'],
      ['ls /', 'outside'],
      ['cat ~/.ssh/id_rsa', 'home'],
      ['git diff --output=/tmp/x', '--output'],
      ['cat {a,../../x}', 'brace'],
      ['ls "$HOME"', 'substitution'],
      ['(ls)', 'subshell'],
    ];
    for (const [line, why] of refused) {
      const d = cmd(line);
      expect(d.allow, line).toBe(false);
      if (!d.allow) expect(d.reason.toLowerCase(), line).toContain(why);
    }
  });

  it('tokenizes quotes and operators like a shell', () => {
    expect(tokenize(`git commit -m 'two words' && ls`)).toEqual({ tokens: [{ word: 'git' }, { word: 'commit' }, { word: '-m' }, { word: 'two words' }, { op: '&&' }, { word: 'ls' }] });
    expect(tokenize('echo "unclosed')).toEqual({ error: 'an unclosed quote' });
  });
});

describe('tools', () => {
  it('allows bookkeeping tools and refuses the rest with a reason', () => {
    expect(decide('TodoWrite', { todos: [] })).toEqual({ allow: true });
    expect(decide('WebFetch', { url: 'https://example.com' })).toMatchObject({ allow: false, reason: expect.stringContaining('web access is off') });
    expect(decide('AskUserQuestion', {})).toMatchObject({ allow: false });
    expect(decide('Agent', {})).toMatchObject({ allow: false, reason: expect.stringContaining('sub-agents') });
    expect(decide('mcp__github__create_issue', {})).toMatchObject({ allow: false, reason: expect.stringContaining('not allowed') });
  });

  it('adds a project\'s own commands and web access from the ledger', () => {
    const p = policyFor('/work/p', { '/work/p': { commands: ['make test'], web: true } });
    const c = { ...ctx, policy: p };
    expect(decideTool('Bash', { command: 'make test' }, c)).toEqual({ allow: true });
    expect(decideTool('WebFetch', { url: 'https://example.com' }, c)).toEqual({ allow: true });
    expect(decideTool('Bash', { command: 'make test' }, ctx)).toMatchObject({ allow: false });
    expect(policyFor('/other', { '/work/p': { commands: ['make test'] } })).toBe(DEFAULT_POLICY);
  });
});
