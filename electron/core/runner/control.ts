import { err, ok, type Result, type TaskAction } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';
import type { TaskRecord, TaskStore } from './task-store';
import { controlBatchTask } from './batch-control';

export interface ControlOptions {
  /** A new cap for the task (resume after a cap pause). */
  capMicros?: Micros;
  /** Whether a live runner other than the caller holds a task it marks as its own. */
  heldElsewhere: (owner: string | null) => boolean;
  now: () => number;
}

/** `pending`: a live runner holds the task and will act at its next poll (pause: at its next turn boundary). */
export type ControlResult = Result<{ task: TaskRecord; pending: boolean }>;

/**
 * Pause, resume or cancel a task the caller does not run itself, through the ledger: tasks nobody
 * runs change at once; a task another live process runs gets a request in `control` that its runner
 * applies. This is how `sluice pause ID` reaches a task `sluice serve` is running.
 */
export function controlStoredTask(store: TaskStore, id: string, action: TaskAction, o: ControlOptions): ControlResult {
  const t = store.get(id);
  if (!t) return err('not_found', `No task "${id}".`);
  if (t.mode === 'batch') return controlBatchTask(store, t, action, o);
  const at = new Date(o.now()).toISOString();
  const finished = t.state === 'done' || t.state === 'failed' || t.state === 'cancelled';
  const live = (t.state === 'starting' || t.state === 'running') && o.heldElsewhere(t.owner);
  const done = (pending: boolean): ControlResult => ok({ task: store.get(id) as TaskRecord, pending });

  if (o.capMicros !== undefined && t.state !== 'done' && t.state !== 'cancelled') store.update(id, { capMicros: o.capMicros });
  switch (action) {
    case 'cancel': {
      if (t.state === 'cancelled') return done(false);
      if (finished) return err('conflict', `Task ${id} already ${t.state === 'done' ? 'finished' : 'failed'}; nothing to cancel.`);
      if (live) {
        store.update(id, { control: 'cancel' });
        return done(true);
      }
      store.update(id, { state: 'cancelled', pausedReason: null, pause: null, control: null, owner: null, currentStep: null, finishedAt: at, runStartedAt: null });
      return done(false);
    }
    case 'pause': {
      if (finished) return err('conflict', `Task ${id} is ${t.state}; only queued or running tasks pause.`);
      if (live) {
        store.update(id, { control: 'pause' });
        return done(true);
      }
      // A task paused for budget and then by the user waits for the user, not for the budget.
      store.update(id, { state: 'paused', pausedReason: 'user', control: null, owner: null, currentStep: null, runStartedAt: null });
      return done(false);
    }
    case 'resume': {
      if (t.state === 'done' || t.state === 'cancelled') return err('conflict', `Task ${id} is ${t.state === 'done' ? 'done' : 'cancelled'}; dispatch a new task to continue from its branch.`);
      if (t.state === 'queued' || live) {
        if (t.control === 'pause') store.update(id, { control: null });
        return done(false);
      }
      // paused, failed, or held by a runner that died: back in the queue; the runner resumes the same session.
      store.update(id, { state: 'queued', pausedReason: null, pause: null, error: null, finishedAt: null, control: null, owner: null });
      return done(false);
    }
  }
}
