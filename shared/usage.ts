/** Token counts of one request, by kind. Every field is an integer ≥ 0. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
}

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  cacheReadTokens: 0,
});

/** The `usage` object as the Anthropic Messages API reports it (message_start / message_delta / JSON). */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
}

function n(x: number | null | undefined): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}

/**
 * Maps Anthropic's usage to ours. When `cache_creation` splits the write by TTL we use the split;
 * otherwise the whole `cache_creation_input_tokens` is a 5-minute write (the API's default TTL).
 */
export function fromAnthropicUsage(u: AnthropicUsage | null | undefined): Usage {
  if (!u) return { ...ZERO_USAGE };
  const total = n(u.cache_creation_input_tokens);
  const w1h = n(u.cache_creation?.ephemeral_1h_input_tokens);
  const w5mSplit = n(u.cache_creation?.ephemeral_5m_input_tokens);
  const hasSplit = u.cache_creation != null && (w1h > 0 || w5mSplit > 0);
  // If the split disagrees with the total, trust the larger number: we would rather over-count.
  const w5m = hasSplit ? Math.max(w5mSplit, total - w1h) : total;
  return {
    inputTokens: n(u.input_tokens),
    outputTokens: n(u.output_tokens),
    cacheWrite5mTokens: w5m,
    cacheWrite1hTokens: hasSplit ? w1h : 0,
    cacheReadTokens: n(u.cache_read_input_tokens),
  };
}

/**
 * Streaming usage arrives in two parts: message_start carries input and cache counts,
 * message_delta carries cumulative output (and, on newer API versions, may repeat input counts).
 * Later non-zero values win, field by field.
 */
export function mergeUsage(a: Usage, b: Usage): Usage {
  let w5m = b.cacheWrite5mTokens || a.cacheWrite5mTokens;
  // A message_delta that repeats the cache-write total without the 5m/1h split reads as all 5-minute:
  // keep the split message_start gave, or the 1-hour tokens would be billed twice.
  if (b.cacheWrite1hTokens === 0 && a.cacheWrite1hTokens > 0 && b.cacheWrite5mTokens > 0) w5m = Math.max(0, b.cacheWrite5mTokens - a.cacheWrite1hTokens);
  return {
    inputTokens: b.inputTokens || a.inputTokens,
    outputTokens: b.outputTokens || a.outputTokens,
    cacheWrite5mTokens: w5m,
    cacheWrite1hTokens: b.cacheWrite1hTokens || a.cacheWrite1hTokens,
    cacheReadTokens: b.cacheReadTokens || a.cacheReadTokens,
  };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWrite5mTokens: a.cacheWrite5mTokens + b.cacheWrite5mTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}

/** All tokens the model read for its prompt, however they were billed. */
export function promptTokens(u: Usage): number {
  return u.inputTokens + u.cacheWrite5mTokens + u.cacheWrite1hTokens + u.cacheReadTokens;
}

export function totalTokens(u: Usage): number {
  return promptTokens(u) + u.outputTokens;
}
