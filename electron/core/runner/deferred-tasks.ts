import type { Core } from '../services';
import { BatchInputError, type BatchItem, type DeferInput } from '../coordinator/batches';
import type { ContextProvider } from './context';
import { agentNameFor } from './ids';
import type { TaskRecord, TaskStore } from './task-store';
import { DEFERRABLE_REASON, deferrableMaxTokens, deferrableParams } from './deferred-request';
import { changes, taskPatchFor } from './deferred-state';

/** What deferrable tasks need from the Message Batches coordinator: queue a request, read it back. */
export interface BatchPort {
  defer(input: DeferInput): { id: string };
  find(id: string): BatchItem | null;
}

/**
 * Deferrable tasks: single-shot work answered by one Messages request through the Message Batches API
 * (50 % off) instead of a Claude Code session. Each round, a queued task gets its context brief and its
 * request is deferred to the coordinator (which submits it in the off-peak window, holding budget for it);
 * tasks whose request is in the queue take its state, and its answer once settled.
 *
 * Nothing is held in memory between rounds: the task row names its queue item (`batch_item`, written
 * before the item exists, and used as the item's id), so a restart at any point finds the same item
 * again — deferring an id twice queues it once.
 */
export class DeferredTasks {
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly core: Core,
    private readonly store: TaskStore,
    private readonly batches: BatchPort,
    private readonly context: ContextProvider,
    private readonly changed: (id: string) => void,
  ) {}

  /** One round over every unfinished deferrable task. Never overlaps itself. */
  tick(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const run = this.round().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  /** Resolves once a round in flight (if any) has ended. */
  async idle(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  private async round(): Promise<void> {
    for (const t of this.store.openBatchTasks()) {
      const item = t.batchItem ? this.batches.find(t.batchItem) : null;
      try {
        if (item) this.follow(t, item);
        else if (t.state === 'queued') await this.submit(t);
      } catch (e) {
        this.core.log.log('error', 'a deferrable task could not be queued; will try again', { task: t.id, error: (e as Error).message });
      }
    }
  }

  /** The task takes its queue item's state; its agent's cap follows the task's (raised by a resume). */
  private follow(t: TaskRecord, item: BatchItem): void {
    const patch = taskPatchFor(item, t);
    if (item.state === 'waiting') this.syncCap(t);
    if (!changes(t, patch)) return;
    if (this.store.update(t.id, patch, ['queued', 'running', 'paused'])) this.changed(t.id);
  }

  private async submit(t: TaskRecord): Promise<void> {
    const itemId = t.batchItem ?? this.store.nextBatchItemId(t.id);
    if (!this.store.update(t.id, { batchItem: itemId, currentStep: 'building the context brief' }, ['queued'])) return;
    this.changed(t.id);
    const brief = await this.context.brief({ repo: t.project, task: t.prompt }).catch((e: unknown) => {
      this.core.log.log('warn', 'the context brief failed; the deferrable task goes without it', { task: t.id, error: (e as Error).message });
      return null;
    });
    const model = t.model ?? this.core.settings.get().routing.tiers.strong;
    const entry = this.core.catalog().models().find((m) => m.id === this.core.catalog().resolveAlias(model));
    const params = deferrableParams(t.prompt, brief, deferrableMaxTokens(entry?.maxOutput));
    try {
      // One transaction with the re-read: a task cancelled while its brief was built queues nothing.
      const queued = this.core.db
        .transaction(() => {
          const cur = this.store.get(t.id);
          if (!cur || cur.state !== 'queued' || cur.batchItem !== itemId) return false;
          const agentId = this.agentFor(cur);
          this.batches.defer({ agentId, taskId: t.id, model, params, reason: DEFERRABLE_REASON, customId: itemId });
          this.store.update(t.id, { agentId, contextTokens: brief?.tokens ?? 0, contextFiles: brief?.files ?? [], currentStep: 'waiting to be submitted' });
          return true;
        })
        .immediate();
      if (!queued) return;
    } catch (e) {
      if (!(e instanceof BatchInputError)) throw e;
      const at = new Date(this.core.clock.now()).toISOString();
      this.store.update(t.id, { state: 'failed', currentStep: null, error: `The request could not be queued: ${e.message}`, finishedAt: at }, ['queued']);
    }
    this.changed(t.id);
    const item = this.batches.find(itemId);
    const cur = this.store.get(t.id);
    if (item && cur) this.follow(cur, item);
  }

  /**
   * The task's own gateway agent (`task-<id>`), so the batch's cost is attributed to the task and its
   * agent like any task's. It never calls the gateway: its token is revoked at once; its cap stays.
   */
  private agentFor(t: TaskRecord): number {
    const name = agentNameFor(t.id);
    if (this.core.agents.get(name)?.revokedAt === null) this.core.agents.revoke(name);
    const { agent } = this.core.agents.create(name, { kind: 'task', dailyCapMicros: this.capToday(t) });
    this.core.agents.revoke(name);
    return agent.id;
  }

  /** The task's cap is for its whole life; an agent cap is per budget day. */
  private capToday(t: TaskRecord): number | null {
    if (t.capMicros === null) return null;
    return Math.max(0, t.capMicros - this.store.costBefore(t.id, this.core.enforcer.status().day));
  }

  private syncCap(t: TaskRecord): void {
    if (t.agentId === null) return;
    const agent = this.core.agents.getById(t.agentId);
    const cap = this.capToday(t);
    if (agent && agent.dailyCapMicros !== cap) this.core.agents.setCap(agent.name, cap);
  }
}
