import { describe, expect, it } from 'vitest';
import { chooseModel, estimateTaskCost } from '../../../electron/core/runner/model-choice';
import { DEFAULT_ROUTING } from '../../../shared/settings';
import { standardRates, type ModelPrice } from '../../../shared/pricing';

describe('chooseModel', () => {
  it('defaults to the strong tier, takes a tier or a model, and says why', () => {
    expect(chooseModel({}, DEFAULT_ROUTING)).toEqual({ ok: true, choice: { tier: 'strong', model: DEFAULT_ROUTING.tiers.strong, reason: 'strong: the default for coding tasks' } });
    expect(chooseModel({ tier: 'fast' }, DEFAULT_ROUTING)).toMatchObject({ ok: true, choice: { tier: 'fast', model: DEFAULT_ROUTING.tiers.fast } });
    expect(chooseModel({ model: 'ollama/qwen3-coder:30b' }, DEFAULT_ROUTING)).toMatchObject({ ok: true, choice: { tier: 'local' } });
    expect(chooseModel({ tier: 'local' }, DEFAULT_ROUTING)).toMatchObject({ ok: false, message: expect.stringContaining('No local model') });
    expect(chooseModel({ tier: 'local' }, { ...DEFAULT_ROUTING, tiers: { ...DEFAULT_ROUTING.tiers, local: 'qwen3-coder:30b' } })).toMatchObject({ ok: true, choice: { model: 'ollama/qwen3-coder:30b' } });
  });
});

describe('estimateTaskCost', () => {
  it('gives a range that grows with the brief and the price', () => {
    const price: ModelPrice = { id: 'x', rates: standardRates(3, 15), batchMultiplier: 0.5 };
    const small = estimateTaskCost(price, 0);
    const briefed = estimateTaskCost(price, 5000);
    expect(small.low).toBeGreaterThan(0);
    expect(small.high).toBeGreaterThan(small.low * 5);
    expect(briefed.low).toBeGreaterThan(small.low);
  });
});

describe('chooseModel without a tier or model', () => {
  it('reads the task when no tier or model is given: mechanical work to the fast or local tier, debugging to strong', () => {
    expect(chooseModel({ prompt: 'Run the tests and report what fails' }, DEFAULT_ROUTING)).toMatchObject({ ok: true, choice: { tier: 'fast', model: DEFAULT_ROUTING.tiers.fast, reason: 'fast: run the build or tests and report, no reasoning needed' } });
    const local = { ...DEFAULT_ROUTING, tiers: { ...DEFAULT_ROUTING.tiers, local: 'qwen3-coder:30b' } };
    expect(chooseModel({ prompt: 'Format src/ with prettier' }, local)).toMatchObject({ ok: true, choice: { tier: 'local', model: 'ollama/qwen3-coder:30b' } });
    expect(chooseModel({ prompt: 'Debug the crash in the scheduler' }, local)).toMatchObject({ ok: true, choice: { tier: 'strong', reason: 'strong: debugging' } });
    expect(chooseModel({ prompt: 'Format src/ with prettier', tier: 'strong' }, local)).toMatchObject({ ok: true, choice: { tier: 'strong' } });
  });
});
