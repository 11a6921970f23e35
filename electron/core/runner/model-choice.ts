import os from 'node:os';
import type { DispatchInput, RoutingRules, Tier } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';
import { costOf, type ModelPrice } from '../../../shared/pricing';
import { ZERO_USAGE } from '../../../shared/usage';
import { classifyTask, type LearnedOdds } from '../router/task-tier';
import { displayFolder, projectOverride } from '../router/project-tier';

export interface ModelChoice {
  tier: Tier;
  model: string;
  reason: string;
}

const LOCAL = /^(ollama|local)\//;

/**
 * The model a task asks the gateway for. The gateway's router may still change it (aliases, agent
 * rules, a budget downgrade); this is the dispatch-time intent, with a reason a person can read.
 * Precedence: the task's own model or tier, then the project's tier (Settings → Routing, `sluice
 * projects`), then the task's words.
 */
export function chooseModel(
  input: Pick<DispatchInput, 'model' | 'tier'> & { prompt?: string; project?: string },
  routing: RoutingRules,
  learned: LearnedOdds | null = null,
  home: string | null = os.homedir(),
): { ok: true; choice: ModelChoice } | { ok: false; message: string } {
  if (input.model) {
    const m = input.model;
    const tier: Tier = LOCAL.test(m) ? 'local' : m === routing.tiers.fast ? 'fast' : 'strong';
    return { ok: true, choice: { tier, model: m, reason: `${tier}: ${m} chosen at dispatch` } };
  }
  if (input.tier === 'local') {
    if (!routing.tiers.local) return { ok: false, message: 'No local model is set for the local tier; pick one in Settings → Routing or pass --model.' };
    return { ok: true, choice: { tier: 'local', model: `ollama/${routing.tiers.local}`, reason: `local: the local tier (${routing.tiers.local})` } };
  }
  if (input.tier === 'fast') return { ok: true, choice: { tier: 'fast', model: routing.tiers.fast, reason: `fast: the fast tier (${routing.tiers.fast})` } };
  if (input.tier === 'strong') return { ok: true, choice: { tier: 'strong', model: routing.tiers.strong, reason: `strong: the strong tier (${routing.tiers.strong})` } };
  const override = projectOverride(input.project, routing.projects);
  // A local override saved before the local model was cleared: fall back to reading the task, and say so.
  const orphaned = override?.tier === 'local' && !routing.tiers.local;
  if (override && !orphaned) {
    const where = displayFolder(override.folder, home);
    return { ok: true, choice: { tier: override.tier, model: modelFor(override.tier, routing), reason: `${override.tier}: project override (${where})` } };
  }
  // No tier or model asked for: the task's own words decide (mechanical → local/fast, reasoning → strong).
  const d = classifyTask({ prompt: input.prompt ?? '', localAvailable: routing.tiers.local !== null, learned });
  const note = orphaned && override ? `; ${displayFolder(override.folder, home)} is set to local but no local model is set` : '';
  return { ok: true, choice: { tier: d.tier, model: modelFor(d.tier, routing), reason: d.reason + note } };
}

function modelFor(tier: Tier, routing: RoutingRules): string {
  return tier === 'local' ? `ollama/${routing.tiers.local}` : tier === 'fast' ? routing.tiers.fast : routing.tiers.strong;
}

/**
 * What Claude Code (engine 2.1.332, started by the runner through the agent SDK, no preset system prompt)
 * sends before the task: 8 tool definitions ≈ 3.2k tokens, a two-block system prompt ≈ 35, and the
 * environment message — recorded from the real engine (see test/bench/savings/engine-prompt.ts).
 */
export const ENGINE_PROMPT_TOKENS = 3_500;

/**
 * A range, not a promise: a short task (3 requests, prompt cached once) to a long one (25 requests,
 * context growing by ~2k tokens a turn). Everything after the first request reads the cached prefix.
 */
export function estimateTaskCost(price: ModelPrice, contextTokens: number): { low: Micros; high: Micros } {
  const base = ENGINE_PROMPT_TOKENS + contextTokens;
  const run = (requests: number, growth: number, outputPerTurn: number): Micros => {
    let total = costOf({ ...ZERO_USAGE, cacheWrite5mTokens: base, outputTokens: outputPerTurn }, price);
    for (let i = 1; i < requests; i++) {
      total += costOf({ ...ZERO_USAGE, cacheReadTokens: base + (i - 1) * growth, cacheWrite5mTokens: growth, outputTokens: outputPerTurn }, price);
    }
    return total;
  };
  return { low: run(3, 500, 300), high: run(25, 2_000, 1_500) };
}
