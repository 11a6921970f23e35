import { describe, expect, it } from 'vitest';
import { recordOutcome, trainDifficulty, updateFromOutcome, type DifficultyExample } from '../../../../electron/core/router/difficulty/model';
import { deserializeDifficulty, serializeDifficulty } from '../../../../electron/core/router/difficulty/serialize';
import { seededRandom } from '../../../../electron/core/router/difficulty/random';

const FILLER = 'please rename the variable and format this file then run the tests'.split(' ');

/** Hard prompts mention a proof; only they trip the weak model. */
function examples(n: number, seed: number): DifficultyExample[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const hard = i % 3 === 0;
    const words = Array.from({ length: 6 }, () => FILLER[Math.floor(random() * FILLER.length)] as string);
    if (hard) words.push('prove', 'the', 'invariant', 'holds');
    return { prompt: `${i}: ${words.join(' ')}`, weakCorrect: !hard, strongCorrect: true };
  });
}

describe('trainDifficulty', () => {
  const model = trainDifficulty(examples(300, 1), { bits: 14 });

  it('scores unseen hard prompts above unseen easy ones', () => {
    const hard = model.score('new: rename the file then prove the invariant holds');
    const easy = model.score('new: rename the variable then format the file');
    expect(hard - easy).toBeGreaterThan(0.2);
    // The hard words raise the score above what a prompt of unknown words gets.
    expect(hard).toBeGreaterThan(model.score('zebra') + 0.15);
  });

  it('scores as P(strong correct) − P(weak correct)', () => {
    const prompt = 'new: prove the invariant holds';
    const p = model.probabilities(prompt);
    expect(model.score(prompt)).toBeCloseTo(p.strongCorrect - p.weakCorrect, 12);
    expect(p.weakCorrect).toBeGreaterThan(0);
    expect(p.strongCorrect).toBeLessThan(1);
  });

  it('is reproducible for a seed', () => {
    const again = trainDifficulty(examples(300, 1), { bits: 14 });
    expect(again.score('anything at all')).toBe(model.score('anything at all'));
  });

  it('returns a neutral model when there is nothing to learn from', () => {
    expect(trainDifficulty([], { bits: 8 }).score('hello')).toBeCloseTo(0, 12);
  });

  it('learns each head only from the outcomes observed for its model', () => {
    // What routed traffic yields: weak outcomes for some prompts, strong outcomes for others.
    const observed = examples(240, 5).map((e, i) => (i % 2 === 0 ? { prompt: e.prompt, weakCorrect: e.weakCorrect } : { prompt: e.prompt, strongCorrect: i % 4 !== 1 }));
    const model = trainDifficulty(observed, { bits: 12 });
    const hard = model.probabilities('new: prove the invariant holds');
    const easy = model.probabilities('new: rename the file');
    expect(hard.weakCorrect).toBeLessThan(easy.weakCorrect - 0.1);
    // Strong labels here are half true, half false, and unrelated to the words.
    expect(Math.abs(hard.strongCorrect - 0.5)).toBeLessThan(0.15);
  });

  it('refuses a feature space it cannot store', () => {
    expect(() => trainDifficulty([], { bits: 40 })).toThrow(RangeError);
  });
});

describe('learning from outcomes', () => {
  it('raises the score of prompts like one that failed on the weak tier, and lowers it after successes', () => {
    const model = trainDifficulty(examples(90, 2), { bits: 12 });
    const prompt = 'summarize the changelog for the release notes';
    const before = model.score(prompt);
    for (let i = 0; i < 20; i++) updateFromOutcome(model, prompt, false, { learningRate: 0.5 });
    const afterFailures = model.score(prompt);
    expect(afterFailures).toBeGreaterThan(before + 0.1);
    for (let i = 0; i < 40; i++) updateFromOutcome(model, prompt, true, { learningRate: 0.5 });
    expect(model.score(prompt)).toBeLessThan(afterFailures - 0.1);
  });

  it('changes only the head of the tier that answered', () => {
    const model = trainDifficulty(examples(90, 3), { bits: 12 });
    const prompt = 'prove the invariant holds';
    const strongBefore = model.probabilities(prompt).strongCorrect;
    const weakBefore = model.probabilities(prompt).weakCorrect;
    recordOutcome(model, prompt, { tier: 'strong', succeeded: false }, { learningRate: 1 });
    expect(model.probabilities(prompt).strongCorrect).toBeLessThan(strongBefore);
    expect(model.probabilities(prompt).weakCorrect).toBe(weakBefore);
  });
});

describe('stored models', () => {
  it('round-trips through JSON with identical scores', () => {
    const model = trainDifficulty(examples(120, 4), { bits: 12 });
    const json = serializeDifficulty(model);
    expect(typeof JSON.parse(json)).toBe('object');
    const back = deserializeDifficulty(json);
    for (const p of ['prove the invariant holds', 'rename the file', '']) expect(back.score(p)).toBe(model.score(p));
    // Still learns after being stored and loaded.
    updateFromOutcome(back, 'rename the file', false, { learningRate: 1 });
    expect(back.score('rename the file')).toBeGreaterThan(model.score('rename the file'));
  });

  it.each([
    ['{"kind":"other"}', /not a sluice\.difficulty document/],
    ['{"kind":"sluice.difficulty","version":2}', /unsupported version 2/],
    ['{"kind":"sluice.difficulty","version":1,"bits":99}', /bad bits/],
    ['{"kind":"sluice.difficulty","version":1,"bits":8,"idf":"AAAA","weak":{"bias":0,"weights":""},"strong":{"bias":0,"weights":""}}', /idf has 3 bytes, expected 1024/],
  ])('refuses a stored model that is not one %#', (json, message) => {
    expect(() => deserializeDifficulty(json)).toThrow(message);
  });
});
