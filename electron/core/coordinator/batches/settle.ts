import type { Core } from '../../services';
import type { SettledRequest } from '../../budget/enforcer';
import { toRow } from '../../gateway/pipeline';
import { costOf } from '../../../../shared/pricing';
import { promptTokens, ZERO_USAGE } from '../../../../shared/usage';
import { formatUsd } from '../../../../shared/money';
import { batchOutcome } from './outcome';
import type { BatchQueue } from './queue-store';
import type { BatchItemResult } from './types';

export interface SettledItem {
  itemId: string;
  requestId: number;
  state: 'done' | 'failed';
}

/**
 * Records one batch result in the ledger and on its queue item, in one IMMEDIATE transaction that
 * first re-reads the item: a result already settled (by this process before a restart, or by another
 * process sharing the ledger) is skipped, so nothing is ever billed twice. Returns null when skipped.
 */
export function settleResult(
  core: Core,
  queue: BatchQueue,
  r: { itemId: string; batchId: string; result: BatchItemResult; finishedAt: number; now: number },
): SettledItem | null {
  const done = core.db
    .transaction((): { settled: SettledItem; record: SettledRequest; agentId: number | null } | null => {
      const row = queue.get(r.itemId);
      if (!row || row.state !== 'running' || row.payload.batchId !== r.batchId || row.payload.requestId != null) return null;
      const p = row.payload;
      const o = batchOutcome(r.result);
      const price = core.catalog().lookup(p.model, 'anthropic');
      const costMicros = o.status === 'ok' ? costOf(o.usage, price.price, { batch: true }) : 0;
      const strong = core.catalog().lookup(core.settings.get().routing.tiers.strong, 'anthropic').price;
      // Same baseline as the gateway: the strong model, no cache, no batch discount — so the batch's
      // 50% shows up as savings.
      const baselineMicros = costOf({ ...ZERO_USAGE, inputTokens: promptTokens(o.usage), outputTokens: o.usage.outputTokens }, strong);
      const startedAt = Date.parse(p.submittedAt ?? row.createdAt);
      const record: SettledRequest = {
        startedAt,
        finishedAt: r.finishedAt,
        agentId: row.agentId,
        sessionId: null,
        taskId: row.taskId,
        provider: 'anthropic',
        modelRequested: p.model,
        modelUsed: p.model,
        tier: null,
        routeReason: `batch: ${p.deferredBecause}`,
        usage: o.usage,
        costMicros,
        baselineMicros,
        priceFlag: price.flag,
        batch: true,
        stream: false,
        latencyMs: Math.max(0, r.finishedAt - startedAt),
        ttfbMs: null,
        status: o.status,
        httpStatus: o.httpStatus,
        error: o.error,
      };
      // Settling with the reservation releases it in the same transaction, success or not.
      const requestId = core.enforcer.settle(p.reservation ?? null, record);
      const reason =
        o.state === 'done' ? `${p.deferredBecause} — done in batch ${r.batchId}, ${formatUsd(costMicros)}` : `${p.deferredBecause} — failed: ${o.error ?? 'unknown error'}`;
      const at = new Date(r.now).toISOString();
      queue.update(row.id, o.state, reason, { ...p, reservation: null, result: r.result, requestId, costMicros, settledAt: at }, at);
      return { settled: { itemId: row.id, requestId, state: o.state }, record, agentId: row.agentId };
    })
    .immediate();
  if (!done) return null;
  const agent = done.agentId === null ? null : (core.agents.getById(done.agentId)?.name ?? null);
  core.events.emit({ type: 'request', request: toRow(done.settled.requestId, done.record, agent) });
  return done.settled;
}
