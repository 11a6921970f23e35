// Prompt-cache simulation for the fake Anthropic API, following the prompt-caching docs:
// - a cache entry is the prefix (tools → system → messages) up to and including a breakpoint, per model;
// - a request reads the longest cached prefix that ends at one of its breakpoints or within the
//   20 blocks before one (the docs' lookback), and refreshes that entry's TTL;
// - it then writes every later breakpoint whose prefix reaches the model's minimum; each written
//   segment is billed at the TTL of the breakpoint that ends it (5m or 1h);
// - prefixes below the minimum are neither written nor read, silently.
import { createHash } from 'node:crypto';
import type { CacheTtl, PromptUnit } from './anthropic-prompt';

const LOOKBACK_BLOCKS = 20;

export interface CacheOutcome {
  readTokens: number;
  write5mTokens: number;
  write1hTokens: number;
  uncachedTokens: number;
}

interface Entry {
  expiresAt: number;
  ttlMs: number;
}

export class PromptCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: Record<CacheTtl, number>) {}

  clear(): void {
    this.entries.clear();
  }

  apply(model: string, units: PromptUnit[], now: number, minTokens: number): CacheOutcome {
    const keys: string[] = [];
    const cum: number[] = [];
    let hash = createHash('sha256').update(model).digest('hex');
    let total = 0;
    for (const u of units) {
      hash = createHash('sha256').update(hash).update('\n').update(u.key).digest('hex');
      total += u.tokens;
      keys.push(hash);
      cum.push(total);
    }
    const live = (i: number): Entry | undefined => {
      const e = this.entries.get(keys[i] ?? '');
      return e && e.expiresAt > now ? e : undefined;
    };

    const breakpoints = units.flatMap((u, i) => (u.breakpoint ? [i] : []));
    let hit = -1;
    for (const b of breakpoints) {
      for (let p = b; p >= Math.max(0, b - LOOKBACK_BLOCKS + 1) && p > hit; p--) {
        if (live(p)) {
          hit = p;
          break;
        }
      }
    }
    const hitEntry = hit >= 0 ? live(hit) : undefined;
    if (hitEntry) hitEntry.expiresAt = now + hitEntry.ttlMs;

    const out: CacheOutcome = { readTokens: hit >= 0 ? (cum[hit] ?? 0) : 0, write5mTokens: 0, write1hTokens: 0, uncachedTokens: 0 };
    let written = out.readTokens;
    for (const b of breakpoints) {
      const ttl = units[b]?.breakpoint;
      const upTo = cum[b] ?? 0;
      if (b <= hit || !ttl || upTo < minTokens) continue;
      const segment = upTo - written;
      if (ttl === '1h') out.write1hTokens += segment;
      else out.write5mTokens += segment;
      written = upTo;
      this.entries.set(keys[b] ?? '', { expiresAt: now + this.ttlMs[ttl], ttlMs: this.ttlMs[ttl] });
    }
    out.uncachedTokens = total - written;
    return out;
  }
}
