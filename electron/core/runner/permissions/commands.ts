import { pathProblem, type PathFs } from './paths';

/**
 * The shell commands a task may run without asking, as word prefixes ("npm run build" allows
 * `npm run build -- --watch`, not `npm run deploy`). Read-only inspection, the project's own test,
 * build and lint scripts, and commits on the task's own branch.
 */
export const DEFAULT_COMMANDS: readonly string[] = [
  'git status', 'git diff', 'git log', 'git show', 'git rev-parse', 'git ls-files', 'git grep', 'git blame',
  'git branch --show-current', 'git add', 'git commit', 'git stash list',
  'npm test', 'npm run test', 'npm run build', 'npm run lint', 'npm run typecheck', 'npx tsc', 'npx vitest run', 'npx eslint',
  'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'rg', 'find', 'pwd', 'echo', 'diff', 'sort', 'uniq', 'tree', 'file', 'stat', 'which', 'true',
];

/** Flags that turn an allowed program into one that runs or writes something else. */
const DANGEROUS_FLAGS: Record<string, readonly string[]> = {
  find: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'],
  rg: ['--pre', '--pre-glob'],
  sort: ['-o', '--output'],
  git: ['-c', '--exec-path', '--output', '--ext-diff', '--upload-pack', '--receive-pack'],
  tree: ['-o'],
};

/** Redirections that write nowhere. */
const HARMLESS_REDIRECTS = new Set(['2>&1', '1>&2', '>&2', '>&1', '1>&1', '2>&2', '>/dev/null', '1>/dev/null', '2>/dev/null', '&>/dev/null']);

export type CommandDecision = { allow: true } | { allow: false; reason: string };

type Token = { word: string } | { op: string };

/**
 * Splits a command line the way a POSIX shell would for what we allow (words, quotes, `|`, `&&`,
 * `||`, `;`) and refuses what we cannot judge (substitutions, variables, redirections into files,
 * background jobs, brace expansion). An error names what was refused.
 */
export function tokenize(line: string): { tokens: Token[] } | { error: string } {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const push = () => {
    if (inWord) tokens.push({ word });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { error: 'an unclosed quote' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) return { error: 'an unclosed quote' };
      const inner = line.slice(i + 1, end);
      if (/[$`\\]/.test(inner)) return { error: 'a substitution or escape inside double quotes' };
      word += inner;
      inWord = true;
      i = end;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return { error: 'a trailing backslash' };
      word += line[i + 1];
      inWord = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      push();
    } else if (c === '\n' || c === ';') {
      push();
      tokens.push({ op: ';' });
    } else if (c === '|' || c === '&') {
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        push();
        tokens.push({ op: two });
        i++;
      } else if (c === '|') {
        push();
        tokens.push({ op: '|' });
      } else if (line.slice(i, i + 11) === '&>/dev/null') {
        push();
        tokens.push({ word: '&>/dev/null' });
        i += 10;
      } else {
        return { error: 'a background job (&)' };
      }
    } else if (c === '>' || c === '<') {
      const fd = inWord ? word : '';
      const m = c === '>' && (fd === '' || fd === '1' || fd === '2') ? /^>(?:&[12]|\/dev\/null)(?=$|[\s;|&])/.exec(line.slice(i)) : null;
      if (!m) return { error: c === '>' ? 'a redirection into a file' : 'an input redirection' };
      tokens.push({ word: fd + m[0] });
      word = '';
      inWord = false;
      i += m[0].length - 1;
    } else if (c === '$' || c === '`') {
      return { error: 'a variable or command substitution' };
    } else if (c === '(' || c === ')') {
      return { error: 'a subshell' };
    } else if (c === '{' || c === '}') {
      return { error: 'brace expansion' };
    } else {
      word += c;
      inWord = true;
    }
  }
  push();
  return { tokens };
}

/** Whether every command of `line` is on the allowlist and names no path outside the worktree. */
export function decideCommand(line: string, allowed: readonly string[], ctx: { root: string; cwd: string; fs: PathFs }): CommandDecision {
  const t = tokenize(line);
  if ('error' in t) return { allow: false, reason: `the command uses ${t.error}, which Sluice's task policy does not allow` };
  const segments: string[][] = [[]];
  for (const tok of t.tokens) {
    if ('op' in tok) segments.push([]);
    else (segments[segments.length - 1] as string[]).push(tok.word);
  }
  const rules = allowed.map((r) => r.trim().split(/\s+/).filter(Boolean));
  for (const seg of segments) {
    const words = seg.filter((w) => !HARMLESS_REDIRECTS.has(w));
    if (words.length === 0) continue;
    const program = words[0] as string;
    if (/=/.test(program)) return { allow: false, reason: `setting environment variables (${program}) is not allowed for tasks` };
    if (!rules.some((r) => r.length > 0 && r.length <= words.length && r.every((w, i) => words[i] === w))) {
      return { allow: false, reason: `"${words.slice(0, 3).join(' ')}" is not on this project's command allowlist` };
    }
    const bad = DANGEROUS_FLAGS[program]?.find((f) => words.some((w) => w === f || w.startsWith(`${f}=`)));
    if (bad) return { allow: false, reason: `"${program} ${bad}" can run or write other things, so it is not allowed for tasks` };
    for (const w of words.slice(1)) {
      const value = w.startsWith('-') ? (w.includes('=') ? w.slice(w.indexOf('=') + 1) : '') : w;
      if (!value || !(value.includes('/') || value === '..' || value.startsWith('~'))) continue;
      const problem = pathProblem(value, ctx.root, ctx.cwd, ctx.fs);
      if (problem) return { allow: false, reason: problem };
    }
  }
  return { allow: true };
}
