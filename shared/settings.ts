import type { BudgetPolicy, ProjectRouting, RoutingRules, Settings, SettingsPatch, Tier } from './contract';
import { isValidTimeZone } from './budget-day';
import { DEFAULT_THRESHOLDS } from './budget';

/** Settings as stored in the ledger (everything but derived, read-only fields). */
export type StoredSettings = Omit<Settings, 'hasApiKey'>;

export const DEFAULT_ROUTING: RoutingRules = {
  aliases: {},
  agentRules: [],
  background: { enabled: true, maxTokens: 1024, tier: 'fast' },
  tiers: { local: null, fast: 'claude-haiku-5-5', strong: 'claude-sonnet-5-5' },
  downgradeTo: 'fast',
  overloadFallback: null,
  responseCacheSeconds: 300,
  sharePrefix: true,
};

export function defaultSettings(timeZone: string): StoredSettings {
  return {
    dailyBudgetUsd: null,
    dailyTokenLimit: null,
    thresholds: [...DEFAULT_THRESHOLDS],
    policy: 'reject',
    timeZone,
    offPeak: null,
    concurrency: 5,
    hotkey: 'CommandOrControl+Shift+Space',
    routing: DEFAULT_ROUTING,
  };
}

const POLICIES: readonly BudgetPolicy[] = ['queue', 'downgrade', 'reject'];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Applies a patch after checking every field; returns a message a person can act on when one is wrong. */
export function applySettingsPatch(current: StoredSettings, patch: SettingsPatch): { ok: true; value: StoredSettings } | { ok: false; message: string } {
  const next: StoredSettings = { ...current, routing: { ...current.routing } };
  if (patch.dailyBudgetUsd !== undefined) {
    const v = patch.dailyBudgetUsd;
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1_000_000)) {
      return { ok: false, message: 'The daily budget must be a dollar amount between 0 and 1,000,000, or empty for no limit.' };
    }
    next.dailyBudgetUsd = v === null ? null : Math.round(v * 1_000_000) / 1_000_000;
  }
  if (patch.dailyTokenLimit !== undefined) {
    const v = patch.dailyTokenLimit;
    if (v !== null && (!Number.isInteger(v) || v <= 0)) {
      return { ok: false, message: 'The daily token limit must be a positive whole number, or empty for none.' };
    }
    next.dailyTokenLimit = v;
  }
  if (patch.thresholds !== undefined) {
    const t = patch.thresholds;
    if (!Array.isArray(t) || t.length === 0 || t.length > 10 || t.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || x > 100)) {
      return { ok: false, message: 'Thresholds must be 1–10 percentages between 1 and 100, e.g. 50,80,95,100.' };
    }
    next.thresholds = [...new Set(t.map((x) => Math.round(x)))].sort((a, b) => a - b);
  }
  if (patch.policy !== undefined) {
    if (!POLICIES.includes(patch.policy)) return { ok: false, message: 'The policy must be one of queue, downgrade, reject.' };
    next.policy = patch.policy;
  }
  if (patch.timeZone !== undefined) {
    if (typeof patch.timeZone !== 'string' || !isValidTimeZone(patch.timeZone)) {
      return { ok: false, message: `"${String(patch.timeZone)}" is not a time zone; use an IANA name such as Europe/Paris.` };
    }
    next.timeZone = patch.timeZone;
  }
  if (patch.offPeak !== undefined) {
    const w = patch.offPeak;
    if (w !== null && (typeof w !== 'object' || !HHMM.test(w.start) || !HHMM.test(w.end))) {
      return { ok: false, message: 'The off-peak window needs a start and an end as HH:MM (24-hour), e.g. 22:00 and 07:00.' };
    }
    next.offPeak = w === null ? null : { start: w.start, end: w.end };
  }
  if (patch.concurrency !== undefined) {
    if (!Number.isInteger(patch.concurrency) || patch.concurrency < 1 || patch.concurrency > 64) {
      return { ok: false, message: 'Concurrency must be a whole number of agents between 1 and 64.' };
    }
    next.concurrency = patch.concurrency;
  }
  if (patch.hotkey !== undefined) {
    if (typeof patch.hotkey !== 'string' || patch.hotkey.trim() === '' || patch.hotkey.length > 64) {
      return { ok: false, message: 'The hotkey must be an accelerator such as CommandOrControl+Shift+Space.' };
    }
    next.hotkey = patch.hotkey.trim();
  }
  if (patch.routing !== undefined) {
    const r = patch.routing;
    if (typeof r !== 'object' || r === null) return { ok: false, message: 'Routing rules must be an object.' };
    if (r.aliases !== undefined) {
      if (typeof r.aliases !== 'object' || r.aliases === null || Object.entries(r.aliases).some(([k, v]) => !k || typeof v !== 'string' || !v)) {
        return { ok: false, message: 'Model aliases map a model name to another model name.' };
      }
      next.routing.aliases = { ...r.aliases };
    }
    if (r.agentRules !== undefined) {
      if (!Array.isArray(r.agentRules) || r.agentRules.some((x) => typeof x?.agent !== 'string' || !x.agent || typeof x.model !== 'string' || !x.model)) {
        return { ok: false, message: 'Each agent rule needs an agent name and a model.' };
      }
      next.routing.agentRules = r.agentRules.map((x) => ({ agent: x.agent, model: x.model }));
    }
    if (r.background !== undefined) {
      const b = r.background;
      if (typeof b?.enabled !== 'boolean' || !Number.isInteger(b.maxTokens) || b.maxTokens < 1 || (b.tier !== 'local' && b.tier !== 'fast')) {
        return { ok: false, message: 'Background routing needs enabled (true/false), maxTokens (a positive whole number) and tier (local or fast).' };
      }
      next.routing.background = { enabled: b.enabled, maxTokens: b.maxTokens, tier: b.tier };
    }
    if (r.tiers !== undefined) {
      const t = r.tiers;
      if (typeof t?.fast !== 'string' || !t.fast || typeof t.strong !== 'string' || !t.strong || (t.local !== null && (typeof t.local !== 'string' || !t.local))) {
        return { ok: false, message: 'Tiers need a fast and a strong model name, and a local Ollama model name or none.' };
      }
      next.routing.tiers = { local: t.local, fast: t.fast, strong: t.strong };
    }
    if (r.overloadFallback !== undefined) {
      if (r.overloadFallback !== null && (typeof r.overloadFallback !== 'string' || r.overloadFallback.trim() === '')) {
        return { ok: false, message: 'The overload fallback must be a model name, or empty for the fast tier.' };
      }
      next.routing.overloadFallback = r.overloadFallback;
    }
    if (r.responseCacheSeconds !== undefined) {
      if (!Number.isInteger(r.responseCacheSeconds) || r.responseCacheSeconds < 0 || r.responseCacheSeconds > 86_400) {
        return { ok: false, message: 'The response cache time must be a whole number of seconds between 0 and 86400.' };
      }
      next.routing.responseCacheSeconds = r.responseCacheSeconds;
    }
    if (r.sharePrefix !== undefined) {
      if (typeof r.sharePrefix !== 'boolean') return { ok: false, message: 'sharePrefix must be true or false.' };
      next.routing.sharePrefix = r.sharePrefix;
    }
    if (r.downgradeTo !== undefined) {
      if (r.downgradeTo !== 'local' && r.downgradeTo !== 'fast') return { ok: false, message: 'downgradeTo must be local or fast.' };
      next.routing.downgradeTo = r.downgradeTo;
    }
    if (r.projects !== undefined) {
      const checked = projectTiers(r.projects, next.routing.tiers.local !== null, current.routing.projects ?? {});
      if (!checked.ok) return checked;
      next.routing.projects = checked.value;
    }
  }
  return { ok: true, value: next };
}

