import { describe, expect, it } from 'vitest';
import { areaUnder, qualityAt, rankFold, sampleCurve, shareNeeded } from '../../../../electron/core/router/eval/curve';

const never = () => 0;

describe('cost–quality curve', () => {
  // Ranked by score: two prompts only strong gets right, one both get right, one only weak gets right.
  const fold = rankFold([0.1, 0.8, 0.5, 0.9], [true, false, true, false], [false, true, true, true], never);

  it('routes the highest scores to strong first', () => {
    expect(Array.from(fold.cumGain)).toEqual([0, 1, 2, 2, 1]);
    expect(fold.weakCorrect).toBe(2);
  });

  it('gives weak accuracy at share 0, strong accuracy at share 1, and the routed accuracy between', () => {
    expect(qualityAt([fold], 0)).toBe(0.5);
    expect(qualityAt([fold], 0.25)).toBe(0.75);
    expect(qualityAt([fold], 0.5)).toBe(1);
    expect(qualityAt([fold], 1)).toBe(0.75);
    // Between whole prompts: the boundary prompt goes to strong with probability 0.5.
    expect(qualityAt([fold], 0.125)).toBeCloseTo(0.625, 12);
  });

  it('finds the exact share where quality first reaches the target', () => {
    // Target 95% of strong accuracy 0.75 = 0.7125, reached on the way from 0.5 (share 0) to 0.75 (share 0.25).
    expect(shareNeeded([fold], 0.95 * 0.75)).toBeCloseTo(0.25 * (0.2125 / 0.25), 12);
    expect(shareNeeded([fold], 0.4)).toBe(0);
    expect(shareNeeded([fold], 1.01)).toBe(1);
  });

  it('pools folds of different sizes, each routing the same share of its own prompts', () => {
    const small = rankFold([1, 0], [false, true], [true, true], never); // 1 of 2 weak-correct; top one rescued
    const pooled = qualityAt([fold, small], 0.5);
    expect(pooled).toBeCloseTo((4 * 1 + 2 * 1) / 6, 12);
    expect(qualityAt([fold, small], 0.25)).toBeCloseTo((3 + (1 + 0.5)) / 6, 12);
  });

  it('samples 101 points from share 0 to 1 and integrates the area exactly', () => {
    const curve = sampleCurve([fold]);
    expect(curve).toHaveLength(101);
    expect(curve[0]).toEqual({ strongShare: 0, quality: 0.5 });
    expect(curve[100]).toEqual({ strongShare: 1, quality: 0.75 });
    // Trapezoids over 0.5, 0.75, 1, 1, 0.75 at quarter steps.
    expect(areaUnder([fold])).toBeCloseTo(0.25 * (0.625 + 0.875 + 1 + 0.875), 12);
  });

  it('breaks score ties at random, not by input order', () => {
    const weak = Array.from({ length: 400 }, (_, i) => i >= 100);
    const strong = weak.map(() => true);
    let seed = 0;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const tied = rankFold(weak.map(() => 0), weak, strong, random);
    // In input order all 100 rescued prompts would come first (gain 100 at k = 100); shuffled, about a quarter do.
    expect(tied.cumGain[100]).toBeGreaterThan(10);
    expect(tied.cumGain[100]).toBeLessThan(45);
  });
});
