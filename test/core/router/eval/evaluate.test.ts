import { describe, expect, it } from 'vitest';
import type { DifficultyExample, DifficultyModel } from '../../../../electron/core/router/difficulty/model';
import { evaluateRouter } from '../../../../electron/core/router/eval/evaluate';
import { RouteDataError } from '../../../../electron/core/router/eval/dataset';
import { STRONG, synthetic, WEAK } from './synthetic';

/** Remembers the training labels verbatim: perfect on prompts it has seen, no idea about others. */
function memorizer(log?: { trained: Set<string>[]; scored: string[][] }) {
  return (examples: DifficultyExample[]): DifficultyModel => {
    const seen = new Map(examples.map((e) => [e.prompt, Number(e.strongCorrect) - Number(e.weakCorrect)]));
    const scored: string[] = [];
    log?.trained.push(new Set(seen.keys()));
    log?.scored.push(scored);
    return {
      score: (prompt) => {
        scored.push(prompt);
        return seen.get(prompt) ?? 0;
      },
    };
  };
}

const columns = { weakColumn: WEAK, strongColumn: STRONG };

describe('evaluateRouter', () => {
  it('computes the random and oracle baselines from the labels', () => {
    // 30% rescued (weak wrong, strong right), the rest both right: W = 0.7, S = 1, target 0.95.
    const { rows } = synthetic(500, { rescued: 0.3, separable: true, seed: 1 });
    const r = evaluateRouter(rows, { ...columns, seed: 1 });
    expect(r.weakAccuracy).toBeCloseTo(0.7, 12);
    expect(r.strongAccuracy).toBe(1);
    expect(r.baselineRandom).toBeCloseTo(1 - 0.25 / 0.3, 12);
    expect(r.baselineOracle).toBeCloseTo(1 - 0.25, 12);
  });

  it('nearly reaches the oracle when the rescued prompts carry a learnable signal', () => {
    const { rows } = synthetic(600, { rescued: 0.3, separable: true, seed: 2 });
    const r = evaluateRouter(rows, { ...columns, seed: 2 });
    expect(r.savedAt95).toBeGreaterThan(0.73);
    expect(r.savedAt95).toBeLessThanOrEqual(r.baselineOracle + 1e-9);
    // A perfect ranking climbs straight to strong accuracy at share 0.3 and stays there: APGR = 1 − 0.3/2.
    expect(r.apgr).toBeGreaterThan(0.97 * (1 - 0.3 / 2));
    expect(r.apgr).toBeLessThanOrEqual(1 - 0.3 / 2 + 1e-9);
  });

  it('saves about what random routing saves when the labels have nothing to do with the text', () => {
    const { rows } = synthetic(1500, { rescued: 0.3, separable: false, seed: 3 });
    const r = evaluateRouter(rows, { ...columns, seed: 3 });
    expect(Math.abs(r.savedAt95 - r.baselineRandom)).toBeLessThan(0.08);
  });

  it('never scores a prompt the router was trained on, so memorizing earns nothing', () => {
    const { rows } = synthetic(500, { rescued: 0.3, separable: false, seed: 4 });
    // Duplicates in the data must not leak across folds either.
    const withDuplicates = [...rows, ...rows.slice(0, 60).map((r) => ({ ...r, prompt: `${r.prompt}  ` }))];
    const log = { trained: [] as Set<string>[], scored: [] as string[][] };
    const r = evaluateRouter(withDuplicates, { ...columns, folds: 4, seed: 4, train: memorizer(log) });
    expect(log.trained).toHaveLength(4);
    const norm = (p: string) => p.trim();
    log.scored.forEach((scored, f) => {
      const trained = new Set([...(log.trained[f] as Set<string>)].map(norm));
      expect(scored.filter((p) => trained.has(norm(p)))).toEqual([]);
    });
    expect(log.scored.flat()).toHaveLength(withDuplicates.length);
    expect(r.savedAt95).toBeLessThan(r.baselineOracle - 0.3);
    expect(Math.abs(r.savedAt95 - r.baselineRandom)).toBeLessThan(0.12);
  });

  it('starts the curve at weak accuracy and ends it at strong accuracy', () => {
    const { rows } = synthetic(300, { rescued: 0.2, separable: true, seed: 5 });
    const r = evaluateRouter(rows, { ...columns, folds: 3, seed: 5 });
    expect(r.folds).toBe(3);
    expect(r.curve[0]).toEqual({ strongShare: 0, quality: r.weakAccuracy });
    expect(r.curve.at(-1)?.strongShare).toBe(1);
    expect(r.curve.at(-1)?.quality).toBeCloseTo(r.strongAccuracy, 12);
  });

  it('is reproducible for a seed', () => {
    const { rows } = synthetic(300, { rescued: 0.2, separable: false, seed: 6 });
    const a = evaluateRouter(rows, { ...columns, seed: 9 });
    const b = evaluateRouter(rows, { ...columns, seed: 9 });
    expect(a.curve).toEqual(b.curve);
    expect(a.savedAt95).toBe(b.savedAt95);
  });

  it('accepts a unique substring for a column', () => {
    const { rows } = synthetic(100, { rescued: 0.2, separable: true, seed: 7 });
    expect(evaluateRouter(rows, { weakColumn: 'small', strongColumn: 'large', folds: 2 }).prompts).toBe(100);
  });

  it.each([
    [{ folds: 1 }, /folds must be a whole number ≥ 2/],
    [{ folds: 2.5 }, /folds must be a whole number ≥ 2/],
    [{ folds: 11 }, /11 folds need at least 11 distinct prompts, the data has 10/],
    [{ weakColumn: 'nope' }, /weak column "nope" is not a column/],
    [{ strongColumn: WEAK }, /the weak and strong columns are the same column/],
  ])('refuses bad options %j', (opts, message) => {
    const { rows } = synthetic(10, { rescued: 0.2, separable: true, seed: 8 });
    const run = () => evaluateRouter(rows, { ...columns, ...opts });
    expect(run).toThrow(RouteDataError);
    expect(run).toThrow(message);
  });
});
