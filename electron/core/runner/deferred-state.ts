import type { BatchItem, BatchItemResult } from '../coordinator/batches';
import type { TaskPatch, TaskRecord } from './task-store';

/** A deferrable task's answer: the text of the batch reply, and whether it stopped at `max_tokens`. */
export function answerOf(result: BatchItemResult | null): { text: string; truncated: boolean } | null {
  if (result?.type !== 'succeeded') return null;
  const text = result.message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  return { text, truncated: result.message.stop_reason === 'max_tokens' };
}

/** The item's reason without the "deferrable task — " every reason of the queue starts with. */
function why(item: BatchItem): string {
  const prefix = `${item.deferredBecause} — `;
  if (item.reason.startsWith(prefix)) return item.reason.slice(prefix.length);
  // A fresh item says only why it was deferred: it waits for the coordinator's next round.
  return item.reason === item.deferredBecause ? 'waiting to be submitted' : item.reason;
}

/**
 * What the task row says while its request waits, runs and settles in the work queue. Existing task
 * states carry it: queued (waiting to be submitted, the step says for what), paused for budget (the
 * coordinator holds it until its worst case fits), running (in a batch), then done, failed or cancelled.
 */
export function taskPatchFor(item: BatchItem, t: Pick<TaskRecord, 'startedAt' | 'runMs'>): TaskPatch {
  const idle = { pausedReason: null, runStartedAt: null } as const;
  switch (item.state) {
    case 'waiting':
      return item.waitingForBudget
        ? { state: 'paused', pausedReason: 'budget', currentStep: null, error: why(item), runStartedAt: null }
        : { ...idle, state: 'queued', currentStep: why(item), error: null };
    case 'running': {
      const submitted = item.submittedAt;
      return { state: 'running', pausedReason: null, currentStep: why(item), error: null, startedAt: t.startedAt ?? submitted ?? item.updatedAt, runStartedAt: submitted ?? item.updatedAt };
    }
    case 'done': {
      const a = answerOf(item.result);
      return {
        ...idle,
        state: 'done',
        currentStep: null,
        result: a?.text ?? '',
        error: a?.truncated ? `The answer stopped at its ${item.maxTokens.toLocaleString('en-US')}-token limit and may be cut short.` : null,
        finishedAt: item.settledAt ?? item.updatedAt,
        runMs: runMsOf(item, t.runMs),
      };
    }
    case 'failed':
      return { ...idle, state: 'failed', currentStep: null, error: item.error ?? why(item), finishedAt: item.settledAt ?? item.updatedAt, runMs: runMsOf(item, t.runMs) };
    case 'cancelled':
      return { ...idle, state: 'cancelled', currentStep: null, finishedAt: item.updatedAt };
  }
}

/** Time in the batch: submission to settlement (the part a person waited for Anthropic). */
function runMsOf(item: BatchItem, before: number): number {
  if (!item.submittedAt || !item.settledAt) return before;
  return Math.max(0, Date.parse(item.settledAt) - Date.parse(item.submittedAt));
}

/** Whether applying `patch` would change the task (so a quiet poll writes nothing). */
export function changes(t: TaskRecord, patch: TaskPatch): boolean {
  return (Object.keys(patch) as (keyof TaskPatch)[]).some((k) => patch[k] !== undefined && patch[k] !== t[k]);
}
