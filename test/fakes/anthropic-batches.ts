// Message Batches for the fake Anthropic API. Each request's result is decided when the batch is
// created (so queued replies are consumed in request order) but only shown once the batch has
// ended: `batchDelayMs` after creation on the fake's clock, or at once after a cancel.
import type { ErrorBody } from './anthropic-errors';
import type { WireMessage } from './anthropic-message';
import { fakeId } from './http';

export type BatchItemResult =
  | { type: 'succeeded'; message: WireMessage }
  | { type: 'errored'; error: ErrorBody }
  | { type: 'canceled' }
  | { type: 'expired' };

interface Batch {
  id: string;
  createdAt: number;
  cancelAt?: number;
  results: { custom_id: string; result: BatchItemResult }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class BatchStore {
  private readonly batches = new Map<string, Batch>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly delayMs: number,
  ) {}

  clear(): void {
    this.batches.clear();
  }

  add(createdAt: number, results: Batch['results']): string {
    const id = fakeId('msgbatch_');
    this.batches.set(id, { id, createdAt, results });
    return id;
  }

  has(id: string): boolean {
    return this.batches.has(id);
  }

  private endedAt(b: Batch): number {
    return b.cancelAt ?? b.createdAt + this.delayMs;
  }

  cancel(id: string, now: number): void {
    const b = this.batches.get(id);
    if (b && b.cancelAt === undefined && now < this.endedAt(b)) b.cancelAt = now;
  }

  delete(id: string): void {
    this.batches.delete(id);
  }

  isEnded(id: string, now: number): boolean {
    const b = this.batches.get(id);
    return !!b && now >= this.endedAt(b);
  }

  /** The MessageBatch object. `canceling` is what the cancel call itself answers with. */
  view(id: string, now: number, justCanceled = false): Record<string, unknown> | undefined {
    const b = this.batches.get(id);
    if (!b) return undefined;
    const ended = !justCanceled && now >= this.endedAt(b);
    const results = this.results(id, now);
    const count = (t: BatchItemResult['type']) => (ended ? results.filter((r) => r.result.type === t).length : 0);
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : b.cancelAt !== undefined ? 'canceling' : 'in_progress',
      request_counts: {
        processing: ended ? 0 : b.results.length,
        succeeded: count('succeeded'),
        errored: count('errored'),
        canceled: count('canceled'),
        expired: count('expired'),
      },
      ended_at: ended ? iso(this.endedAt(b)) : null,
      created_at: iso(b.createdAt),
      expires_at: iso(b.createdAt + DAY_MS),
      archived_at: null,
      cancel_initiated_at: b.cancelAt !== undefined ? iso(b.cancelAt) : null,
      results_url: ended ? `${this.baseUrl()}/v1/messages/batches/${b.id}/results` : null,
    };
  }

  /** A canceled batch reports every request as canceled: none had finished (results only exist at the end). */
  results(id: string, _now: number): Batch['results'] {
    const b = this.batches.get(id);
    if (!b) return [];
    if (b.cancelAt !== undefined) return b.results.map((r) => ({ custom_id: r.custom_id, result: { type: 'canceled' } }));
    return b.results;
  }

  /** Newest first, as the list endpoint returns them. */
  ids(): string[] {
    return [...this.batches.keys()].reverse();
  }
}
