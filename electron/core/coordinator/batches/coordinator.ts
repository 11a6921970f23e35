import crypto from 'node:crypto';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { BatchCreateParams } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Core } from '../../services';
import type { Clock } from '../../events';
import { processAlive } from '../../budget/enforcer';
import { MissingApiKeyError } from '../../providers/anthropic/client';
import { analyzeMessagesRequest } from '../../gateway/messages-request';
import { GatewayError } from '../../gateway/errors';
import { worstCaseCost } from '../../../../shared/pricing';
import type { Micros } from '../../../../shared/money';
import { BatchQueue, type QueueRow } from './queue-store';
import { packBatches } from './pack';
import { settleResult } from './settle';
import { batchOutcome } from './outcome';
import { submissionWindow } from './window';
import { API_BATCH_LIMITS, type BatchItem, type BatchLimits, type BatchParams, type BatchPayload, type DeferInput, type TickReport } from './types';

/** Bad input to `defer` (no model, no messages, a bad id…): the caller's mistake, said in one sentence. */
export class BatchInputError extends Error {
  override readonly name = 'BatchInputError';
}

export const DEFAULT_BATCH_INTERVAL_MS = 30_000;
/**
 * A claim older than this, held by another coordinator, means that process died mid-submission: longer
 * than the SDK's 10-minute request timeout, so a live coordinator's `create` has answered by then.
 */
const STALE_CLAIM_MS = 15 * 60 * 1000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const WAITING_FOR_BUDGET = ' — waiting for budget: ';

/** Started coordinators of this process, so work deferred through any instance is submitted without waiting a full interval. */
const started = new Set<BatchCoordinator>();
/** How long a nudge waits, so a burst of deferrals goes out in one batch. */
const NUDGE_DELAY_MS = 500;

// Whole-batch refusals that will not change on retry (a retry of the same bytes gets the same answer).
const PERMANENT_STATUS = new Set([400, 404, 413, 422]);

export interface BatchCoordinatorOptions {
  /** How often `start()` ticks. @default 30 000 ms */
  intervalMs?: number;
  /** Per-batch limits; tests shrink them. @default 100,000 requests / 256 MB (the API's) */
  limits?: BatchLimits;
}

/**
 * Deferred work through the Message Batches API (50% off): `defer` puts a request in the ledger's
 * work queue; each `tick` settles ended batches, then — inside the off-peak window, or at once when
 * none is set — reserves budget for each waiting item's worst case at batch prices and submits what fits.
 * Every step is written to the ledger before the next, so a restart resumes where it stopped.
 */
export class BatchCoordinator {
  readonly queue: BatchQueue;
  private nudgeTimer: NodeJS.Timeout | null = null;
  private readonly owner = `${process.pid}:${crypto.randomUUID()}`;
  private readonly intervalMs: number;
  private readonly limits: BatchLimits;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<TickReport> | null = null;
  private readonly agentNames = new Map<number, string | null>();

  constructor(
    private readonly core: Core,
    private readonly clock: Clock = core.clock,
    opts: BatchCoordinatorOptions = {},
  ) {
    this.queue = new BatchQueue(core.db);
    this.intervalMs = opts.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS;
    this.limits = opts.limits ?? API_BATCH_LIMITS;
  }

