import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Reservation } from '../../budget/enforcer';
import type { Micros } from '../../../../shared/money';

/** A Messages request as it will sit in a batch: the model is given beside it, streaming does not exist there. */
export type BatchParams = Omit<MessageCreateParamsNonStreaming, 'model' | 'stream'> & { model?: string };

export interface DeferInput {
  agentId: number | null;
  taskId?: string | null;
  model: string;
  params: BatchParams;
  /** Why the work waits, in a person's words: "deferrable task", "deferred by the budget policy". */
  reason: string;
  /**
   * The queue item's id, also sent as the batch `custom_id` (^[a-zA-Z0-9_-]{1,64}$). Deferring the same
   * id twice returns the first item, so a caller that retries after a crash does not pay twice.
   */
  customId?: string;
}

export type WorkState = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';

/** What came back for one item: the API's result, or `lost` when the API no longer knows the batch. */
export type BatchItemResult = MessageBatchResult | { type: 'lost'; message: string };

/** The queue item's payload column (JSON). Everything needed to resume after a restart lives here. */
export interface BatchPayload {
  model: string;
  params: Omit<MessageCreateParamsNonStreaming, 'model' | 'stream'>;
  deferredBecause: string;
  estimatedPromptTokens: number;
  maxTokens: number;
  cacheTtl: '5m' | '1h' | null;
  /** Set while one process submits the item, so a second process leaves it alone. */
  claim?: { owner: string; pid: number; at: string } | null;
  /** The budget held for the item's worst case at batch prices, from submission until it is settled. */
  reservation?: Reservation | null;
  batchId?: string | null;
  submittedAt?: string | null;
  submitAttempts?: number;
  /** After the API refused a whole batch, each item goes alone, so one bad request fails only itself. */
  submitAlone?: boolean;
  /** Why the item could never be submitted (it has no result and cost nothing). */
  submitError?: string | null;
  result?: BatchItemResult | null;
  /** The ledger's request row, once settled: the guard that makes settling happen once. */
  requestId?: number | null;
  costMicros?: Micros | null;
  settledAt?: string | null;
}

/** One deferred request, as `sluice batch ls` and the UI show it. */
export interface BatchItem {
  id: string;
  state: WorkState;
  /** Why it is where it is now, for a person. */
  reason: string;
  deferredBecause: string;
  /** Waiting because the budget (daily limit, token limit or the agent's cap) refused its worst case. */
  waitingForBudget: boolean;
  agentId: number | null;
  agentName: string | null;
  taskId: string | null;
  model: string;
  maxTokens: number;
  batchId: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  settledAt: string | null;
  /** The most it can cost at batch prices (what is reserved while it runs). */
  worstCaseMicros: Micros;
  /** What the ledger recorded, once settled. */
  costMicros: Micros | null;
  requestId: number | null;
  result: BatchItemResult | null;
  /** "type: message" when it failed. */
  error: string | null;
}

export interface TickReport {
  /** Whether the off-peak window (or its absence) allowed submitting now. */
  windowOpen: boolean;
  submitted: number;
  batchesCreated: number;
  settled: number;
  failed: number;
  waitingForBudget: number;
}

/** The Message Batches API's limits per batch: 100,000 requests or 256 MB, whichever comes first. */
export interface BatchLimits {
  maxRequests: number;
  maxBytes: number;
}

// 256 MB read as 10^6 bytes per MB: the stricter of the two readings, so a full batch is never refused.
export const API_BATCH_LIMITS: BatchLimits = { maxRequests: 100_000, maxBytes: 256_000_000 };
