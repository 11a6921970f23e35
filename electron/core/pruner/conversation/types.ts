/**
 * The parts of an Anthropic Messages request that pruning reads. Structural and open: every
 * field not named here (max_tokens, stream, cache_control, thinking signatures…) passes
 * through untouched.
 */
export interface ContentBlock {
  type: string;
  [key: string]: unknown;
}

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
  [key: string]: unknown;
}

export interface AnthropicMessagesRequest {
  model: string;
  system?: unknown;
  messages: AnthropicMessage[];
  tools?: unknown[];
  [key: string]: unknown;
}

export interface PruneOptions {
  /** Input price of the model, $ per million tokens (= µ$ per token). */
  inputRatePerMTok: number;
  /** Cache reads cost this share of the input price. Default 0.1. */
  cacheReadMultiplier?: number;
  /** A new cache write costs this share of the input price. Default 1.25 (5-minute cache). */
  cacheWriteMultiplier?: number;
  /** How many more turns will re-send this history. Default 8. */
  expectedFutureTurns?: number;
  /**
   * Tokens of the prompt prefix the provider holds in cache (cache read + cache write of the
   * previous response). Default: everything before the last message, as with an agent that
   * marks its last message for caching. Pass 0 when the cache has expired (5 minutes idle).
   */
  cachedPrefixTokens?: number;
  /**
   * The request as it was actually sent last turn (pruned or not). The cache holds that, so a
   * prune repeated identically costs nothing; without it the last send is assumed unpruned.
   */
  previousRequest?: AnthropicMessagesRequest;
  /** Tool outputs above this many tokens are cut to head, tail and error lines. Default 2,000. */
  hugeOutputTokens?: number;
  /** Token counter; default Claude's tokenizer with a memo (the same blocks come back every turn). */
  countTokens?: (text: string) => number;
}

export type PruneActionKind = 'superseded-file' | 'truncated-output' | 'duplicate';

export interface PruneAction {
  kind: PruneActionKind;
  tokensBefore: number;
  tokensAfter: number;
  toolUseId?: string;
}

export interface PruneReport {
  pruned: boolean;
  savedTokens: number;
  /** One line for the ledger: what was pruned, or why not. */
  reason: string;
  actions: PruneAction[];
}

export interface PruneResult {
  request: AnthropicMessagesRequest;
  report: PruneReport;
}