  /** Records a deferrable request. It waits in the ledger (surviving restarts) until a tick submits it. */
  defer(input: DeferInput): { id: string } {
    const model = input.model.trim();
    if (!model) throw new BatchInputError('A batch request needs a model, e.g. claude-sonnet-4-6.');
    const id = input.customId ?? crypto.randomUUID();
    if (!CUSTOM_ID.test(id)) throw new BatchInputError(`"${id}" cannot be a batch id: use 1–64 letters, digits, "_" or "-".`);
    if (input.agentId !== null && !this.core.agents.getById(input.agentId)) throw new BatchInputError(`There is no agent with id ${input.agentId}.`);
    const { model: _ignored, stream: _never, ...params } = input.params as BatchParams & { stream?: unknown };
    let mr;
    try {
      mr = analyzeMessagesRequest({ ...params, model });
    } catch (e) {
      if (e instanceof GatewayError) throw new BatchInputError(e.message);
      throw e;
    }
    const deferredBecause = input.reason.trim() || 'deferred';
    const payload: BatchPayload = {
      model,
      params,
      deferredBecause,
      estimatedPromptTokens: mr.estimatedPromptTokens,
      maxTokens: mr.maxTokens,
      cacheTtl: mr.cacheTtl,
    };
    const at = new Date(this.clock.now()).toISOString();
    const queued = this.core.db
      .transaction(() => {
        if (this.queue.get(id)) return { id };
        try {
          this.queue.insert({ id, agentId: input.agentId, taskId: input.taskId ?? null, payload, reason: deferredBecause, at });
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new BatchInputError(`The id "${id}" is already used by other queued work.`);
          throw e;
        }
        return { id };
      })
      .immediate();
    this.nudgeStarted();
    return queued;
  }

  /** Asks every started coordinator of this process on the same ledger for a round soon. */
  private nudgeStarted(): void {
    for (const c of started) if (c.core.db.name === this.core.db.name) c.soon();
  }

