import crypto from 'node:crypto';
import { err, ok, type Result, type RoutingRules, type Tier } from '../../../shared/contract';
import type { TaskOutcome } from '../router/outcomes';
import { chooseModel } from './model-choice';
import { projectDir } from './enqueue';
import { newTaskId } from './ids';
import type { TaskRecord, TaskStore } from './task-store';

const RANK: Record<Tier, number> = { local: 0, fast: 1, strong: 2 };
const FINISHED = new Set(['done', 'failed', 'cancelled']);

/**
 * Runs a finished, failed or cancelled task again on a stronger tier (default strong): same prompt,
 * project, priority, cap, isolation and mode (a deferrable task is retried as one), linked to the original by `retry_of`. The retry is the user's
 * verdict that the original's tier was not enough, so the router learns it as a failure of the weak
 * tier — once per original, however often it is retried.
 */
export function retryTask(
  store: TaskStore,
  routing: RoutingRules,
  learn: (o: TaskOutcome) => void,
  idOrPrefix: string,
  tier: Tier | undefined,
  now: number,
): Result<TaskRecord> {
  const resolved = store.resolve(idOrPrefix);
  if (!resolved.ok) return err('not_found', resolved.message);
  const original = store.get(resolved.id) as TaskRecord;
  const id = original.id;
  if (!FINISHED.has(original.state)) return err('conflict', `Task ${id} is ${original.state}; retry it once it has finished, failed or been cancelled.`);
  const from = original.tier;
  if (from === null || from === 'strong') return err('conflict', `Task ${id} already ran on the strong tier; there is no stronger one to retry on.`);
  const to = tier ?? 'strong';
  if (RANK[to] <= RANK[from]) return err('bad_input', `Task ${id} ran on the ${from} tier; retry it on a stronger one (${from === 'local' ? 'fast or strong' : 'strong'}).`);
  const project = projectDir(original.project);
  if (!project.ok) return project;
  const choice = chooseModel({ tier: to }, routing);
  if (!choice.ok) return err('bad_input', choice.message);
  const first = store.retries([id]).size === 0;
  const record = store.insert({
    id: newTaskId(),
    prompt: original.prompt,
    project: project.value,
    priority: original.priority,
    tier: to,
    model: choice.choice.model,
    routeReason: `${to}: retry of ${id}, which ran on the ${from} tier`,
    capMicros: original.capMicros,
    sessionId: crypto.randomUUID(),
    isolation: original.isolation,
    mode: original.mode,
    retryOf: id,
  });
  if (first) learn({ prompt: original.prompt, tier: 'weak', succeeded: false, at: now, taskId: id, source: 'retry' });
  return ok(record);
}
