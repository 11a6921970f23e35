import { describe, expect, it } from 'vitest';
import { assignFolds } from '../../../../electron/core/router/eval/folds';

const prompts = Array.from({ length: 103 }, (_, i) => `prompt ${i}`);

describe('assignFolds', () => {
  it('deals every prompt into one of k folds of near-equal size', () => {
    const folds = assignFolds(prompts, 5, 7);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(folds).toHaveLength(prompts.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is reproducible from the seed and changes with it', () => {
    expect(assignFolds(prompts, 5, 7)).toEqual(assignFolds(prompts, 5, 7));
    expect(assignFolds(prompts, 5, 8)).not.toEqual(assignFolds(prompts, 5, 7));
  });

  it('puts identical prompts (up to whitespace) in the same fold', () => {
    const withDuplicates = [...prompts, 'prompt 3', '  prompt   50\n', 'prompt 99'];
    for (let seed = 1; seed <= 20; seed++) {
      const folds = assignFolds(withDuplicates, 4, seed);
      expect(folds[103]).toBe(folds[3]);
      expect(folds[104]).toBe(folds[50]);
      expect(folds[105]).toBe(folds[99]);
    }
  });
});
