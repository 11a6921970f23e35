import type { Db } from '../../ledger/db';
import type { BatchPayload, WorkState } from './types';

export const BATCH_KIND = 'batch';

/** One `work_queue` row of kind 'batch', payload parsed. */
export interface QueueRow {
  id: string;
  agentId: number | null;
  taskId: string | null;
  state: WorkState;
  reason: string;
  payload: BatchPayload;
  createdAt: string;
  updatedAt: string;
}

interface DbRow {
  id: string;
  agent_id: number | null;
  task_id: string | null;
  payload: string;
  state: WorkState;
  reason: string;
  created_at: string;
  updated_at: string;
}

function toRow(r: DbRow): QueueRow {
  return {
    id: r.id,
    agentId: r.agent_id,
    taskId: r.task_id,
    state: r.state,
    reason: r.reason,
    payload: JSON.parse(r.payload) as BatchPayload,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The batch items in the ledger's `work_queue`. Plain reads and writes; callers choose the transactions. */
export class BatchQueue {
  private readonly q;

  constructor(readonly db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO work_queue (id, kind, agent_id, task_id, payload, state, reason, not_before, created_at, updated_at)
         VALUES (?, '${BATCH_KIND}', ?, ?, ?, 'waiting', ?, NULL, ?, ?)`,
      ),
      get: db.prepare<[string], DbRow>(`SELECT * FROM work_queue WHERE kind = '${BATCH_KIND}' AND id = ?`),
      byPrefix: db.prepare<[number, string], DbRow>(`SELECT * FROM work_queue WHERE kind = '${BATCH_KIND}' AND substr(id, 1, ?) = ? LIMIT 2`),
      inState: db.prepare<[string], DbRow>(`SELECT * FROM work_queue WHERE kind = '${BATCH_KIND}' AND state = ? ORDER BY created_at, rowid`),
      all: db.prepare<[number], DbRow>(`SELECT * FROM work_queue WHERE kind = '${BATCH_KIND}' ORDER BY created_at DESC, rowid DESC LIMIT ?`),
      update: db.prepare('UPDATE work_queue SET state = ?, reason = ?, payload = ?, updated_at = ? WHERE id = ?'),
      setReason: db.prepare("UPDATE work_queue SET reason = ?, updated_at = ? WHERE id = ? AND state = 'waiting' AND reason <> ?"),
      cancel: db.prepare(`UPDATE work_queue SET state = 'cancelled', reason = ?, updated_at = ? WHERE kind = '${BATCH_KIND}' AND id = ? AND state = 'waiting'`),
    };
  }

  insert(r: { id: string; agentId: number | null; taskId: string | null; payload: BatchPayload; reason: string; at: string }): void {
    this.q.insert.run(r.id, r.agentId, r.taskId, JSON.stringify(r.payload), r.reason, r.at, r.at);
  }

  get(id: string): QueueRow | null {
    const r = this.q.get.get(id);
    return r ? toRow(r) : null;
  }

  /** Items whose id starts with `prefix` (at most two: enough to tell unique from ambiguous). */
  withPrefix(prefix: string): QueueRow[] {
    return this.q.byPrefix.all(prefix.length, prefix).map(toRow);
  }

  /** Oldest first. */
  inState(state: WorkState): QueueRow[] {
    return this.q.inState.all(state).map(toRow);
  }

  /** Newest first. */
  list(limit = 1000): QueueRow[] {
    return this.q.all.all(limit).map(toRow);
  }

  update(id: string, state: WorkState, reason: string, payload: BatchPayload, at: string): void {
    this.q.update.run(state, reason, JSON.stringify(payload), at, id);
  }

  /**
   * Cancels an item that is still waiting; false once it was claimed for submission (a submitted request
   * cannot be taken out of its batch). One UPDATE, so it cannot interleave with a claim.
   */
  cancelWaiting(id: string, reason: string, at: string): boolean {
    return this.q.cancel.run(reason, at, id).changes > 0;
  }

  /** Changes a waiting item's reason; writes nothing when it already says that. */
  setWaitingReason(id: string, reason: string, at: string): void {
    this.q.setReason.run(reason, at, id, reason);
  }
}
