import type { BudgetPolicy, Provider, RoutingRules, Tier } from '../../../shared/contract';

/** A local model as the router sees it (from Ollama's tags + show). */
export interface LocalModelInfo {
  name: string;
  contextLength: number | null;
  capabilities: string[];
}

export interface RouteInput {
  /** The model the caller asked for. */
  model: string;
  agentName: string | null;
  hasTools: boolean;
  maxTokens: number;
  estimatedPromptTokens: number;
  imageCount: number;
  rules: RoutingRules;
  /** Installed local models; null when Ollama is not reachable. */
  localModels: readonly LocalModelInfo[] | null;
  /** The model this session has used so far (prompt-cache affinity), if any. */
  sessionModel: string | null;
  /** Today's spend as a share of the daily budget; with policy 'downgrade', strong-tier work steps down near the limit. */
  budget?: { percent: number; policy: BudgetPolicy; stepDownAtPercent: number } | null;
  /** How much of this session's prompt the provider holds in cache on `sessionModel` (its last cache read). */
  sessionCachedTokens?: number;
  /** Input price per model ($/MTok), to weigh a model switch against the prompt cache it throws away. */
  inputRate?: (model: string) => number;
}

/** Turns a session is expected to go on for when we weigh keeping its cache (Claude Code sessions run long). */
const EXPECTED_TURNS = 8;

/**
 * Cache affinity: moving a warm session to another model re-writes its whole cached prompt there (1.25×)
 * instead of reading it (0.1×). Over the next turns, is the cheaper model still cheaper?
 */
export function switchPaysOff(cachedTokens: number, oldRate: number, newRate: number, turns = EXPECTED_TURNS): boolean {
  const stay = turns * 0.1 * oldRate * cachedTokens;
  const move = (1.25 * newRate + (turns - 1) * 0.1 * newRate) * cachedTokens;
  return move < stay;
}

export interface RouteDecision {
  provider: Provider;
  model: string;
  tier: Tier | null;
  /** One line a person can read: why this model. */
  reason: string;
}

const LOCAL_PREFIXES = ['ollama/', 'local/'];

export function isLocalModelName(model: string): boolean {
  return LOCAL_PREFIXES.some((p) => model.startsWith(p));
}

export function stripLocalPrefix(model: string): string {
  for (const p of LOCAL_PREFIXES) if (model.startsWith(p)) return model.slice(p.length);
  return model;
}

/**
 * Whether a local model can take this request: it must be installed, its context must hold the
 * prompt plus the answer, and it must support tools when the request uses them.
 */
export function localFit(name: string, input: Pick<RouteInput, 'hasTools' | 'maxTokens' | 'estimatedPromptTokens' | 'imageCount' | 'localModels'>): { ok: true } | { ok: false; why: string } {
  if (input.localModels === null) return { ok: false, why: 'Ollama is not running' };
  const m = input.localModels.find((x) => x.name === name || x.name === `${name}:latest`);
  if (!m) return { ok: false, why: `${name} is not installed` };
  // Our prompt estimate is deliberately high (≈3 bytes per token); real prompts are smaller.
  const needed = Math.round(input.estimatedPromptTokens * 0.75) + input.maxTokens;
  if (m.contextLength !== null && needed > m.contextLength) {
    return { ok: false, why: `${name}'s context (${m.contextLength.toLocaleString('en-US')}) is too small for ~${needed.toLocaleString('en-US')} tokens` };
  }
  if (input.hasTools && m.capabilities.length > 0 && !m.capabilities.includes('tools')) return { ok: false, why: `${name} does not support tools` };
  if (input.imageCount > 0 && m.capabilities.length > 0 && !m.capabilities.includes('vision')) return { ok: false, why: `${name} cannot read images` };
  return { ok: true };
}

