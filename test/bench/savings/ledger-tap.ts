// Reads what the ledger recorded since the last look and files it under a kind of work. Requests are
// sent one at a time, so the rows that appear after a request are that request's.
import type { Db } from '../../../electron/core/ledger/db';

export type CostKind = 'fix' | 'mechanical' | 'deferrable' | 'background';
export const COST_KINDS: CostKind[] = ['fix', 'mechanical', 'deferrable', 'background'];

export interface Tokens {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export interface Spend {
  micros: number;
  byKind: Record<CostKind, number>;
  /** µ$ per model actually used. */
  byModel: Record<string, number>;
  tokens: Tokens;
  /** Requests per kind. */
  requests: Record<CostKind, number>;
  batchMicros: number;
}

interface Row {
  id: number;
  model_used: string;
  input_tokens: number;
  output_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
  cost_micros: number;
  status: string;
  error: string | null;
  batch: number;
}

export class LedgerTap {
  private lastId = 0;
  count = 0;
  private readonly spend: Spend = {
    micros: 0,
    byKind: { fix: 0, mechanical: 0, deferrable: 0, background: 0 },
    byModel: {},
    tokens: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
    requests: { fix: 0, mechanical: 0, deferrable: 0, background: 0 },
    batchMicros: 0,
  };

  constructor(private readonly db: Db) {}

  /**
   * Files every new row under `kind` (batch results, which the coordinator settles whenever it polls,
   * always under 'deferrable'). A request the ledger did not record, or recorded as failed, stops the bench.
   */
  take(kind: CostKind, opts: { mayBeNone?: boolean } = {}): void {
    const rows = this.db
      .prepare<[number], Row>(
        `SELECT id, model_used, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens,
           cost_micros, status, error, batch FROM requests WHERE id > ? ORDER BY id`,
      )
      .all(this.lastId);
    if (rows.length === 0 && !opts.mayBeNone) throw new Error(`the ledger recorded no ${kind} request`);
    for (const r of rows) {
      const k: CostKind = r.batch === 1 ? 'deferrable' : kind;
      if (r.status !== 'ok') throw new Error(`a ${k} request failed: ${r.error ?? r.status}`);
      this.lastId = r.id;
      this.count += 1;
      const s = this.spend;
      s.micros += r.cost_micros;
      s.byKind[k] += r.cost_micros;
      s.requests[k] += 1;
      s.byModel[r.model_used] = (s.byModel[r.model_used] ?? 0) + r.cost_micros;
      s.tokens.input += r.input_tokens;
      s.tokens.output += r.output_tokens;
      s.tokens.cacheWrite += r.cache_write_5m_tokens + r.cache_write_1h_tokens;
      s.tokens.cacheRead += r.cache_read_tokens;
      if (r.batch === 1) s.batchMicros += r.cost_micros;
    }
  }

  total(): Spend {
    return structuredClone(this.spend);
  }
}
