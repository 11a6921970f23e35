import { describe, expect, it } from 'vitest';
import { costOf } from '../../../shared/pricing';
import { usdToMicros } from '../../../shared/money';
import { fromAnthropicUsage, type Usage } from '../../../shared/usage';
import { PriceCatalog } from '../../../electron/core/pricing/catalog';

const catalog = PriceCatalog.builtIn();
const price = (model: string) => catalog.lookup(model).price;
const usage = (u: Partial<Usage>): Usage => ({ inputTokens: 0, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, ...u });

// Rates are $/MTok, i.e. µ$ per token, so every expected figure below is tokens × the documented rate.
describe('costs through the catalog', () => {
  it('agrees with Claude Code’s total_cost_usd of $0.00186 on claude-opus-4-8', () => {
    const u = usage({ inputTokens: 12, cacheWrite5mTokens: 100, cacheReadTokens: 2_000, outputTokens: 7 });
    // 12×5 + 100×6.25 + 2,000×0.50 + 7×25 = 60 + 625 + 1,000 + 175
    expect(costOf(u, price('claude-opus-4-8'))).toBe(1_860);
    expect(costOf(u, price('claude-opus-4-8'))).toBe(usdToMicros(0.00186));
    expect(costOf(u, price('claude-opus-4-8[1m]'))).toBe(1_860);
  });

  it('prices a Sonnet 4.5 request above 200K prompt tokens at the long-context rates, output included', () => {
    const long = usage({ inputTokens: 150_000, cacheReadTokens: 60_000, outputTokens: 1_000 });
    // 150,000×6 + 60,000×0.60 + 1,000×22.50
    expect(costOf(long, price('claude-sonnet-4-5-20250929'))).toBe(958_500);
    const atThreshold = usage({ inputTokens: 140_000, cacheReadTokens: 60_000, outputTokens: 1_000 });
    // exactly 200,000 prompt tokens stays on the base card: 140,000×3 + 60,000×0.30 + 1,000×15
    expect(costOf(atThreshold, price('claude-sonnet-4-5'))).toBe(453_000);
  });

  it('switches Haiku 5.5 to its dearer card above 100,000 prompt tokens, counting cache writes', () => {
    // 100,000×0.10 + 1,000×0.50 — at the threshold, the low card
    expect(costOf(usage({ inputTokens: 100_000, outputTokens: 1_000 }), price('claude-haiku-5-5'))).toBe(10_500);
    // 99,999×0.50 + 2×0.625 (5m write pushes the prompt to 100,001) + 1,000×2.50 = 52,500.75 → rounded up
    expect(costOf(usage({ inputTokens: 99_999, cacheWrite5mTokens: 2, outputTokens: 1_000 }), price('claude-haiku-5-5'))).toBe(52_501);
  });

  it('takes 50% off every kind of token on the Message Batches API', () => {
    const u = usage({ inputTokens: 1_000_000, outputTokens: 100_000, cacheWrite5mTokens: 200_000, cacheReadTokens: 400_000 });
    // 1,000,000×5 + 100,000×25 + 200,000×6.25 + 400,000×0.50 = 8,950,000
    expect(costOf(u, price('claude-opus-4-8'))).toBe(8_950_000);
    expect(costOf(u, price('claude-opus-4-8'), { batch: true })).toBe(4_475_000);
  });

  it('prices a 1-hour cache write at 2× input when the API splits the write by TTL', () => {
    const u = fromAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 4_000,
      cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 3_000 },
      output_tokens: 20,
    });
    // 10×5 + 1,000×6.25 + 3,000×10 + 20×25
    expect(costOf(u, price('claude-opus-4-8'))).toBe(36_800);
  });

  it('charges Fable 5.1 cache reads a quarter of Fable 5’s', () => {
    const reads = usage({ cacheReadTokens: 1_000_000 });
    expect(costOf(reads, price('claude-fable-5-1'))).toBe(250_000);
    expect(costOf(reads, price('claude-fable-5'))).toBe(1_000_000);
  });

  it('charges Sonnet 5.5 cache reads at the October 2026 rate of $0.10', () => {
    expect(costOf(usage({ cacheReadTokens: 1_000_000 }), price('sonnet'))).toBe(100_000);
  });
});
