import { describe, expect, it } from 'vitest';
import { fromAnthropicUsage, mergeUsage } from '../../shared/usage';

describe('streaming usage', () => {
  it('keeps the 5m/1h split of message_start when message_delta repeats only the cache-write total', () => {
    const start = fromAnthropicUsage({
      input_tokens: 3,
      cache_creation_input_tokens: 17_895,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 11_407, ephemeral_1h_input_tokens: 6_488 },
      output_tokens: 1,
    });
    const delta = fromAnthropicUsage({ input_tokens: 3, cache_creation_input_tokens: 17_895, cache_read_input_tokens: 0, output_tokens: 420 });
    expect(mergeUsage(start, delta)).toEqual({ inputTokens: 3, outputTokens: 420, cacheWrite5mTokens: 11_407, cacheWrite1hTokens: 6_488, cacheReadTokens: 0 });
  });

  it('takes a later split or a later count as it comes', () => {
    const start = fromAnthropicUsage({ input_tokens: 10, cache_creation_input_tokens: 100, output_tokens: 1 });
    const delta = fromAnthropicUsage({ cache_creation_input_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 }, output_tokens: 9 });
    expect(mergeUsage(start, delta)).toMatchObject({ cacheWrite5mTokens: 40, cacheWrite1hTokens: 60, outputTokens: 9, inputTokens: 10 });
  });
});
