/**
 * The project prefix: standing, task-independent context about one project (its instruction files and
 * a one-line-per-folder map) that every Sluice task on the project carries byte for byte as the first
 * system block, ending in a cache breakpoint. Claude Code (2.1.332) puts per-session bytes in its own
 * system prompt — the billing line's version suffix is derived from the session's first prompt — so
 * anything after it is never shared; only the block before it is. The second to fifth agents on a
 * project then read tools + project prefix from the cache (0.1×) instead of writing it (1.25×).
 */
import { renderFolderMap } from '../pruner/brief/folder-map';
import { folderMapHeader } from '../pruner/brief/sections';
import { MAX_BREAKPOINTS, breakpointsAround, ephemeral, minCacheableTokens, roughTokens, ttlBetween, type CacheTtl } from './shared-prefix';

/** What the prefix is made from, read from the project at the task's base commit (or its folder). */
export interface ProjectFacts {
  name: string;
  /** Files of the project, relative to its folder, forward slashes. */
  files: readonly string[];
  /** Instruction files (CLAUDE.md, AGENTS.md), outermost first, paths relative to the project folder. */
  instructions: readonly { path: string; text: string }[];
}

export interface ProjectPrefix {
  text: string;
  /** Tokens of `text` by Claude's tokenizer. */
  tokens: number;
}

export interface PrefixLimits {
  /** The whole prefix. */
  maxTokens: number;
  /** All instruction files together; the folder map gets the rest. */
  instructionTokens: number;
}

// Big enough for a real CLAUDE.md and a useful map, small next to the 5k-token task brief it sits beside.
export const DEFAULT_LIMITS: PrefixLimits = { maxTokens: 4000, instructionTokens: 2500 };

const INTRO =
  'Standing context for every agent Sluice runs on this project: the same for each task. Your task, and the ' +
  'files it most likely needs, come in the first user message. Paths are relative to the project folder, which ' +
  'is your working directory.\n\n';

/** The longest head of `text` (cut at a line end) that `count` puts within `budget`. */
function headWithin(text: string, budget: number, count: (s: string) => number): string {
  let cut = text;
  for (let i = 0; i < 8 && cut !== '' && count(cut) > budget; i++) {
    const ratio = budget / count(cut);
    const at = Math.floor(cut.length * ratio * 0.95);
    const nl = cut.lastIndexOf('\n', at);
    cut = cut.slice(0, nl > 0 ? nl + 1 : at);
  }
  return count(cut) <= budget ? cut : '';
}

/** Deterministic: the same facts give the same bytes, which is the whole point. */
export function projectPrefixText(facts: ProjectFacts, count: (s: string) => number, limits: PrefixLimits = DEFAULT_LIMITS): ProjectPrefix | null {
  if (facts.files.length === 0 && facts.instructions.length === 0) return null;
  let text = `# Project ${facts.name}\n${INTRO}`;
  let left = limits.instructionTokens;
  for (const f of facts.instructions) {
    const head = `## Instructions from ${f.path}\n`;
    const body = f.text.endsWith('\n') ? f.text : `${f.text}\n`;
    const room = left - count(head) - 30;
    if (room <= 0) break;
    const kept = count(body) <= room ? body : headWithin(body, room, count);
    if (kept === '') continue;
    const note = kept === body ? '' : `… (cut here; read ${f.path} for the rest)\n`;
    const section = `${head}${kept}${note}\n`;
    text += section;
    left -= count(section);
  }
  const mapRoom = limits.maxTokens - count(text) - 20;
  if (mapRoom > 0 && facts.files.length > 0) {
    // Every file scores the same: no task to rank by, and ties are broken by name, so the map is stable.
    const map = renderFolderMap(facts.files.map((path) => ({ path, score: 1 })), new Set(), mapRoom, count);
    if (map !== '') text += `## Layout (one line per folder)\n${map.slice(folderMapHeader().length)}`;
  }
  return { text, tokens: count(text) };
}

export type PlaceDecision = { added: false; why: string } | { added: true; body: Record<string, unknown>; ttl: CacheTtl };

/**
 * Puts the prefix first in `system` with a breakpoint after it. Never reorders or edits what the agent
 * sent; skips (and says why) when no breakpoint is free, when tools + prefix stay below the model's
 * minimum cacheable length (nothing would be cached, the bytes would only cost), or when the request's
 * own TTLs leave no valid one.
 */
export function placeProjectPrefix(body: Record<string, unknown>, prefix: ProjectPrefix, model: string, wanted: CacheTtl): PlaceDecision {
  const system = body.system;
  if (system !== undefined && typeof system !== 'string' && !Array.isArray(system)) return { added: false, why: 'system is neither text nor blocks' };
  const blocks: unknown[] = typeof system === 'string' ? (system === '' ? [] : [{ type: 'text', text: system }]) : (system ?? []);
  const first = blocks[0] as { text?: unknown } | undefined;
  if (first && first.text === prefix.text) return { added: false, why: 'already there' };
  const marks = breakpointsAround(body, 'system');
  if (marks.before.length + marks.within.length + marks.after.length >= MAX_BREAKPOINTS) return { added: false, why: 'no breakpoint to spare' };
  const tokens = (Array.isArray(body.tools) && body.tools.length > 0 ? roughTokens(body.tools) : 0) + prefix.tokens;
  if (tokens < minCacheableTokens(model)) return { added: false, why: `tools + project prefix (~${tokens} tokens) is below the model's minimum cacheable length` };
  const ttl = ttlBetween(wanted, marks.before, [...marks.within, ...marks.after]);
  if (!ttl) return { added: false, why: 'the request mixes TTLs in an order that leaves no valid one' };
  const block = { type: 'text', text: prefix.text, cache_control: ephemeral(ttl) };
  return { added: true, body: { ...body, system: [block, ...blocks] }, ttl };
}

/** Who else will read the prefix: other tasks of the project that wait in the queue, and that run now. */
export interface ProjectReuse {
  queued: number;
  running: number;
  /** Whether the runner has a free slot, so a queued task starts now rather than when a running one ends. */
  slotFree: boolean;
}

/**
 * 5 minutes while other agents of the project run (each of their turns reads the entry and refreshes it)
 * or while a queued task can start at once. 1 hour when tasks of the project wait for a slot and no other
 * agent of it runs to keep the entry warm (they start when some task ends, which may be long after), or
 * when this prefix has come back after 5–60 minutes before: one 1-hour write (2×) is cheaper than a second
 * 5-minute one (1.25× each).
 */
export function chooseProjectTtl(reuse: ProjectReuse, observed: CacheTtl): { ttl: CacheTtl; why: string } {
  if (reuse.queued > 0 && reuse.running === 0 && !reuse.slotFree) {
    return { ttl: '1h', why: `${reuse.queued} task${reuse.queued === 1 ? '' : 's'} on the project waiting for a slot, none running` };
  }
  if (observed === '1h') return { ttl: '1h', why: 'it came back after more than 5 minutes before' };
  if (reuse.running > 0) return { ttl: '5m', why: `${reuse.running} other task${reuse.running === 1 ? '' : 's'} on the project running` };
  if (reuse.queued > 0) return { ttl: '5m', why: `${reuse.queued} task${reuse.queued === 1 ? '' : 's'} on the project about to start` };
  return { ttl: '5m', why: 'no other task on the project waiting' };
}
