import { err, ok, type TaskAction } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';
import { BatchQueue } from '../coordinator/batches/queue-store';
import type { ControlResult } from './control';
import type { TaskRecord, TaskStore } from './task-store';

/**
 * Pause, resume and cancel for a deferrable task. Its request cannot pause, and once submitted it cannot
 * be taken out of its batch (the API cancels whole batches only); while it waits it can be cancelled,
 * atomically with the coordinator's claim, so a cancelled task is never billed.
 */
export function controlBatchTask(store: TaskStore, t: TaskRecord, action: TaskAction, o: { capMicros?: Micros; now: () => number }): ControlResult {
  const at = new Date(o.now()).toISOString();
  const done = (): ControlResult => ok({ task: store.get(t.id) as TaskRecord, pending: false });
  switch (action) {
    case 'pause':
      return err('conflict', `Task ${t.id} is deferrable: it waits for its batch and does not pause. Cancel it while it waits, or let it finish.`);
    case 'cancel': {
      if (t.state === 'cancelled') return done();
      if (t.state === 'done' || t.state === 'failed') return err('conflict', `Task ${t.id} already ${t.state === 'done' ? 'finished' : 'failed'}; nothing to cancel.`);
      const queue = new BatchQueue(store.db);
      const refused = store.db
        .transaction((): string | null => {
          const item = t.batchItem ? queue.get(t.batchItem) : null;
          if (item && !queue.cancelWaiting(item.id, `${item.payload.deferredBecause} — cancelled`, at)) {
            return item.state === 'running'
              ? `Task ${t.id} is already in a batch at Anthropic${item.payload.batchId ? ` (${item.payload.batchId})` : ''}; a submitted request cannot be stopped. Its answer comes within 24 h.`
              : `Task ${t.id} has just finished; \`sluice ps ${t.id}\` shows how.`;
          }
          store.update(t.id, { state: 'cancelled', pausedReason: null, currentStep: null, finishedAt: at, runStartedAt: null });
          return null;
        })
        .immediate();
      return refused ? err('conflict', refused) : done();
    }
    case 'resume': {
      if (t.state === 'done') return err('conflict', `Task ${t.id} is done; dispatch a new task to ask again.`);
      if (o.capMicros !== undefined) store.update(t.id, { capMicros: o.capMicros });
      // Waiting (for the window or for budget) or in a batch: it goes on by itself.
      if (t.state !== 'failed' && t.state !== 'cancelled') return done();
      // A new attempt: a new queue item, paid for again.
      store.update(t.id, { state: 'queued', batchItem: null, pausedReason: null, error: null, result: null, currentStep: null, finishedAt: null });
      return done();
    }
  }
}
