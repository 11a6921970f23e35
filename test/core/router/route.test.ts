import { describe, expect, it } from 'vitest';
import { route, downgradeTarget, localFit, switchPaysOff, type RouteInput } from '../../../electron/core/router/route';
import { DEFAULT_ROUTING } from '../../../shared/settings';

const base: RouteInput = {
  model: 'claude-opus-4-8',
  agentName: 'alice',
  hasTools: true,
  maxTokens: 8000,
  estimatedPromptTokens: 20_000,
  imageCount: 0,
  rules: DEFAULT_ROUTING,
  localModels: [
    { name: 'qwen3-coder:30b', contextLength: 262_144, capabilities: ['completion', 'tools'] },
    { name: 'gemma3:4b', contextLength: 8192, capabilities: ['completion', 'vision'] },
  ],
  sessionModel: null,
};

describe('route', () => {
  it('passes a tool-using turn through as requested', () => {
    expect(route(base)).toEqual({ provider: 'anthropic', model: 'claude-opus-4-8', tier: 'strong', reason: 'as requested' });
  });
  it('applies aliases first and says so', () => {
    const d = route({ ...base, model: 'big', rules: { ...DEFAULT_ROUTING, aliases: { big: 'claude-opus-4-8' } } });
    expect(d.model).toBe('claude-opus-4-8');
    expect(d.reason).toContain('alias big -> claude-opus-4-8');
  });
  it('sends small background calls to the fast tier', () => {
    const d = route({ ...base, hasTools: false, maxTokens: 200 });
    expect(d).toMatchObject({ provider: 'anthropic', model: DEFAULT_ROUTING.tiers.fast, tier: 'fast' });
    expect(d.reason).toBe('fast: background call (no tools, max_tokens 200)');
  });
  it('sends background calls to a local model when that tier is chosen and fits', () => {
    const rules = { ...DEFAULT_ROUTING, tiers: { ...DEFAULT_ROUTING.tiers, local: 'qwen3-coder:30b' }, background: { enabled: true, maxTokens: 1024, tier: 'local' as const } };
    expect(route({ ...base, hasTools: false, maxTokens: 200, rules })).toMatchObject({ provider: 'ollama', model: 'qwen3-coder:30b', tier: 'local' });
    const down = route({ ...base, hasTools: false, maxTokens: 200, rules, localModels: null });
    expect(down).toMatchObject({ provider: 'anthropic', tier: 'fast' });
    expect(down.reason).toContain('Ollama is not running');
  });
  it('follows an agent rule to a local model, and falls back with a reason when it cannot take the request', () => {
    const rules = { ...DEFAULT_ROUTING, agentRules: [{ agent: 'alice', model: 'ollama/gemma3:4b' }] };
    const d = route({ ...base, rules });
    expect(d.provider).toBe('anthropic');
    expect(d.reason).toMatch(/context \(8,192\) is too small|does not support tools/);
    const ok = route({ ...base, rules: { ...rules, agentRules: [{ agent: 'alice', model: 'ollama/qwen3-coder:30b' }] } });
    expect(ok).toMatchObject({ provider: 'ollama', model: 'qwen3-coder:30b', reason: 'local: requests of agent alice go to qwen3-coder:30b' });
  });
  it('never sends tools to a model without tool support, nor images to one without vision', () => {
    expect(localFit('gemma3:4b', { ...base, estimatedPromptTokens: 100, maxTokens: 100 })).toEqual({ ok: false, why: 'gemma3:4b does not support tools' });
    expect(localFit('qwen3-coder:30b', { ...base, imageCount: 1 })).toEqual({ ok: false, why: 'qwen3-coder:30b cannot read images' });
  });
  it('downgrades to the fast tier, or to local when configured, and nowhere from the fast tier itself', () => {
    expect(downgradeTarget('claude-opus-4-8', base)).toMatchObject({ model: DEFAULT_ROUTING.tiers.fast, reason: 'fast: budget limit reached, downgraded from claude-opus-4-8' });
    expect(downgradeTarget(DEFAULT_ROUTING.tiers.fast, base)).toBeNull();
    const rules = { ...DEFAULT_ROUTING, downgradeTo: 'local' as const, tiers: { ...DEFAULT_ROUTING.tiers, local: 'qwen3-coder:30b' } };
    expect(downgradeTarget('claude-opus-4-8', { ...base, rules })).toMatchObject({ provider: 'ollama', model: 'qwen3-coder:30b' });
  });
});

describe('budget-aware routing', () => {
  it('steps strong work down near the limit when the policy is downgrade, and says why', () => {
    const d = route({ ...base, budget: { percent: 96.4, policy: 'downgrade', stepDownAtPercent: 95 } });
    expect(d).toMatchObject({ provider: 'anthropic', model: DEFAULT_ROUTING.tiers.fast, tier: 'fast' });
    expect(d.reason).toBe('fast: budget at 96%, downgraded from claude-opus-4-8');
  });
  it('keeps a warm session on its model when switching would cost more than the cache it throws away', () => {
    const rates: Record<string, number> = { 'claude-opus-4-8': 5, [DEFAULT_ROUTING.tiers.fast]: 4.5 };
    const warm = { ...base, sessionModel: 'claude-opus-4-8', sessionCachedTokens: 120_000, inputRate: (m: string) => rates[m] ?? 5, budget: { percent: 97, policy: 'downgrade' as const, stepDownAtPercent: 95 } };
    const stay = route(warm);
    expect(stay.model).toBe('claude-opus-4-8');
    expect(stay.reason).toBe('strong: budget at 97%, but staying on claude-opus-4-8 keeps 120,000 cached tokens (switching would cost more)');
    // A much cheaper fast tier pays for the lost cache, so the session moves.
    rates[DEFAULT_ROUTING.tiers.fast] = 0.1;
    expect(route(warm).model).toBe(DEFAULT_ROUTING.tiers.fast);
    expect(switchPaysOff(100_000, 3, 1)).toBe(true);
    expect(switchPaysOff(100_000, 3, 2.9)).toBe(false);
  });

  it('leaves work alone below the step-down point or under another policy', () => {
    expect(route({ ...base, budget: { percent: 80, policy: 'downgrade', stepDownAtPercent: 95 } }).model).toBe('claude-opus-4-8');
    expect(route({ ...base, budget: { percent: 99, policy: 'reject', stepDownAtPercent: 95 } }).model).toBe('claude-opus-4-8');
  });
});
