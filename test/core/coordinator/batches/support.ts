import { createCore, type Core } from '../../../../electron/core/services';
import { BatchCoordinator, type BatchCoordinatorOptions } from '../../../../electron/core/coordinator/batches';
import type { BatchParams } from '../../../../electron/core/coordinator/batches';
import { startHarness, UPSTREAM_KEY, type Harness } from '../../../support/harness';

/** A clock the test moves by hand, shared by the core and the fake upstream. */
export interface ManualClock {
  t: number;
  now(): number;
}

export function manualClock(iso = '2026-03-02T12:00:00Z'): ManualClock {
  const c = { t: Date.parse(iso), now: () => c.t };
  return c;
}

export const BATCH_DELAY_MS = 60_000;

export async function batchHarness(clock: ManualClock): Promise<Harness> {
  return startHarness({ clock, anthropic: { now: () => clock.t, batchDelayMs: BATCH_DELAY_MS } });
}

/** A second core on the same ledger: what a restarted (or a second) Sluice process sees. */
export function coreOnSameLedger(h: Harness, clock: ManualClock, o: { fetch?: typeof fetch; env?: Record<string, string> } = {}): Core {
  const fetchImpl = o.fetch;
  return createCore({
    config: { dataDir: h.dataDir, port: 0, bindHost: '127.0.0.1', upstreamURL: h.anthropic.url, ollamaHost: h.ollama.url },
    env: o.env ?? { ANTHROPIC_API_KEY: UPSTREAM_KEY },
    clock,
    defaultTimeZone: 'UTC',
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

export function coordinator(core: Core, clock: ManualClock, opts: BatchCoordinatorOptions = {}): BatchCoordinator {
  return new BatchCoordinator(core, clock, opts);
}

export function prompt(text: string, maxTokens = 1000): BatchParams {
  return { max_tokens: maxTokens, messages: [{ role: 'user', content: text }] };
}

export interface LedgerRow {
  id: number;
  agent_id: number | null;
  task_id: string | null;
  provider: string;
  model_used: string;
  batch: number;
  status: string;
  http_status: number | null;
  error: string | null;
  cost_micros: number;
  input_tokens: number;
  output_tokens: number;
}

export function ledgerRows(core: Core, where = '1 = 1'): LedgerRow[] {
  return core.db.prepare<[], LedgerRow>(`SELECT * FROM requests WHERE ${where} ORDER BY id`).all();
}

export function batchCreates(h: Harness): { custom_id: string }[][] {
  return h.anthropic.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches')
    .map((r) => (r.body as { requests: { custom_id: string }[] }).requests);
}

/** fetch that answers POST /v1/messages/batches itself (an error, or a hang) for the next `times` calls. */
export function interceptBatchCreate(times: number, answer: () => Promise<Response>): typeof fetch {
  let left = times;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (left > 0 && init?.method === 'POST' && new URL(url).pathname === '/v1/messages/batches') {
      left -= 1;
      return answer();
    }
    return fetch(input, init);
  };
}

export function apiError(status: number, type: string, message: string): Response {
  return new Response(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_test' }), {
    status,
    headers: { 'content-type': 'application/json', 'request-id': 'req_test' },
  });
}
