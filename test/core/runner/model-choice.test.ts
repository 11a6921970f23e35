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

describe('chooseModel with a per-project tier', () => {
  const routing = { ...DEFAULT_ROUTING, projects: { '/Users/ada/code/api': { tier: 'fast' as const }, '/Users/ada/code/api/ml': { tier: 'strong' as const } } };

  it('starts a task that asks for nothing on its project’s tier, and says so in the reason', () => {
    expect(chooseModel({ prompt: 'Debug the crash in the scheduler', project: '/Users/ada/code/api' }, routing, null, '/Users/ada')).toEqual({
      ok: true,
      choice: { tier: 'fast', model: DEFAULT_ROUTING.tiers.fast, reason: 'fast: project override (~/code/api)' },
    });
  });

  it('covers subfolders, with the deepest override winning, and leaves other folders to the task’s words', () => {
    expect(chooseModel({ prompt: 'Rename foo', project: '/Users/ada/code/api/web' }, routing, null, '/Users/ada')).toMatchObject({ ok: true, choice: { tier: 'fast' } });
    expect(chooseModel({ prompt: 'Rename foo', project: '/Users/ada/code/api/ml/train' }, routing, null, '/Users/ada')).toMatchObject({ ok: true, choice: { tier: 'strong', reason: 'strong: project override (~/code/api/ml)' } });
    // A sibling whose name merely starts the same is not inside the project.
    expect(chooseModel({ prompt: 'Rename foo', project: '/Users/ada/code/api-old' }, routing, null, '/Users/ada')).toMatchObject({ ok: true, choice: { tier: 'fast', reason: 'fast: rename, no reasoning needed' } });
    expect(chooseModel({ prompt: 'Debug the crash', project: '/srv/other' }, routing, null, '/Users/ada')).toMatchObject({ ok: true, choice: { tier: 'strong', reason: 'strong: debugging' } });
  });

  it('lets the task’s own tier or model win over the project’s', () => {
    expect(chooseModel({ prompt: 'Rename foo', project: '/Users/ada/code/api', tier: 'strong' }, routing, null, '/Users/ada')).toMatchObject({ ok: true, choice: { tier: 'strong', reason: `strong: the strong tier (${DEFAULT_ROUTING.tiers.strong})` } });
    expect(chooseModel({ prompt: 'Rename foo', project: '/Users/ada/code/api', model: 'claude-opus-4-1' }, routing, null, '/Users/ada')).toMatchObject({ ok: true, choice: { model: 'claude-opus-4-1' } });
  });

  it('uses a local override only while a local model is set, falling back to the task’s words with a note', () => {
    const local = { ...DEFAULT_ROUTING, projects: { '/work/site': { tier: 'local' as const } } };
    expect(chooseModel({ prompt: 'Write the release notes', project: '/work/site' }, { ...local, tiers: { ...local.tiers, local: 'qwen3-coder:30b' } }, null, null)).toEqual({
      ok: true,
      choice: { tier: 'local', model: 'ollama/qwen3-coder:30b', reason: 'local: project override (/work/site)' },
    });
    const orphan = chooseModel({ prompt: 'Write the release notes', project: '/work/site' }, local, null, null);
    expect(orphan).toMatchObject({ ok: true, choice: { tier: 'strong', model: DEFAULT_ROUTING.tiers.strong } });
    expect(orphan.ok && orphan.choice.reason).toBe('strong: the default for coding tasks; /work/site is set to local but no local model is set');
  });
});
