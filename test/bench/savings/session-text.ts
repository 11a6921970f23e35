// Tool output an agent would see, built from the repository's real files: test names, test sources,
// file lists. Only the runner's verdict lines are made up.
import path from 'node:path';
import { fileKind } from '../../../electron/core/pruner/repo/file-kind';
import { readText, type Tree } from './repo-text';
import { pick, type Rng } from './rng';

export const isPython = (p: string): boolean => p.endsWith('.py');

export function testNames(tree: Tree, file: string): string[] {
  const text = readText(tree, file);
  const re = isPython(file) ? /^\s*def (test_\w+)/gm : /\b(?:it|test)\(\s*['"`]([^'"`\n]{1,120})['"`]/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? '').filter(Boolean).slice(0, 80);
}

/** The test file that covers `file`: same stem (or plugin folder) in a test path. */
export function testFileFor(tree: Tree, file: string): string | null {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  const stem = base === 'index' || base === '__init__' ? path.basename(path.dirname(file)) : base;
  const tests = tree.sources.filter((p) => fileKind(p) === 'test' && !p.includes('example_scripts'));
  return (
    tests.find((p) => path.basename(p).replace(/\.test\.[a-z]+$|\.[a-z]+$/, '').replace(/^test_/, '') === stem) ??
    tests.find((p) => path.basename(p).includes(stem)) ??
    null
  );
}

export function testCommand(file: string): string {
  return isPython(file) ? `python -m pytest ${file} -q` : `npx jest ${file}`;
}

/** A runner's report over the real test names of `file`, with `failing` of them failing. */
export function testRunOutput(tree: Tree, file: string, failing: number, rng: Rng): string {
  const names = testNames(tree, file);
  const all = names.length > 0 ? names : ['works'];
  const bad = new Set<number>();
  while (bad.size < Math.min(failing, all.length)) bad.add(Math.floor(rng() * all.length));
  const src = readText(tree, file).split('\n');
  const excerpt = (name: string): string => {
    const at = Math.max(0, src.findIndex((l) => l.includes(name)));
    return src.slice(at, at + 14).map((l, i) => `${String(at + i + 1).padStart(6)} | ${l}`).join('\n');
  };
  if (isPython(file)) {
    const dots = all.map((_, i) => (bad.has(i) ? 'F' : '.')).join('');
    const failures = [...bad].map((i) => {
      const n = all[i] ?? '';
      return `${'_'.repeat(20)} ${n} ${'_'.repeat(20)}\n\n${excerpt(n)}\nE       AssertionError: assert ${pick(['False', "'1.0' == '1'", 'None is not None', '[] == [1]'], rng)}\n\n${file}:${1 + src.findIndex((l) => l.includes(n))}: AssertionError`;
    });
    return [
      '============================= test session starts ==============================',
      'platform linux -- Python 3.8.18, pytest-dev, pluggy-0.13.1',
      `rootdir: /work/repo, inifile: tox.ini`,
      `collected ${all.length} items`,
      '',
      `${file} ${dots} [100%]`,
      '',
      ...(failures.length ? ['=================================== FAILURES ===================================', ...failures] : []),
      `========== ${bad.size ? `${bad.size} failed, ` : ''}${all.length - bad.size} passed in ${(0.4 + rng() * 3).toFixed(2)}s ==========`,
    ].join('\n');
  }
  const lines = all.map((n, i) => `    ${bad.has(i) ? '✕' : '✓'} ${n} (${1 + Math.floor(rng() * 9)} ms)`);
  const failures = [...bad].map((i) => {
    const n = all[i] ?? '';
    return `  ● ${n}\n\n    expect(received).toBe(expected) // Object.is equality\n\n    Expected: ${JSON.stringify(pick(['2018-04-04T16:00:00.000Z', '1 month', 'P1M', '0'], rng))}\n    Received: ${JSON.stringify(pick(['2018-04-04T15:00:00.000Z', '30 days', 'P30D', 'NaN'], rng))}\n\n${excerpt(n)}`;
  });
  return [
    `${bad.size ? ' FAIL ' : ' PASS '} ${file}`,
    ...lines,
    '',
    ...failures,
    `Tests:       ${bad.size ? `${bad.size} failed, ` : ''}${all.length - bad.size} passed, ${all.length} total`,
    `Time:        ${(0.8 + rng() * 3).toFixed(3)} s`,
  ].join('\n');
}

