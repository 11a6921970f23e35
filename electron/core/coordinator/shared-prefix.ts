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

function breakpoints(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + breakpoints(x), 0);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    let n = o.cache_control && typeof o.cache_control === 'object' ? 1 : 0;
    for (const [k, x] of Object.entries(o)) if (k !== 'cache_control' && typeof x === 'object') n += breakpoints(x);
    return n;
  }
  return 0;
}

export type PrefixDecision = { added: false; why: string } | { added: true; body: Record<string, unknown>; ttl: CacheTtl; tokens: number };

export function shareToolPrefix(body: Record<string, unknown>, model: string, ttl: CacheTtl): PrefixDecision {
  const tools = body.tools;
  if (!Array.isArray(tools) || tools.length === 0) return { added: false, why: 'no tools' };
  const last = tools[tools.length - 1] as Block | undefined;
  if (!last || typeof last !== 'object') return { added: false, why: 'no tools' };
  if (last.cache_control) return { added: false, why: 'already marked' };
  const used = breakpoints(body.tools) + breakpoints(body.system) + breakpoints(body.messages) + (body.cache_control ? 1 : 0);
  if (used >= 4) return { added: false, why: 'no breakpoint to spare' };
  const tokens = Math.ceil(Buffer.byteLength(JSON.stringify(tools)) / 4);
  if (tokens < minCacheableTokens(model)) return { added: false, why: `tools prefix (~${tokens} tokens) is below the model's minimum cacheable length` };
  // The API wants 1-hour entries before 5-minute ones; `tools` is the first part of the prefix, so a 1-hour
  // mark here is always in order.
  const cacheControl = ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  const marked = [...tools.slice(0, -1), { ...last, cache_control: cacheControl }];
  return { added: true, body: { ...body, tools: marked }, ttl, tokens };
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
