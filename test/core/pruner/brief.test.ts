import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrief } from '../../../electron/core/pruner/brief/build-brief';
import { countTokens } from '../../../electron/core/pruner/tokens';
import { makeRepo, SAMPLE_PROJECT, type TempRepo } from './temp-repo';

let repo: TempRepo;

/** The sample project plus enough unrelated code that a brief has to choose. */
function biggerProject(): Record<string, string> {
  const files: Record<string, string> = { ...SAMPLE_PROJECT };
  for (let i = 0; i < 40; i++) {
    files[`src/widgets/widget${i}.ts`] = [
      `import { render } from '../ui/render';`,
      `export function widget${i}Layout(width: number): string {`,
      ...Array.from({ length: 30 }, (_, j) => `  const step${j} = width * ${j} + ${i}; // layout pass ${j}`),
      `  return render('widget${i}', width);`,
      '}',
      '',
    ].join('\n');
  }
  files['src/ui/render.ts'] = 'export function render(name: string, width: number): string {\n  return `${name}:${width}`;\n}\n';
  return files;
}

beforeAll(() => {
  repo = makeRepo(biggerProject());
});
afterAll(() => repo.cleanup());

const TASK = 'parseDate throws "Invalid date format" for dates like 2024-1-2; the tokenizer should accept single-digit months.';

describe('the context brief', () => {
  it('puts the files the task is about first, and names only files that exist, by relative forward-slash paths', async () => {
    const b = await buildBrief({ repo: repo.root, task: TASK, budgetTokens: 1200, dataDir: repo.dataDir });
    expect(b.files[0]?.path).toBe('src/parser.ts');
    expect(b.files.map((f) => f.path)).toContain('src/lexer.ts');
    for (const f of b.files) {
      expect(f.path).not.toMatch(/\\|^\//);
      expect(fs.statSync(path.join(repo.root, f.path)).isFile()).toBe(true);
      expect(b.brief).toContain(`## ${f.path} (${f.mode}`);
    }
    expect(b.files[0]?.mode).toBe('whole');
    expect(b.brief).toContain('Rest of the repository');
  });

  it('never exceeds the budget, counted over the whole brief with the real tokenizer', async () => {
    const budgets = [1, 5, 20, 60, 100, 150, 200, 300, 450, 700, 1000, 1500, 2200, 3300, 5000, 8000, 13000];
    for (const budgetTokens of budgets) {
      const b = await buildBrief({ repo: repo.root, task: TASK, budgetTokens, dataDir: repo.dataDir });
      const real = countTokens(b.brief);
      expect(real, `budget ${budgetTokens}`).toBe(b.totalTokens);
      expect(real, `budget ${budgetTokens}`).toBeLessThanOrEqual(budgetTokens);
    }
  });

  it('uses more of a larger budget and shows more files', async () => {
    const small = await buildBrief({ repo: repo.root, task: TASK, budgetTokens: 800, dataDir: repo.dataDir });
    const large = await buildBrief({ repo: repo.root, task: TASK, budgetTokens: 8000, dataDir: repo.dataDir });
    expect(large.totalTokens).toBeGreaterThan(small.totalTokens);
    expect(large.files.length).toBeGreaterThan(small.files.length);
  });

  it('is deterministic for the same repository state and task', async () => {
    const a = await buildBrief({ repo: repo.root, task: TASK, budgetTokens: 2500, dataDir: repo.dataDir });
    const b = await buildBrief({ repo: repo.root, task: TASK, budgetTokens: 2500, dataDir: repo.dataDir });
    expect(b.brief).toBe(a.brief);
    expect(b.files).toEqual(a.files);
  });

  it('follows a stack trace to the file and shows the line it points at', async () => {
    const task = [
      'Crash when formatting:',
      'Error: boom',
      `    at DateFormatter.format (${repo.root}/src/format.ts:6:12)`,
      '    at main (/home/ci/work/src/cli.ts:5:10)',
    ].join('\n');
    const b = await buildBrief({ repo: repo.root, task, budgetTokens: 1500, dataDir: repo.dataDir });
    const paths = b.files.map((f) => f.path);
    expect(paths.slice(0, 2).sort()).toEqual(['src/cli.ts', 'src/format.ts']);
  });

  it('brings in the graph neighbours of what the task names', async () => {
    const b = await buildBrief({ repo: repo.root, task: 'widget7Layout renders at the wrong width', budgetTokens: 4000, dataDir: repo.dataDir });
    const paths = b.files.map((f) => f.path);
    expect(paths[0]).toBe('src/widgets/widget7.ts');
    expect(paths).toContain('src/ui/render.ts');
  });

  it('reports what the index skipped and how long it took', async () => {
    const b = await buildBrief({ repo: repo.root, task: TASK, dataDir: repo.dataDir });
    expect(b.skipped).toEqual([]);
    expect(b.timings.indexMs).toBeGreaterThanOrEqual(0);
    expect(b.timings.briefMs).toBeGreaterThanOrEqual(0);
    expect(b.totalTokens).toBeLessThanOrEqual(5000);
  });

  it('refuses bad input with a clear message', async () => {
    await expect(buildBrief({ repo: repo.root, task: '   ', dataDir: repo.dataDir })).rejects.toThrow(/task is empty/);
    await expect(buildBrief({ repo: repo.root, task: TASK, budgetTokens: 0, dataDir: repo.dataDir })).rejects.toThrow(/positive integer/);
    await expect(buildBrief({ repo: path.join(repo.root, 'nope'), task: TASK, dataDir: repo.dataDir })).rejects.toThrow(/no such folder/);
  });
});