  private soon(): void {
    if (this.nudgeTimer || !this.timer) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = null;
      // A round already running may have passed its submit step: go again after it.
      void (this.inFlight ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => this.safeTick());
    }, NUDGE_DELAY_MS);
    this.nudgeTimer.unref?.();
  }

  /** One round: recover, settle what ended, hold budget for what runs, submit what may go. Never overlaps itself. */
  tick(now: number = this.clock.now()): Promise<TickReport> {
    if (this.inFlight) return this.inFlight;
    const run = this.runTick(now).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  /** Ticks every `intervalMs` (and once now) until `stop()`, and soon after work is deferred in this process. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.safeTick(), this.intervalMs);
    this.timer.unref?.();
    started.add(this);
    void this.safeTick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    started.delete(this);
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.nudgeTimer = null;
    await this.inFlight?.catch(() => undefined);
  }

  /** Takes a waiting item out of the queue; false once it is being submitted or has been. */
  cancel(id: string, why = 'cancelled'): boolean {
    const row = this.queue.get(id);
    if (!row) return false;
    return this.queue.cancelWaiting(id, `${row.payload.deferredBecause} — ${why}`, new Date(this.clock.now()).toISOString());
  }

  /** Newest first. */
  list(limit = 1000): BatchItem[] {
    return this.queue.list(limit).map((r) => this.toItem(r));
  }

  /** By id, or by a unique prefix of at least 4 characters. */
  find(idOrPrefix: string): BatchItem | null {
    const exact = this.queue.get(idOrPrefix);
    if (exact) return this.toItem(exact);
    if (idOrPrefix.length < 4) return null;
    const rows = this.queue.withPrefix(idOrPrefix);
    return rows.length === 1 && rows[0] ? this.toItem(rows[0]) : null;
  }

  private async safeTick(): Promise<void> {
    try {
      await this.tick();
    } catch (e) {
      this.core.log.log('error', 'the batch coordinator failed a round; it will try again', { error: (e as Error).message });
    }
  }

  private async runTick(now: number): Promise<TickReport> {
    const report: TickReport = { windowOpen: false, submitted: 0, batchesCreated: 0, settled: 0, failed: 0, waitingForBudget: 0 };
    this.recoverStaleClaims(now);
    const sdk = this.client();
    if (!sdk) {
      this.explainWaiting('waiting for an Anthropic API key (set ANTHROPIC_API_KEY or add it in Settings)', now);
      return report;
    }
    await this.poll(sdk, now, report);
    this.holdReservations(now);
    const s = this.core.settings.get();
    const w = submissionWindow(now, s.timeZone, s.offPeak);
    report.windowOpen = w.open;
    if (!w.open) {
      this.explainWaiting(w.reason, now);
      return report;
    }
    await this.submit(sdk, now, report);
    return report;
  }

  private client(): Anthropic | null {
    try {
      return this.core.anthropic.sdk();
    } catch (e) {
      if (e instanceof MissingApiKeyError) return null;
      throw e;
    }
  }

  // ── settle ─────────────────────────────────────────────────────────────────────────────────────
  private async poll(sdk: Anthropic, now: number, report: TickReport): Promise<void> {
    const batchIds = [...new Set(this.queue.inState('running').flatMap((r) => (r.payload.batchId ? [r.payload.batchId] : [])))];
    for (const batchId of batchIds) {
      let endedAt: number;
      try {
        const batch = await sdk.messages.batches.retrieve(batchId);
        if (batch.processing_status !== 'ended') continue;
        endedAt = batch.ended_at ? Date.parse(batch.ended_at) : now;
      } catch (e) {
        if (e instanceof APIError && e.status === 404) {
          this.settleRest(batchId, 'the Batches API no longer knows this batch', now, now, report);
        } else {
          this.core.log.log('warn', 'could not check a message batch; will try again', { batchId, error: (e as Error).message });
        }
        continue;
      }
      try {
        // Settled as they stream: a crash half-way keeps what was settled and skips it next time.
        for await (const r of await sdk.messages.batches.results(batchId)) {
          this.count(report, settleResult(this.core, this.queue, { itemId: r.custom_id, batchId, result: r.result, finishedAt: endedAt, now }));
        }
      } catch (e) {
        this.core.log.log('warn', 'could not read a batch\'s results; will try again', { batchId, error: (e as Error).message });
        continue;
      }
      this.settleRest(batchId, 'the batch ended without a result for this request', endedAt, now, report);
    }
  }

  private settleRest(batchId: string, message: string, finishedAt: number, now: number, report: TickReport): void {
    for (const row of this.queue.inState('running')) {
      if (row.payload.batchId !== batchId) continue;
      this.count(report, settleResult(this.core, this.queue, { itemId: row.id, batchId, result: { type: 'lost', message }, finishedAt, now }));
    }
  }

  private count(report: TickReport, s: { state: 'done' | 'failed' } | null): void {
    if (s?.state === 'done') report.settled += 1;
    else if (s?.state === 'failed') report.failed += 1;
  }

  /**
   * A restart releases every reservation of the old process (`releaseOrphans`), but its batches still
   * run and will be billed: hold their worst case again so the budget keeps counting them.
   */
  private holdReservations(now: number): void {
    const held = new Set(this.core.db.prepare<[], { id: string }>('SELECT id FROM reservations').all().map((r) => r.id));
    for (const row of this.queue.inState('running')) {
      const p = row.payload;
      if (!p.batchId || (p.reservation && held.has(p.reservation.id))) continue;
      this.core.db
        .transaction(() => {
          const fresh = this.queue.get(row.id);
          if (!fresh || fresh.state !== 'running' || fresh.payload.requestId != null) return;
          if (fresh.payload.reservation && fresh.payload.reservation.id !== p.reservation?.id) return;
          const admitted = this.admit(fresh);
          // Refused: the work is already paid for upstream; it will simply be settled without a hold.
          if (!admitted.ok) return;
          this.queue.update(row.id, 'running', fresh.reason, { ...fresh.payload, reservation: admitted.reservation }, new Date(now).toISOString());
        })
        .immediate();
    }
  }

  // ── submit ─────────────────────────────────────────────────────────────────────────────────────
  private async submit(sdk: Anthropic, now: number, report: TickReport): Promise<void> {
    const claimed = this.claim(now, report);
    if (claimed.length === 0) return;
    const alone = claimed.filter((r) => r.payload.submitAlone);
    const together = claimed.filter((r) => !r.payload.submitAlone);
    const packed = packBatches(together.map((item) => ({ item, bytes: Buffer.byteLength(JSON.stringify(requestOf(item))) })), this.limits);
    for (const row of packed.tooLarge) this.failUnsent([row], 'too large for any batch (over the 256 MB per-batch limit)', now);
    for (const group of [...packed.batches, ...alone.map((r) => [r])]) {
      try {
        const batch = await sdk.messages.batches.create({ requests: group.map(requestOf) });
        this.markSubmitted(group, batch.id, now);
        report.submitted += group.length;
        report.batchesCreated += 1;
      } catch (e) {
        const status = e instanceof APIError && typeof e.status === 'number' ? e.status : null;
        const message = apiMessage(e);
        if (status !== null && PERMANENT_STATUS.has(status)) {
          if (group.length === 1) this.failUnsent(group, `the Batches API refused it (${status}): ${message}`, now);
          else this.returnToWaiting(group, `the Batches API refused the batch (${status}: ${message}); each request will be sent alone`, now, true);
        } else {
          this.returnToWaiting(group, `the Batches API did not take the batch (${status ?? 'network'}: ${message}); will try again`, now, false);
        }
      }
    }
  }

  /**
   * Reserves each waiting item's worst case and marks it claimed, in one IMMEDIATE transaction, so two
   * processes sharing the ledger never submit the same item. What does not fit stays waiting, saying why.
   */
  private claim(now: number, report: TickReport): QueueRow[] {
    const at = new Date(now).toISOString();
    return this.core.db
      .transaction(() => {
        const claimed: QueueRow[] = [];
        for (const row of this.queue.inState('waiting')) {
          const admitted = this.admit(row);
          if (!admitted.ok) {
            report.waitingForBudget += 1;
            this.queue.setWaitingReason(row.id, `${row.payload.deferredBecause}${WAITING_FOR_BUDGET}${admitted.message.replace(/^Sluice: /, '')}`, at);
            continue;
          }
          const payload: BatchPayload = { ...row.payload, reservation: admitted.reservation, claim: { owner: this.owner, pid: process.pid, at } };
          const reason = `${row.payload.deferredBecause} — submitting`;
          this.queue.update(row.id, 'running', reason, payload, at);
          claimed.push({ ...row, state: 'running', reason, payload });
        }
        return claimed;
      })
      .immediate();
  }

  private admit(row: QueueRow) {
    const agent = row.agentId === null ? null : this.core.agents.getById(row.agentId);
    const wc = this.worstCase(row.payload);
    return this.core.enforcer.admit({
      agentId: row.agentId,
      agentName: agent?.name,
      agentCapMicros: agent?.dailyCapMicros ?? null,
      agentPolicy: agent?.policy ?? null,
      amountMicros: wc,
      tokens: row.payload.estimatedPromptTokens + row.payload.maxTokens,
    });
  }

  /** The most the item can cost at batch prices: what is reserved while it runs. */
  private worstCase(p: BatchPayload): Micros {
    const price = this.core.catalog().lookup(p.model, 'anthropic').price;
    return worstCaseCost(p.estimatedPromptTokens, p.maxTokens, price, { cacheTtl: p.cacheTtl, batch: true });
  }

  private markSubmitted(group: QueueRow[], batchId: string, now: number): void {
    const at = new Date(now).toISOString();
    this.core.db.transaction(() => {
      for (const row of this.stillOurs(group)) {
        const p = row.payload;
        this.queue.update(row.id, 'running', `${p.deferredBecause} — submitted in batch ${batchId}`, {
          ...p,
          claim: null,
          batchId,
          submittedAt: at,
          submitAttempts: (p.submitAttempts ?? 0) + 1,
        }, at);
      }
    }).immediate();
  }

  private returnToWaiting(group: QueueRow[], why: string, now: number, alone: boolean, owner = this.owner): void {
    const at = new Date(now).toISOString();
    this.core.db.transaction(() => {
      for (const row of this.stillOurs(group, owner)) {
        const p = row.payload;
        if (p.reservation) this.core.enforcer.release(p.reservation);
        this.queue.update(row.id, 'waiting', `${p.deferredBecause} — ${why}`, {
          ...p,
          claim: null,
          reservation: null,
          submitAttempts: (p.submitAttempts ?? 0) + 1,
          submitAlone: p.submitAlone || alone,
        }, at);
      }
    }).immediate();
  }

  /** Never sent, never billed: released and failed with the reason. */
  private failUnsent(group: QueueRow[], why: string, now: number): void {
    const at = new Date(now).toISOString();
    this.core.db.transaction(() => {
      for (const row of this.stillOurs(group)) {
        const p = row.payload;
        if (p.reservation) this.core.enforcer.release(p.reservation);
        this.queue.update(row.id, 'failed', `${p.deferredBecause} — failed: ${why}`, { ...p, claim: null, reservation: null, submitError: why, settledAt: at }, at);
      }
    }).immediate();
  }

  /**
   * The rows of `group` still claimed by `owner`, re-read inside the caller's transaction: once a stale
   * claim is taken over, the coordinator that lost it must not overwrite the new owner's state.
   */
  private stillOurs(group: QueueRow[], owner = this.owner): QueueRow[] {
    return group.flatMap((r) => {
      const fresh = this.queue.get(r.id);
      return fresh && fresh.state === 'running' && !fresh.payload.batchId && fresh.payload.claim?.owner === owner ? [fresh] : [];
    });
  }

  /** Items claimed by a coordinator that died before recording its batch go back to waiting. */
  private recoverStaleClaims(now: number): void {
    for (const row of this.queue.inState('running')) {
      const c = row.payload.claim;
      if (row.payload.batchId || !c) continue;
      // Ticks never overlap, so a claim of our own seen here is one a failed round left behind.
      const stale = c.owner === this.owner || !processAlive(c.pid) || now - Date.parse(c.at) > STALE_CLAIM_MS;
      if (stale) this.returnToWaiting([row], 'Sluice stopped while submitting it; it will be submitted again', now, false, c.owner);
    }
  }

  private explainWaiting(why: string, now: number): void {
    const at = new Date(now).toISOString();
    this.core.db.transaction(() => {
      for (const row of this.queue.inState('waiting')) this.queue.setWaitingReason(row.id, `${row.payload.deferredBecause} — ${why}`, at);
    })();
  }

  private toItem(r: QueueRow): BatchItem {
    const p = r.payload;
    const failed = p.result ? batchOutcome(p.result).error : null;
    return {
      id: r.id,
      state: r.state,
      reason: r.reason,
      deferredBecause: p.deferredBecause,
      waitingForBudget: r.state === 'waiting' && r.reason.startsWith(`${p.deferredBecause}${WAITING_FOR_BUDGET}`),
      agentId: r.agentId,
      agentName: r.agentId === null ? null : this.agentName(r.agentId),
      taskId: r.taskId,
      model: p.model,
      maxTokens: p.maxTokens,
      batchId: p.batchId ?? null,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      submittedAt: p.submittedAt ?? null,
      settledAt: p.settledAt ?? null,
      worstCaseMicros: this.worstCase(p),
      costMicros: p.costMicros ?? null,
      requestId: p.requestId ?? null,
      result: p.result ?? null,
      error: failed ?? p.submitError ?? null,
    };
  }

  private agentName(id: number): string | null {
    if (!this.agentNames.has(id)) this.agentNames.set(id, this.core.agents.getById(id)?.name ?? null);
    return this.agentNames.get(id) ?? null;
  }
}

function requestOf(row: QueueRow): BatchCreateParams.Request {
  return { custom_id: row.id, params: { ...row.payload.params, model: row.payload.model } };
}

function apiMessage(e: unknown): string {
  if (e instanceof APIError) {
    const inner = (e.error as { error?: { message?: unknown } } | undefined)?.error?.message;
    if (typeof inner === 'string') return inner;
  }
  return e instanceof Error ? e.message : String(e);
}