const TIERS: readonly Tier[] = ['local', 'fast', 'strong'];
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/])/;
const MAX_PROJECTS = 500;

/** A folder key as the override table stores it: no trailing separator (but "/" stays "/"). */
export function projectKey(folder: string): string {
  const trimmed = folder.replace(/[\\/]+$/, '');
  return trimmed === '' || /^[A-Za-z]:$/.test(trimmed) ? folder.slice(0, trimmed.length + 1) : trimmed;
}

/**
 * Per-project tiers: absolute folders, known tiers, and a new local-tier entry only when a local model is
 * set (an entry already saved is kept, so clearing the local model later does not lock the table).
 */
function projectTiers(raw: unknown, localAvailable: boolean, before: Record<string, ProjectRouting>): { ok: true; value: Record<string, ProjectRouting> } | { ok: false; message: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, message: 'Project tiers map a project folder to { tier }.' };
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_PROJECTS) return { ok: false, message: `At most ${MAX_PROJECTS} project tiers.` };
  const value: Record<string, ProjectRouting> = {};
  for (const [folder, v] of entries) {
    if (!ABSOLUTE.test(folder) || folder.length > 4096) return { ok: false, message: `"${folder}" is not an absolute project folder.` };
    const tier = typeof v === 'object' && v !== null ? (v as { tier?: unknown }).tier : undefined;
    const known = TIERS.find((t) => t === tier);
    if (!known) return { ok: false, message: `The tier for ${folder} must be one of ${TIERS.join(', ')}.` };
    if (known === 'local' && !localAvailable && before[projectKey(folder)]?.tier !== 'local') return { ok: false, message: `${folder} cannot use the local tier: no local model is set (Settings → Routing → Local model).` };
    value[projectKey(folder)] = { tier: known };
  }
  return { ok: true, value };
}
