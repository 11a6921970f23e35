import type { BudgetStatus, CoreEvent, TaskRow } from '../../shared/contract';
import { formatUsd } from '../../shared/money';
import type { Focus } from './renderer-url';

/** A native notification to show, and what clicking it opens. */
export interface Notice {
  key: string;
  title: string;
  body: string;
  focus: Focus;
}

type TaskPhase = TaskRow['state'] | 'paused:budget';

/** What has been announced already. Plain data, replaced (never mutated) by `noticeFor`. */
export interface NoticeMemory {
  day: string | null;
  thresholds: readonly number[];
  /** Last phase seen per task, oldest first, at most `MAX_TASKS`. */
  tasks: ReadonlyMap<string, TaskPhase>;
}

export const EMPTY_NOTICE_MEMORY: NoticeMemory = { day: null, thresholds: [], tasks: new Map() };

/** Enough for a day of busy dispatching; older tasks are long finished. */
const MAX_TASKS = 1000;

/**
 * The notification rules: each budget threshold once per budget day; a task once when it becomes
 * done, failed or paused for budget (a task paused by the user, or a progress event, says nothing).
 */
export function noticeFor(event: CoreEvent, memory: NoticeMemory): { notice: Notice | null; memory: NoticeMemory } {
  if (event.type === 'threshold') return thresholdNotice(event.percent, event.budget, memory);
  if (event.type === 'task') return taskNotice(event.task, memory);
  return { notice: null, memory };
}

function thresholdNotice(percent: number, budget: BudgetStatus, memory: NoticeMemory) {
  const shown = budget.day === memory.day ? memory.thresholds : [];
  if (shown.includes(percent)) return { notice: null, memory };
  const next: NoticeMemory = { ...memory, day: budget.day, thresholds: [...shown, percent] };
  const spent = budget.limitMicros === null ? `${formatUsd(budget.spentMicros)} spent today.` : `${formatUsd(budget.spentMicros)} of ${formatUsd(budget.limitMicros)} spent today.`;
  const notice: Notice =
    percent >= 100
      ? { key: `threshold:${budget.day}:${percent}`, title: "Today's budget is used up", body: `${spent} ${AT_LIMIT[budget.policy]}`, focus: { kind: 'budget' } }
      : { key: `threshold:${budget.day}:${percent}`, title: `${percent}% of today's budget spent`, body: spent, focus: { kind: 'budget' } };
  return { notice, memory: next };
}

const AT_LIMIT: Record<BudgetStatus['policy'], string> = {
  reject: 'New requests are refused until the budget resets.',
  queue: 'New work waits until the budget resets.',
  downgrade: 'Requests go to a cheaper model until the budget resets.',
};

function phaseOf(task: TaskRow): TaskPhase {
  return task.state === 'paused' && task.pausedReason === 'budget' ? 'paused:budget' : task.state;
}

function taskNotice(task: TaskRow, memory: NoticeMemory) {
  const phase = phaseOf(task);
  // Progress events (same phase) are the hot path: no copy, no notice.
  if (memory.tasks.get(task.id) === phase) return { notice: null, memory };
  const tasks = new Map(memory.tasks);
  tasks.delete(task.id);
  tasks.set(task.id, phase);
  const oldest = tasks.keys().next();
  if (tasks.size > MAX_TASKS && !oldest.done) tasks.delete(oldest.value);
  const next: NoticeMemory = { ...memory, tasks };
  const what = short(task.prompt);
  const focus: Focus = { kind: 'task', id: task.id };
  const key = `task:${task.id}:${phase}`;
  switch (phase) {
    case 'done':
      return { notice: { key, title: 'Task done', body: `${what} (${formatUsd(task.costMicros)})`, focus }, memory: next };
    case 'failed':
      return { notice: { key, title: 'Task failed', body: `${what}: ${task.error ?? 'no reason given'}`, focus }, memory: next };
    case 'paused:budget':
      return { notice: { key, title: 'Task paused: budget reached', body: `${what} waits until the budget allows it.`, focus }, memory: next };
    default:
      return { notice: null, memory: next };
  }
}

function short(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
