/**
 * Shared context through prompt caching: agents of one project (and every Claude Code session of one
 * version) send the same tool definitions first. A cache breakpoint at the end of `tools` lets the
 * second to fifth agent read that prefix from the cache (0.1× input) instead of writing it again
 * (1.25×). We only add `cache_control` to the last tool — nothing is reordered or rewritten — and
 * only when the request has a breakpoint to spare (the API allows 4) and the prefix is long enough
 * for the model to cache at all (below the minimum nothing is cached and nothing errors, so a
 * breakpoint there would only cost a slot).
 */

export type CacheTtl = '5m' | '1h';

/** Minimum cacheable prompt length per model family (Anthropic's prompt-caching docs); unknown → the highest. */
export function minCacheableTokens(model: string): number {
  const m = model.toLowerCase();
  if (/opus-4-[56]|haiku-4-5|haiku-5/.test(m)) return 4096;
  if (/opus-4-7|claude-3-(5-)?haiku|haiku-3/.test(m)) return 2048;
  if (/(opus|sonnet|mythos|fable)-5|sonnet-4|opus-4-[018]|opus-4$|sonnet-3/.test(m)) return 1024;
  return 4096;
}

interface Block {
  cache_control?: unknown;
  [key: string]: unknown;
}

/** The API's limit on cache_control blocks per request (a fifth is a 400). */
export const MAX_BREAKPOINTS = 4;

/** The TTLs of the cache breakpoints inside `v`, in prefix order. */
function marksIn(v: unknown, out: CacheTtl[]): CacheTtl[] {
  if (Array.isArray(v)) {
    for (const x of v) marksIn(x, out);
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.cache_control && typeof o.cache_control === 'object') out.push((o.cache_control as { ttl?: unknown }).ttl === '1h' ? '1h' : '5m');
    for (const [k, x] of Object.entries(o)) if (k !== 'cache_control' && typeof x === 'object') marksIn(x, out);
  }
  return out;
}

/** Breakpoints a request already carries, split at one part of the prefix (tools → system → messages). */
export function breakpointsAround(body: Record<string, unknown>, part: 'tools' | 'system'): { before: CacheTtl[]; within: CacheTtl[]; after: CacheTtl[] } {
  const tools = marksIn(body.tools, []);
  const system = marksIn(body.system, []);
  // A top-level cache_control is automatic caching: a breakpoint on the last block, after everything.
  const rest = marksIn(body.messages, []);
  if (body.cache_control && typeof body.cache_control === 'object') rest.push((body.cache_control as { ttl?: unknown }).ttl === '1h' ? '1h' : '5m');
  return part === 'tools' ? { before: [], within: tools, after: [...system, ...rest] } : { before: tools, within: system, after: rest };
}

/**
 * The API wants longer-lived entries before shorter ones: a breakpoint followed by a 1-hour one must be
 * 1-hour itself, and one preceded by a 5-minute one cannot be. Null when the request's own marks allow neither.
 */
export function ttlBetween(wanted: CacheTtl, before: readonly CacheTtl[], after: readonly CacheTtl[]): CacheTtl | null {
  const may1h = !before.includes('5m');
  if (after.includes('1h')) return may1h ? '1h' : null;
  return wanted === '1h' && may1h ? '1h' : '5m';
}

export function ephemeral(ttl: CacheTtl): { type: 'ephemeral'; ttl?: '1h' } {
  return ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
}

/** Rough tokens of a JSON value (ceil(bytes / 4)); only compared against the minimum cacheable length. */
export function roughTokens(v: unknown): number {
  return Math.ceil(Buffer.byteLength(JSON.stringify(v) ?? '') / 4);
}

export type PrefixDecision = { added: false; why: string } | { added: true; body: Record<string, unknown>; ttl: CacheTtl; tokens: number };

export function shareToolPrefix(body: Record<string, unknown>, model: string, ttl: CacheTtl): PrefixDecision {
  const tools = body.tools;
  if (!Array.isArray(tools) || tools.length === 0) return { added: false, why: 'no tools' };
  const last = tools[tools.length - 1] as Block | undefined;
  if (!last || typeof last !== 'object') return { added: false, why: 'no tools' };
  if (last.cache_control) return { added: false, why: 'already marked' };
  const marks = breakpointsAround(body, 'tools');
  if (marks.within.length + marks.after.length >= MAX_BREAKPOINTS) return { added: false, why: 'no breakpoint to spare' };
  const tokens = roughTokens(tools);
  if (tokens < minCacheableTokens(model)) return { added: false, why: `tools prefix (~${tokens} tokens) is below the model's minimum cacheable length` };
  // `tools` is the first part of the prefix, so only the marks after it constrain the TTL.
  const chosen = ttlBetween(ttl, marks.within, marks.after);
  if (!chosen) return { added: false, why: 'the request mixes TTLs in an order that leaves no valid one' };
  const marked = [...tools.slice(0, -1), { ...last, cache_control: ephemeral(chosen) }];
  return { added: true, body: { ...body, tools: marked }, ttl: chosen, tokens };
}

/**
 * Chooses the TTL from the expected reuse: when the same prefix keeps coming back after more than five
 * minutes but within the hour, a 1-hour write (2×) beats rewriting it at 1.25× each time.
 */
export class PrefixReuse {
  private readonly seen = new Map<string, number>();
  private readonly gaps = new Map<string, number>();

  ttlFor(prefixKey: string, now: number): CacheTtl {
    const last = this.seen.get(prefixKey);
    if (last !== undefined) this.gaps.set(prefixKey, now - last);
    this.seen.set(prefixKey, now);
    if (this.seen.size > 5_000) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
      this.gaps.delete(oldest);
    }
    const gap = this.gaps.get(prefixKey);
    return gap !== undefined && gap > 5 * 60_000 && gap <= 60 * 60_000 ? '1h' : '5m';
  }
}