/** The whole suite's report: one line per real test file (and, for jest, the coverage table over the sources). */
export function suiteOutput(tree: Tree, rng: Rng): string {
  const tests = tree.sources.filter((p) => fileKind(p) === 'test' && !p.includes('example_scripts'));
  const failingFile = pick(tests, rng);
  if (tests.some(isPython)) {
    const lines = tests.filter(isPython).map((t, i, xs) => {
      const n = Math.max(1, testNames(tree, t).length);
      const dots = (t === failingFile ? 'F' : '') + '.'.repeat(Math.min(60, t === failingFile ? n - 1 : n));
      return `${t} ${dots} [${String(Math.round((100 * (i + 1)) / xs.length)).padStart(3)}%]`;
    });
    return [...lines, '', `FAILED ${failingFile}::${testNames(tree, failingFile)[0] ?? 'test_x'} - AssertionError`, `1 failed, ${lines.length * 9} passed, 12 skipped, 3 xfailed in 211.35s (0:03:31)`].join('\n');
  }
  const results = tests.map((t) => `${t === failingFile ? ' FAIL ' : ' PASS '} ${t} (${(0.2 + rng() * 2).toFixed(2)} s)`);
  const sources = tree.sources.filter((p) => fileKind(p) === 'source' && p.startsWith('src/'));
  const cov = sources.map((s) => ` ${s.padEnd(44)} |   ${(95 + rng() * 5).toFixed(2)} |   ${(90 + rng() * 10).toFixed(2)} |     100 |   ${(96 + rng() * 4).toFixed(2)} |`);
  return [
    ...results,
    '',
    `  ● ${failingFile} › ${testNames(tree, failingFile)[0] ?? 'works'}`,
    '    expect(received).toBe(expected)',
    '',
    '----------------------------------------------|---------|----------|---------|---------|',
    ' File                                         | % Stmts | % Branch | % Funcs | % Lines |',
    '----------------------------------------------|---------|----------|---------|---------|',
    ...cov,
    `Test Suites: 1 failed, ${tests.length - 1} passed, ${tests.length} total`,
    `Tests:       1 failed, ${tests.length * 11} passed, ${tests.length * 11 + 1} total`,
  ].join('\n');
}

/** Formatter / linter output naming `n` real files. */
export function formatterOutput(tree: Tree, rng: Rng, n = 8): { output: string; changed: string[] } {
  const sources = tree.sources.filter((p) => fileKind(p) === 'source');
  const changed = [...new Set(Array.from({ length: n }, () => pick(sources, rng)))].sort();
  if (changed.some(isPython)) {
    return {
      changed,
      output: [
        'black....................................................................Failed',
        '- hook id: black',
        '- files were modified by this hook',
        '',
        ...changed.map((c) => `reformatted ${c}`),
        `All done! ✨ 🍰 ✨\n${changed.length} files reformatted, ${sources.length - changed.length} files left unchanged.`,
        '',
        'isort....................................................................Passed',
        'flake8...................................................................Failed',
        '- hook id: flake8',
        '- exit code: 1',
        '',
        ...changed.slice(0, 3).map((c) => `${c}:${10 + Math.floor(rng() * 400)}:80: E501 line too long (91 > 88 characters)`),
      ].join('\n'),
    };
  }
  return {
    changed,
    output: changed
      .map((c) => `\n/work/repo/${c}\n  ${1 + Math.floor(rng() * 80)}:${1 + Math.floor(rng() * 30)}  warning  Unexpected console statement  no-console`)
      .concat([`\n✖ ${changed.length} problems (0 errors, ${changed.length} warnings)`])
      .join('\n'),
  };
}

/** Public function names with their parameter lists, for the docstring answer. */
export function functionsOf(tree: Tree, file: string): { name: string; params: string[] }[] {
  const text = readText(tree, file);
  const re = isPython(file)
    ? /^\s*def ([A-Za-z]\w*)\(([^)]*)\)/gm
    : /(?:function\s+([A-Za-z$][\w$]*)\s*\(([^)]*)\)|([A-Za-z$][\w$]*)\s*=\s*(?:function\s*)?\(([^)]*)\)\s*(?:=>|\{)|^\s*([A-Za-z$][\w$]*)\s*\(([^)]*)\)\s*\{)/gm;
  const out: { name: string; params: string[] }[] = [];
  for (const m of text.matchAll(re)) {
    const name = m[1] ?? m[3] ?? m[5] ?? '';
    const params = (m[2] ?? m[4] ?? m[6] ?? '').split(',').map((p) => p.trim().split(/[=:]/)[0]?.trim() ?? '').filter((p) => p && p !== 'self');
    if (!name || ['if', 'for', 'while', 'switch', 'catch', 'return'].includes(name)) continue;
    out.push({ name, params });
  }
  return out.slice(0, 25);
}
