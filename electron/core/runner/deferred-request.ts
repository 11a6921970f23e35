import type { BatchPlan, RoutingRules } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';
import { costOf, type ModelPrice } from '../../../shared/pricing';
import { ZERO_USAGE } from '../../../shared/usage';
import type { BatchParams } from '../coordinator/batches';
import { submissionWindow } from '../coordinator/batches/window';
import type { LearnedOdds } from '../router/task-tier';
import { promptWithBrief, type ContextBrief } from './context';
import { chooseModel, type ModelChoice } from './model-choice';

/** Why a deferrable task's request waits in the work queue (`sluice batch ls` shows it). */
export const DEFERRABLE_REASON = 'deferrable task';

/**
 * Room for one long answer (docstrings for 40 files is ~20k tokens) while keeping the worst case the
 * budget holds while the batch runs modest: 32k output tokens at a $15/M batch rate of $7.50 is $0.24.
 */
export const DEFERRABLE_MAX_TOKENS = 32_000;

/** The first answer tokens the low end of a preview assumes: a short reply. */
const LOW_OUTPUT_TOKENS = 1_000;

// Constant, so every deferrable task shares it as a cacheable prefix.
const SYSTEM =
  'You are given one task about a software project and answer it in a single reply. You cannot run tools, ' +
  'open more files or edit anything: the context brief is what you can see of the project. Give the complete ' +
  'result (code, text or a unified diff) in the reply itself, without asking questions.';

const LOCAL = /^(ollama|local)\//;

/**
 * The model a deferrable task asks for: the dispatch's own choice, except that a batch runs at Anthropic,
 * so work the words alone would send to the local tier goes to the fast tier instead. Asking for a local
 * model or the local tier outright is a mistake the user must hear about.
 */
export function chooseDeferrableModel(
  input: Parameters<typeof chooseModel>[0],
  routing: RoutingRules,
  learned: LearnedOdds | null = null,
): { ok: true; choice: ModelChoice } | { ok: false; message: string } {
  if (input.tier === 'local' || (input.model !== undefined && LOCAL.test(input.model))) {
    return { ok: false, message: 'A deferrable task runs in an Anthropic message batch, not on a local model: pick the fast or strong tier, or let Sluice choose.' };
  }
  const c = chooseModel(input, routing, learned);
  if (!c.ok || c.choice.tier !== 'local') return c;
  return { ok: true, choice: { tier: 'fast', model: routing.tiers.fast, reason: `fast: ${c.choice.reason.replace(/^local: /, '')} (batches run at Anthropic, not locally)` } };
}

/** The model's own output limit when the price list knows it, at most `DEFERRABLE_MAX_TOKENS`. */
export function deferrableMaxTokens(modelMaxOutput: number | undefined): number {
  return Math.min(DEFERRABLE_MAX_TOKENS, modelMaxOutput ?? DEFERRABLE_MAX_TOKENS);
}

/** The one Messages request a deferrable task is: the brief first (a shared prefix), then the task. */
export function deferrableParams(prompt: string, brief: ContextBrief | null, maxTokens: number): BatchParams {
  return { max_tokens: maxTokens, system: SYSTEM, messages: [{ role: 'user', content: promptWithBrief(prompt, brief) }] };
}

/** A rough count for a preview (≈4 characters a token); the ledger records the real one. */
export function deferrablePromptTokens(prompt: string, briefTokens: number): number {
  return Math.ceil((SYSTEM.length + prompt.length) / 4) + briefTokens + 30;
}

export interface DeferrableCost {
  /** What the batch will cost: a short answer to an answer at `maxTokens`. */
  batch: { low: Micros; high: Micros };
  /** The same request sent at once (twice the batch price). */
  sync: { low: Micros; high: Micros };
}

export function estimateDeferrableCost(price: ModelPrice, promptTokens: number, maxTokens: number): DeferrableCost {
  const at = (output: number, batch: boolean): Micros => costOf({ ...ZERO_USAGE, inputTokens: promptTokens, outputTokens: output }, price, { batch });
  const low = Math.min(LOW_OUTPUT_TOKENS, maxTokens);
  return { batch: { low: at(low, true), high: at(maxTokens, true) }, sync: { low: at(low, false), high: at(maxTokens, false) } };
}

/** When a deferrable task dispatched at `nowMs` is submitted: the off-peak window decides. */
export function batchPlanOf(cost: DeferrableCost, nowMs: number, timeZone: string, offPeak: { start: string; end: string } | null): BatchPlan {
  const w = submissionWindow(nowMs, timeZone, offPeak);
  if (!w.open && offPeak) {
    return { syncCostMicros: cost.sync, submit: 'off-peak', note: `Submitted in the off-peak window ${offPeak.start}–${offPeak.end} (${timeZone}) at 50 % off; the answer comes within 24 h of that.` };
  }
  const why = offPeak ? ` (the off-peak window ${offPeak.start}–${offPeak.end} is open)` : '';
  return { syncCostMicros: cost.sync, submit: 'now', note: `Submitted now${why} at 50 % off; the answer comes within 24 h, usually much sooner.` };
}