/** Picks provider and model for one request. Pure: everything it knows is in `input`. */
export function route(input: RouteInput): RouteDecision {
  const decision = routeByRules(input);
  const b = input.budget;
  if (b && b.policy === 'downgrade' && b.percent >= b.stepDownAtPercent && decision.tier === 'strong') {
    const target = downgradeTarget(decision.model, input);
    if (target) {
      const cached = input.sessionModel === decision.model ? (input.sessionCachedTokens ?? 0) : 0;
      const rate = input.inputRate;
      if (cached > 0 && rate && target.provider === 'anthropic' && !switchPaysOff(cached, rate(decision.model), rate(target.model))) {
        return { ...decision, reason: `${decision.tier}: budget at ${Math.floor(b.percent)}%, but staying on ${decision.model} keeps ${cached.toLocaleString('en-US')} cached tokens (switching would cost more)` };
      }
      return { ...target, reason: `${target.tier}: budget at ${Math.floor(b.percent)}%, downgraded from ${decision.model}` };
    }
  }
  return decision;
}

function routeByRules(input: RouteInput): RouteDecision {
  const { rules } = input;
  let model = input.model;
  const notes: string[] = [];
  const alias = rules.aliases[model];
  if (alias) {
    notes.push(`alias ${model} -> ${alias}`);
    model = alias;
  }

  if (isLocalModelName(model)) {
    const name = stripLocalPrefix(model);
    const fit = localFit(name, input);
    if (fit.ok) return { provider: 'ollama', model: name, tier: 'local', reason: join(notes, `local: ${name} requested by name`) };
    return { provider: 'anthropic', model: rules.tiers.fast, tier: 'fast', reason: join(notes, `fast: ${fit.why}, fell back from ${name}`) };
  }

  const agentRule = input.agentName ? rules.agentRules.find((r) => r.agent === input.agentName) : undefined;
  if (agentRule) {
    const target = agentRule.model;
    if (isLocalModelName(target) || (rules.tiers.local !== null && target === rules.tiers.local)) {
      const name = stripLocalPrefix(target);
      const fit = localFit(name, input);
      if (fit.ok) return { provider: 'ollama', model: name, tier: 'local', reason: join(notes, `local: requests of agent ${input.agentName} go to ${name}`) };
      return { provider: 'anthropic', model: rules.tiers.fast, tier: 'fast', reason: join(notes, `fast: agent rule wants ${name} but ${fit.why}`) };
    }
    return { provider: 'anthropic', model: target, tier: tierOf(target, rules), reason: join(notes, `rule: requests of agent ${input.agentName} go to ${target}`) };
  }

  const background = rules.background.enabled && !input.hasTools && input.maxTokens > 0 && input.maxTokens <= rules.background.maxTokens;
  if (background) {
    const what = `background call (no tools, max_tokens ${input.maxTokens})`;
    if (rules.background.tier === 'local' && rules.tiers.local) {
      const fit = localFit(rules.tiers.local, input);
      if (fit.ok) return { provider: 'ollama', model: rules.tiers.local, tier: 'local', reason: join(notes, `local: ${what}`) };
      notes.push(`local skipped: ${fit.why}`);
    }
    if (model !== rules.tiers.fast) return { provider: 'anthropic', model: rules.tiers.fast, tier: 'fast', reason: join(notes, `fast: ${what}`) };
  }

  if (input.sessionModel && input.sessionModel !== model && !background) {
    notes.push(`session was on ${input.sessionModel}`);
  }
  return { provider: 'anthropic', model, tier: tierOf(model, rules), reason: join(notes, 'as requested') };
}

/** The cheaper target of a budget downgrade, or null when there is nowhere cheaper to go. */
export function downgradeTarget(from: string, input: RouteInput): RouteDecision | null {
  const { rules } = input;
  if (rules.downgradeTo === 'local' && rules.tiers.local) {
    const fit = localFit(rules.tiers.local, input);
    if (fit.ok) return { provider: 'ollama', model: rules.tiers.local, tier: 'local', reason: `local: budget limit reached, downgraded from ${from}` };
  }
  if (from === rules.tiers.fast) return null;
  return { provider: 'anthropic', model: rules.tiers.fast, tier: 'fast', reason: `fast: budget limit reached, downgraded from ${from}` };
}

function tierOf(model: string, rules: RoutingRules): Tier | null {
  if (model === rules.tiers.fast || /haiku/i.test(model)) return 'fast';
  if (model === rules.tiers.strong || /opus|sonnet|fable|mythos/i.test(model)) return 'strong';
  return null;
}

function join(notes: string[], head: string): string {
  return notes.length ? `${head} (${notes.join('; ')})` : head;
}
