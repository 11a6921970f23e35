import { formatUsd, type Micros } from './money';
import type { BudgetPolicy, BudgetStatus } from './contract';
import { formatDuration, formatLocalTime } from './budget-day';

export const DEFAULT_THRESHOLDS: readonly number[] = [50, 80, 95, 100];

export interface BudgetLimits {
  dailyLimitMicros: Micros | null;
  dailyTokenLimit: number | null;
  agentCapMicros: Micros | null;
}

/** What is already committed today: settled spend plus open reservations, overall and for the agent. */
export interface BudgetLoad {
  spentMicros: Micros;
  reservedMicros: Micros;
  tokens: number;
  reservedTokens: number;
  agentSpentMicros: Micros;
  agentReservedMicros: Micros;
}

export type AdmitDecision =
  | { admit: true }
  | { admit: false; scope: 'daily' | 'tokens' | 'agent'; limit: number; committed: number; requested: number };

/**
 * Admit a request only if settled spend + every open reservation + this request's worst case stays
 * within each limit. Because every in-flight request holds its worst case, no interleaving of
 * settlements can push settled spend past the limit.
 */
export function decideAdmission(amount: Micros, tokens: number, limits: BudgetLimits, load: BudgetLoad): AdmitDecision {
  if (limits.dailyLimitMicros !== null) {
    const committed = load.spentMicros + load.reservedMicros;
    if (committed + amount > limits.dailyLimitMicros) {
      return { admit: false, scope: 'daily', limit: limits.dailyLimitMicros, committed, requested: amount };
    }
  }
  if (limits.agentCapMicros !== null) {
    const committed = load.agentSpentMicros + load.agentReservedMicros;
    if (committed + amount > limits.agentCapMicros) {
      return { admit: false, scope: 'agent', limit: limits.agentCapMicros, committed, requested: amount };
    }
  }
  if (limits.dailyTokenLimit !== null) {
    const committed = load.tokens + load.reservedTokens;
    if (committed + tokens > limits.dailyTokenLimit) {
      return { admit: false, scope: 'tokens', limit: limits.dailyTokenLimit, committed, requested: tokens };
    }
  }
  return { admit: true };
}

/** Thresholds (percent) that `after` has reached and `before` had not. */
export function crossedThresholds(beforeMicros: Micros, afterMicros: Micros, limitMicros: Micros | null, thresholds: readonly number[]): number[] {
  if (limitMicros === null || limitMicros <= 0) return [];
  return thresholds.filter((t) => {
    const at = (limitMicros * t) / 100;
    return beforeMicros < at && afterMicros >= at;
  });
}

export function budgetState(percent: number, thresholds: readonly number[]): BudgetStatus['state'] {
  const sorted = [...thresholds].sort((a, b) => a - b);
  if (percent >= 100) return 'exhausted';
  const top = sorted.filter((t) => t < 100);
  if (top.length > 0 && percent >= (top[top.length - 1] as number)) return 'critical';
  if (top.length > 1 && percent >= (top[top.length - 2] as number)) return 'warning';
  return 'ok';
}

/** The sentence a person reads when a request is refused by the budget (Claude Code prints it as is). */
export function refusalMessage(
  d: Extract<AdmitDecision, { admit: false }>,
  ctx: { nowMs: number; resetsAtMs: number; timeZone: string; agentName?: string; policy?: BudgetPolicy },
): string {
  const when = `it resets at ${formatLocalTime(ctx.resetsAtMs, ctx.timeZone)} (in ${formatDuration(ctx.resetsAtMs - ctx.nowMs)})`;
  const hint = 'Raise it with `sluice budget set --daily-usd N` or in Sluice\'s settings.';
  if (d.scope === 'tokens') {
    return `Sluice: the daily token limit of ${d.limit.toLocaleString('en-US')} tokens is used up; ${when}. ${hint}`;
  }
  if (d.scope === 'agent') {
    const who = ctx.agentName ? `agent "${ctx.agentName}"` : 'this agent';
    return `Sluice: the daily cap of ${formatUsd(d.limit)} for ${who} is spent (${formatUsd(d.committed)} used or in flight; this request could cost up to ${formatUsd(d.requested)}); ${when}.`;
  }
  const spentAll = d.committed >= d.limit;
  const head = spentAll
    ? `Sluice: the daily budget of ${formatUsd(d.limit)} is spent`
    : `Sluice: this request could cost up to ${formatUsd(d.requested)}, more than the ${formatUsd(Math.max(0, d.limit - d.committed))} left of the daily budget of ${formatUsd(d.limit)}`;
  return `${head}; ${when}. ${hint}`;
}
