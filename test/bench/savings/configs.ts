// The configurations, cumulative: each adds one Sluice mechanism to the one before, so the drop in
// dollars from one row to the next is what that mechanism saved (given the ones before it).
import type { SettingsPatch } from '../../../shared/contract';

export interface Config {
  name: string;
  /**
   * What a task starts with: `whole` — every source file of the repository pasted in (naive); `brief` —
   * the pruner's 5k-token brief; `none` — nothing, the agent finds every file itself (Claude Code alone).
   */
  context: 'whole' | 'brief' | 'none';
  /**
   * `session`: what Claude Code does by itself — breakpoints on its system prompt (after a billing line that
   * differs per session, so no two sessions share it) and on the last message.
   * `shared`: Sluice's coordinator at the gateway (`routing.sharePrefix`) — the end of the tools marked, and the
   * project prefix (CLAUDE.md + folder map, built by the product from the project folder) first in the system
   * prompt with a breakpoint, so every agent on a project reads tools + prefix from cache.
   */
  cache: 'none' | 'session' | 'shared';
  /** Background calls → fast tier at the gateway; mechanical tasks → fast tier at dispatch. */
  routing: boolean;
  /** Deferrable tasks through the Message Batches API. */
  batches: boolean;
}

export const STRONG = 'claude-opus-4-8';
export const FAST = 'claude-haiku-4-5';
export const BRIEF_TOKENS = 5000;

export const CONFIGS: Config[] = [
  { name: 'naive', context: 'whole', cache: 'none', routing: false, batches: false },
  { name: '+ pruning', context: 'brief', cache: 'none', routing: false, batches: false },
  { name: '+ session cache', context: 'brief', cache: 'session', routing: false, batches: false },
  { name: '+ shared prefix', context: 'brief', cache: 'shared', routing: false, batches: false },
  { name: '+ routing', context: 'brief', cache: 'shared', routing: true, batches: false },
  { name: '+ batches = Sluice', context: 'brief', cache: 'shared', routing: true, batches: true },
];

/** No budget (the bench measures spend, it does not cap it); background routing only when the config routes. */
export function settingsFor(c: Config): SettingsPatch {
  return {
    dailyBudgetUsd: null,
    dailyTokenLimit: null,
    offPeak: null,
    routing: {
      tiers: { local: null, fast: FAST, strong: STRONG },
      background: { enabled: c.routing, maxTokens: 1024, tier: 'fast' },
      aliases: {},
      agentRules: [],
      sharePrefix: c.cache === 'shared',
    },
  };
}

/** Each mechanism alone on the naive run (opt-in, SLUICE_BENCH_ALONE=1): how much the order of the table above matters. */
export const ALONE: Config[] = [
  { name: 'naive + session cache', context: 'whole', cache: 'session', routing: false, batches: false },
  { name: 'naive + shared prefix', context: 'whole', cache: 'shared', routing: false, batches: false },
  { name: 'naive + routing', context: 'whole', cache: 'none', routing: true, batches: false },
  { name: 'naive + batches', context: 'whole', cache: 'none', routing: false, batches: true },
];

/** What a Claude Code user pays without Sluice: no repository pasted, no brief, Claude Code's own caching, one model. */
export const CLAUDE_CODE_ALONE: Config = { name: 'Claude Code alone', context: 'none', cache: 'session', routing: false, batches: false };
