import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeEval } from '../../../../electron/core/cli/commands/route-eval';
import { UsageError, type CliIo } from '../../../../electron/core/cli/io';
import { STRONG, synthetic, tempDir, toCsv, WEAK } from './synthetic';

let root: { dir: string; cleanup: () => void };
beforeAll(() => {
  root = tempDir();
  const data = path.join(root.dir, 'data');
  fs.mkdirSync(data);
  const { rows } = synthetic(400, { rescued: 0.25, separable: true, seed: 11 });
  fs.writeFileSync(path.join(data, 'part-a.csv'), toCsv(rows.slice(0, 200)));
  fs.writeFileSync(path.join(data, 'part-b.csv'), toCsv(rows.slice(200)));
  fs.writeFileSync(path.join(root.dir, 'bad-label.csv'), `prompt,${WEAK},${STRONG}\n"a, b",True,sometimes\n`);
  fs.writeFileSync(path.join(root.dir, 'tiny.csv'), toCsv(rows.slice(0, 3)));
});
afterAll(() => root.cleanup());

function io(): CliIo & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (t) => out.push(t), stderr: () => undefined, readStdin: async () => '', env: {}, cwd: root.dir };
}

describe('sluice route-eval', () => {
  it('prints exactly {savedAt95, curve, folds} first with --json, then extras', async () => {
    const c = io();
    expect(await routeEval(['--data', 'data', '--weak', 'small', '--strong', STRONG, '--folds', '4', '--json'], c)).toBe(0);
    expect(c.out.join('').endsWith('\n')).toBe(true);
    const parsed = JSON.parse(c.out.join('')) as { savedAt95: number; curve: { strongShare: number; quality: number }[]; folds: number; baselineRandom: number };
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['savedAt95', 'curve', 'folds']);
    expect(parsed.folds).toBe(4);
    expect(parsed.savedAt95).toBeGreaterThanOrEqual(0);
    expect(parsed.savedAt95).toBeLessThanOrEqual(1);
    expect(parsed.savedAt95).toBeGreaterThan(parsed.baselineRandom);
    expect(parsed.curve).toHaveLength(101);
    for (const p of parsed.curve) expect(Object.keys(p)).toEqual(['strongShare', 'quality']);
    expect(parsed.curve.map((p) => p.strongShare)).toEqual([...parsed.curve.map((p) => p.strongShare)].sort((a, b) => a - b));
    expect(parsed.curve[0]).toEqual({ strongShare: 0, quality: 0.75 });
    expect(parsed.curve[100]).toEqual({ strongShare: 1, quality: 1 });
  });

  it('prints the saved share, the random baseline and a curve table', async () => {
    const c = io();
    expect(await routeEval(['--data', path.join(root.dir, 'data'), '--weak', WEAK, '--strong', 'large'], c)).toBe(0);
    const text = c.out.join('');
    expect(text).toMatch(/400 prompts from 2 file\(s\), 5-fold cross-validation/);
    expect(text).toMatch(/strong calls saved at 95% of strong quality \(≥ 95\.0%\): \d+\.\d%/);
    expect(text).toMatch(/random routing saves 20\.0%/);
    expect(text).toMatch(/^strong share +quality +of strong$/m);
    expect(text).toMatch(/^100% +100\.0% +100\.0%$/m);
  });

  it.each([
    [['--weak', 'small', '--strong', 'large'], /--data PATH is required/],
    [['--data', 'data', '--strong', 'large'], /--weak COLUMN is required/],
    [['--data', 'missing-folder', '--weak', 'small', '--strong', 'large'], /no such file or folder: .*missing-folder/],
    [['--data', 'data', '--weak', 'gpt', '--strong', 'large'], new RegExp(`--weak "gpt" is not a column; available: ${WEAK}, ${STRONG}`)],
    [['--data', 'data', '--weak', 'acme', '--strong', 'large'], /--weak "acme" matches several columns/],
    [['--data', 'data', '--weak', 'small', '--strong', 'small-7b'], /--weak and --strong name the same column/],
    [['--data', 'data', '--weak', 'small', '--strong', 'large', '--folds', '1'], /--folds must be at least 2/],
    [['--data', 'data', '--weak', 'small', '--strong', 'large', '--folds', '0'], /--folds must be a positive whole number/],
    [['--data', 'data', '--weak', 'small', '--strong', 'large', '--folds', 'three'], /--folds must be a positive whole number/],
    [['--data', 'tiny.csv', '--weak', 'small', '--strong', 'large', '--folds', '5'], /5 folds need at least 5 distinct prompts, the data has 3/],
    [['--data', 'bad-label.csv', '--weak', 'small', '--strong', 'large'], /bad-label\.csv record 1, column "acme\/large-v2": expected True or False, got "sometimes"/],
    [['--data', 'data', '--weak', 'small', '--strong', 'large', 'extra'], /Unexpected argument "extra"/],
    [['--data', 'data', '--weak', 'small', '--strong', 'large', '--fold', '3'], /Unknown option '--fold'/],
  ])('refuses %j with a one-line usage error', async (args, message) => {
    const err = await routeEval(args, io()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});
