import { describe, expect, it } from 'vitest';
import { costOf, standardRates, worstCaseCost, type ModelPrice } from '../../shared/pricing';
import { fromAnthropicUsage, ZERO_USAGE } from '../../shared/usage';

const opus: ModelPrice = { id: 'claude-opus-4-8', rates: standardRates(5, 25), batchMultiplier: 0.5 };

describe('costOf', () => {
  it('agrees with the total_cost_usd Claude Code reports (12 in, 100 cache write, 2,000 cache read, 7 out at $5/$25)', () => {
    const usage = fromAnthropicUsage({ input_tokens: 12, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000, output_tokens: 7 });
    expect(costOf(usage, opus)).toBe(1860); // $0.00186
  });

  it('prices a 1-hour cache write at 2× input when cache_creation splits the TTLs', () => {
    const usage = fromAnthropicUsage({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 1000,
      cache_creation: { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 },
    });
    expect(usage.cacheWrite5mTokens).toBe(400);
    expect(usage.cacheWrite1hTokens).toBe(600);
    expect(costOf(usage, opus)).toBe(400 * 6.25 + 600 * 10);
  });

  it('halves input and output for the batch tier', () => {
    const usage = { ...ZERO_USAGE, inputTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(costOf(usage, opus)).toBe(30_000_000);
    expect(costOf(usage, opus, { batch: true })).toBe(15_000_000);
  });

  it('prices the whole request at the long-context rates above the threshold', () => {
    const sonnet: ModelPrice = {
      id: 's',
      rates: standardRates(3, 15),
      longContext: { abovePromptTokens: 200_000, rates: standardRates(6, 22.5) },
      batchMultiplier: 0.5,
    };
    const below = { ...ZERO_USAGE, inputTokens: 200_000, outputTokens: 1000 };
    const above = { ...ZERO_USAGE, inputTokens: 150_000, cacheReadTokens: 50_001, outputTokens: 1000 };
    expect(costOf(below, sonnet)).toBe(200_000 * 3 + 1000 * 15);
    expect(costOf(above, sonnet)).toBe(Math.ceil(150_000 * 6 + 50_001 * 0.6 + 1000 * 22.5));
  });

  it('never rounds a fraction of a micro-dollar down to zero', () => {
    const haiku: ModelPrice = { id: 'h', rates: standardRates(0.1, 0.5), batchMultiplier: 0.5 };
    expect(costOf({ ...ZERO_USAGE, cacheReadTokens: 1 }, haiku)).toBe(1);
    expect(costOf({ ...ZERO_USAGE }, haiku)).toBe(0);
  });

  it('reserves at least what any outcome of the request can cost', () => {
    const worst = worstCaseCost(10_000, 2_000, opus, { cacheTtl: '1h' });
    const outcomes = [
      { ...ZERO_USAGE, inputTokens: 10_000, outputTokens: 2_000 },
      { ...ZERO_USAGE, cacheWrite1hTokens: 10_000, outputTokens: 2_000 },
      { ...ZERO_USAGE, cacheWrite5mTokens: 5_000, cacheReadTokens: 5_000, outputTokens: 2_000 },
    ];
    for (const u of outcomes) expect(costOf(u, opus)).toBeLessThanOrEqual(worst);
  });
});

describe('fromAnthropicUsage', () => {
  it('treats missing and null fields as zero', () => {
    expect(fromAnthropicUsage({ input_tokens: 5, output_tokens: null, cache_creation: null })).toEqual({ ...ZERO_USAGE, inputTokens: 5 });
    expect(fromAnthropicUsage(undefined)).toEqual(ZERO_USAGE);
  });
});
