import type { BudgetStatus } from '../../../shared/contract';
import { formatUsd, type Micros } from '../../../shared/money';

export type PauseLimit = 'daily' | 'tokens' | 'cap';

/** Why a task paused for budget waits, and against which numbers it paused (so a raise is visible). */
export interface BudgetPause {
  limit: PauseLimit;
  /** The budget day it paused on. */
  day: string;
  limitMicros: Micros | null;
  tokenLimit: number | null;
  capMicros: Micros | null;
  /** One sentence for the user. */
  message: string;
  at: string;
}

export interface GateTask {
  id?: string;
  costMicros: Micros;
  capMicros: Micros | null;
}

export interface OffPeak {
  start: string;
  end: string;
}

/**
 * Whether a task must stop before its next request: checked at each turn boundary and before a task
 * starts. Only spent money counts here; whether the next request's worst case fits is the gateway's
 * call (it answers 429, which the runner also reads as a budget pause).
 */
export function budgetBlock(status: BudgetStatus, task: GateTask): PauseLimit | null {
  if (task.capMicros !== null && task.costMicros >= task.capMicros) return 'cap';
  if (status.limitMicros !== null && status.spentMicros >= status.limitMicros) return 'daily';
  if (status.tokenLimit !== null && status.tokensToday >= status.tokenLimit) return 'tokens';
  return null;
}

/** Which limit a gateway refusal names (its sentence comes from shared/budget.ts `refusalMessage`). */
export function limitOfRefusal(message: string): PauseLimit {
  if (/daily token limit/.test(message)) return 'tokens';
  if (/daily cap of/.test(message)) return 'cap';
  return 'daily';
}

export function pauseFor(limit: PauseLimit, status: BudgetStatus, task: GateTask, at: string, gatewayMessage?: string): BudgetPause {
  return {
    limit,
    day: status.day,
    limitMicros: status.limitMicros,
    tokenLimit: status.tokenLimit,
    capMicros: task.capMicros,
    message: pauseMessage(limit, status, task, gatewayMessage),
    at,
  };
}

function pauseMessage(limit: PauseLimit, status: BudgetStatus, task: GateTask, gatewayMessage?: string): string {
  if (limit === 'cap') {
    return `Paused for budget: this task's cap of ${formatUsd(task.capMicros ?? 0)} is spent or too small for its next request (${formatUsd(task.costMicros)} used). Raise it with \`sluice resume ${task.id ?? 'ID'} --cap-usd N\`.`;
  }
  const reset = `it resumes after the budget resets (${status.resetsAt}) or when you raise the budget`;
  if (gatewayMessage) return `Paused for budget: ${gatewayMessage.replace(/^Sluice:\s*/, '')} The task waits; ${reset}.`;
  if (limit === 'tokens') return `Paused for budget: the daily token limit of ${(status.tokenLimit ?? 0).toLocaleString('en-US')} tokens is used up; ${reset}.`;
  return `Paused for budget: the daily budget of ${formatUsd(status.limitMicros ?? 0)} is spent; ${reset}.`;
}

/**
 * A task paused for budget goes again when its limit was raised, or after the budget day reset — and
 * then, when an off-peak window is set, only inside it (deferred work runs while the user is away).
 * Merely having a little budget left is not enough: the refusal that paused it would repeat.
 */
export function mayResume(
  pause: BudgetPause,
  status: BudgetStatus,
  task: GateTask,
  offPeak: OffPeak | null,
  nowMs: number,
): { ok: true; why: string } | { ok: false; why: string } {
  if (pause.limit === 'cap') {
    if (task.capMicros === null) return { ok: true, why: 'the cap was removed' };
    if (pause.capMicros !== null && task.capMicros > pause.capMicros && task.costMicros < task.capMicros) return { ok: true, why: 'the cap was raised' };
    return { ok: false, why: 'waiting for a higher cap' };
  }
  if (budgetBlock(status, { costMicros: 0, capMicros: null }) !== null) return { ok: false, why: 'the budget is still spent' };
  const raised =
    pause.limit === 'daily'
      ? status.limitMicros === null || (pause.limitMicros !== null && status.limitMicros > pause.limitMicros)
      : status.tokenLimit === null || (pause.tokenLimit !== null && status.tokenLimit > pause.tokenLimit);
  if (raised) return { ok: true, why: 'the budget was raised' };
  if (status.day === pause.day) return { ok: false, why: 'waiting for the budget to reset' };
  if (!offPeak) return { ok: true, why: 'the budget reset' };
  if (inWindow(nowMs, offPeak, status.timeZone)) return { ok: true, why: 'the budget reset and the off-peak window is open' };
  return { ok: false, why: `waiting for the off-peak window (${offPeak.start}–${offPeak.end})` };
}

/** Whether `nowMs` falls in a daily window given as local "HH:MM" (it may wrap past midnight). */
export function inWindow(nowMs: number, w: OffPeak, timeZone: string): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(nowMs));
  const hh = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const mm = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  const now = hh * 60 + mm;
  const start = minutes(w.start);
  const end = minutes(w.end);
  if (start === end) return true;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
