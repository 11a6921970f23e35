/**
 * Is a pruned prompt cheaper than the original, counting the prompt cache? Pruning changes the
 * prompt from its first edit on, so the cached tokens after that point are written again
 * (1.25× input) instead of read (0.1×); in exchange the pruned tokens are not sent this turn
 * or on the following ones.
 *
 * For an option whose prompt matches the cache for its first `a` tokens (a ≤ cached prefix C):
 *   cost = a·read + (T − a)·write + turns·T·read
 * so pruned minus original, with S tokens saved, is
 *   Δ = S·(write + turns·read) − (a_original − a_pruned)·(write − read)
 * and only the tokens up to min(C, divergence) ever need counting.
 */
export interface CacheEconomicsInput {
  savedTokens: number;
  /** Tokens of the original prompt that match the cache (min of cached prefix and where it diverges from what was sent). */
  originalCachedTokens: number;
  prunedCachedTokens: number;
  readMultiplier: number;
  writeMultiplier: number;
  futureTurns: number;
}

export interface CacheEconomics {
  /** Tokens-equivalent at the input price: positive means pruning pays. */
  netTokens: number;
  savingsTokens: number;
  cacheLossTokens: number;
}

export function pruningEconomics(i: CacheEconomicsInput): CacheEconomics {
  const savingsTokens = i.savedTokens * (i.writeMultiplier + i.futureTurns * i.readMultiplier);
  const cacheLossTokens = Math.max(0, i.originalCachedTokens - i.prunedCachedTokens) * (i.writeMultiplier - i.readMultiplier);
  return { netTokens: savingsTokens - cacheLossTokens, savingsTokens, cacheLossTokens };
}
