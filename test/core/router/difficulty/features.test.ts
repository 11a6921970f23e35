import { describe, expect, it } from 'vitest';
import { featurize, hashString, learnIdf, hashedCounts, tokenize } from '../../../../electron/core/router/difficulty/features';

describe('prompt features', () => {
  it('splits words, digit runs and single symbols, ignoring case', () => {
    expect(tokenize('Find x^2 in Z_8[x], A. 42')).toEqual(['find', 'x', '^', '2', 'in', 'z', '_', '8', '[', 'x', ']', ',', 'a', '.', '42']);
  });

  it('hashes the same text to the same number on every run (stored models depend on it)', () => {
    // FNV-1a 32-bit of "a" is a published test vector.
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('')).toBe(0x811c9dc5);
  });

  it('gives a unit-length vector inside the hashed space, and the same one for the same prompt', () => {
    const x = featurize('Statement 1 | Every group is abelian. Statement 2 | ...', 12);
    const norm = Math.sqrt(x.values.reduce((a, v) => a + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(Math.max(...x.indices)).toBeLessThan(1 << 12);
    expect(featurize('Statement 1 | Every group is abelian. Statement 2 | ...', 12)).toEqual(x);
  });

  it('counts repeated n-grams sub-linearly', () => {
    const once = hashedCounts('alpha', 16);
    const thrice = hashedCounts('alpha alpha alpha', 16);
    const k = hashString('alpha', hashString('u:')) & 0xffff;
    expect(once.get(k)).toBe(1);
    expect(thrice.get(k)).toBeCloseTo(1 + Math.log(3), 6);
  });

  it('weights rare features above common ones', () => {
    const docs = ['the cat', 'the dog', 'the cow'].map((p) => hashedCounts(p, 16));
    const idf = learnIdf(docs, 16);
    const the = hashString('the', hashString('u:')) & 0xffff;
    const cat = hashString('cat', hashString('u:')) & 0xffff;
    expect(idf[cat]).toBeGreaterThan(idf[the] as number);
  });
});
