import fs from 'node:fs';
import { err, ok, type Result } from '../../../shared/contract';
import type { TaskRecord, TaskStore } from './task-store';
import { commitAll, diffOfBranch, diffSince, mergeBranch, removeWorktree, type DiffSummary } from './worktree';

export interface TaskDiff extends DiffSummary {
  taskId: string;
  branch: string | null;
  /** Where to open the task's files; null once the worktree is gone. */
  worktree: string | null;
  branchState: TaskRecord['branchState'];
  patch?: string;
}

const BUSY = new Set(['starting', 'running']);

export function commitMessage(t: TaskRecord): string {
  const first = t.prompt.split('\n')[0]?.trim() ?? '';
  return `sluice ${t.id}: ${first.length > 60 ? first.slice(0, 57) + '...' : first}`;
}

/** What the task changed, from its base commit to its worktree (or branch, once merged). */
export async function taskDiff(store: TaskStore, id: string, opts: { patch?: boolean } = {}): Promise<Result<TaskDiff>> {
  const t = store.get(id);
  if (!t) return err('not_found', `No task "${id}".`);
  if (t.isolation === 'in_place' || !t.baseCommit || !t.repoRoot) {
    return err('conflict', t.worktree === null && t.isolation === 'worktree' ? `Task ${id} has not started yet; it has no changes.` : `Task ${id} works in place in ${t.project}; use git there to see its changes.`);
  }
  const base = { taskId: id, branch: t.branch, branchState: t.branchState };
  if (t.worktree && fs.existsSync(t.worktree)) {
    return ok({ ...base, worktree: t.worktree, ...(await diffSince(t.worktree, t.baseCommit, opts)) });
  }
  if (t.branch && t.branchState !== 'discarded') {
    try {
      return ok({ ...base, worktree: null, ...(await diffOfBranch(t.repoRoot, t.baseCommit, t.branch)) });
    } catch {
      // The branch was deleted after the merge: nothing left to show but the state.
    }
  }
  return ok({ ...base, worktree: null, files: [], added: 0, removed: 0, stat: '' });
}

/** Merges a stopped task's branch into the user's checkout, then removes its worktree and branch. */
export async function mergeTask(store: TaskStore, id: string): Promise<Result<TaskRecord>> {
  const t = store.get(id);
  if (!t) return err('not_found', `No task "${id}".`);
  if (BUSY.has(t.state)) return err('conflict', `Task ${id} is ${t.state}; pause or cancel it before merging.`);
  if (!t.branch || !t.repoRoot || t.isolation === 'in_place') return err('conflict', `Task ${id} has no branch to merge (it works in place, or never started).`);
  if (t.branchState !== 'open') return err('conflict', `Task ${id}'s branch was already ${t.branchState}.`);
  if (t.worktree && fs.existsSync(t.worktree)) await commitAll(t.worktree, commitMessage(t));
  const merged = await mergeBranch(t.repoRoot, t.branch, `Merge ${t.branch}: ${commitMessage(t)}`);
  if (!merged.ok) return err('conflict', merged.message);
  await removeWorktree(t.repoRoot, t.worktree, t.branch, { deleteBranch: true });
  store.update(id, { branchState: 'merged', worktree: null });
  return ok(store.get(id) as TaskRecord);
}

/** Throws a task's work away: worktree and branch. A queued or paused task is cancelled with it. */
export async function discardTask(store: TaskStore, id: string, now: () => number): Promise<Result<TaskRecord>> {
  const t = store.get(id);
  if (!t) return err('not_found', `No task "${id}".`);
  if (BUSY.has(t.state)) return err('conflict', `Task ${id} is ${t.state}; cancel it before discarding its work.`);
  if (t.isolation === 'in_place') return err('conflict', `Task ${id} worked in place in ${t.project}; there is no branch to discard (use git there).`);
  if (t.branchState === 'merged' || t.branchState === 'discarded') return err('conflict', `Task ${id}'s branch was already ${t.branchState}.`);
  if (t.repoRoot) await removeWorktree(t.repoRoot, t.worktree, t.branch, { deleteBranch: true });
  const patch: Parameters<TaskStore['update']>[1] = { branchState: t.branch ? 'discarded' : null, worktree: null };
  if (t.state === 'queued' || t.state === 'paused') Object.assign(patch, { state: 'cancelled', pausedReason: null, pause: null, finishedAt: new Date(now()).toISOString() });
  store.update(id, patch);
  return ok(store.get(id) as TaskRecord);
}
