import { formatUsd } from '../../../../shared/money';
import { memoizedCounter } from '../tokens';
import { pruningEconomics } from './cache-economics';
import { indexToolCalls, resultText, withResultText, type ToolCall } from './tool-calls';
import { truncateOutput } from './truncate-output';
import type { AnthropicMessage, AnthropicMessagesRequest, ContentBlock, PruneAction, PruneOptions, PruneResult } from './types';

const DEFAULTS = { cacheReadMultiplier: 0.1, cacheWriteMultiplier: 1.25, expectedFutureTurns: 8, hugeOutputTokens: 2000 };
/** Outputs shorter than this are not worth a stub (the stub itself is ~40 tokens). */
const MIN_DUPLICATE_CHARS = 800;

const sharedCounter = memoizedCounter();

interface Edit {
  message: number;
  block: number;
  replacement: ContentBlock;
  action: PruneAction;
}

const key = (message: number, block: number): string => `${message}:${block}`;

/** A block as the cache sees it: cache_control markers move between turns without changing the prefix. */
function blockKey(b: unknown): string {
  return JSON.stringify(b, (k, v: unknown) => (k === 'cache_control' ? undefined : v));
}

function blockText(b: ContentBlock): string {
  if (b.type === 'text' && typeof b.text === 'string') return b.text;
  if (b.type === 'tool_result') return resultText(b) ?? blockKey(b.content);
  if (b.type === 'tool_use') return `${String(b.name)} ${blockKey(b.input)}`;
  return blockKey(b);
}

function blocksOf(m: AnthropicMessage): ContentBlock[] {
  return typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
}

/** Which file reads a later full read, write or edit of the same file made stale. */
function supersededReads(calls: Map<string, ToolCall>, ok: (id: string) => boolean): Map<string, ToolCall> {
  const out = new Map<string, ToolCall>();
  const ops = [...calls.values()].filter((c) => c.file && ok(c.id));
  ops.forEach((read, i) => {
    if (read.file?.access !== 'read') return;
    const later = ops
      .slice(i + 1)
      .find((o) => o.file !== null && o.message > read.message && o.file.path === read.file?.path && !(o.file.access === 'read' && o.file.partial));
    if (later) out.set(read.id, later);
  });
  return out;
}

function planEdits(req: AnthropicMessagesRequest, count: (t: string) => number, hugeOutputTokens: number): Edit[] {
  const messages = req.messages;
  const last = messages.length - 1;
  const { calls, results } = indexToolCalls(messages);
  const edits = new Map<string, Edit>();
  const stub = (message: number, block: number, original: ContentBlock, text: string, kind: PruneAction['kind'], before: string, toolUseId?: string): void => {
    const replacement = original.type === 'tool_result' ? withResultText(original, text) : { ...original, text };
    edits.set(key(message, block), {
      message,
      block,
      replacement,
      action: { kind, tokensBefore: count(before), tokensAfter: count(text), ...(toolUseId ? { toolUseId } : {}) },
    });
  };

  const succeeded = (id: string): boolean => {
    const r = results.get(id);
    return r !== undefined && !r.isError;
  };
  for (const [id, later] of supersededReads(calls, succeeded)) {
    const r = results.get(id);
    if (!r || r.message === last) continue;
    const text = resultText(r.value);
    if (text === null || text.length < 200) continue;
    const call = calls.get(id) as ToolCall;
    const how = later.file?.access === 'read' ? 'read again' : later.file?.access === 'write' ? 'rewritten' : 'edited';
    stub(r.message, r.block, r.value, `[Sluice pruned this output: ${call.file?.path} was ${how} later (tool_use ${later.id}); read it again if you need its contents.]`, 'superseded-file', text, id);
  }

  for (const [id, r] of results) {
    if (r.message === last || edits.has(key(r.message, r.block)) || calls.get(id)?.file?.access === 'read') continue;
    const text = resultText(r.value);
    if (text === null || text.length < hugeOutputTokens) continue;
    const before = count(text);
    if (before <= hugeOutputTokens) continue;
    const cut = truncateOutput(text);
    if (count(cut) < before * 0.7) stub(r.message, r.block, r.value, cut, 'truncated-output', text, id);
  }

  // The first copy stays where it is (the cached prefix); later copies point back to it.
  const firstSeen = new Map<string, string>();
  messages.forEach((m, mi) => {
    if (m.role !== 'user' || mi === last || typeof m.content === 'string') return;
    m.content.forEach((b, bi) => {
      if (edits.has(key(mi, bi))) return;
      let text: string | null = null;
      let toolUseId: string | undefined;
      if (b.type === 'tool_result') {
        text = resultText(b);
        toolUseId = typeof b.tool_use_id === 'string' ? b.tool_use_id : undefined;
      } else if (b.type === 'text' && typeof b.text === 'string') text = b.text;
      if (text === null || text.length < MIN_DUPLICATE_CHARS) return;
      const first = firstSeen.get(text);
      if (first === undefined) {
        firstSeen.set(text, toolUseId ? `the result of tool_use ${toolUseId}` : `message ${mi + 1}`);
        return;
      }
      stub(mi, bi, b, `[Sluice pruned this ${b.type === 'text' ? 'text' : 'output'}: identical to ${first} above.]`, 'duplicate', text, toolUseId);
    });
  });

  return [...edits.values()].sort((a, b) => a.message - b.message || a.block - b.block);
}

function applyEdits(req: AnthropicMessagesRequest, edits: readonly Edit[]): AnthropicMessagesRequest {
  const byMessage = new Map<number, Edit[]>();
  for (const e of edits) byMessage.set(e.message, [...(byMessage.get(e.message) ?? []), e]);
  const messages = req.messages.map((m, mi) => {
    const mine = byMessage.get(mi);
    if (!mine || typeof m.content === 'string') return m;
    const content = m.content.map((b, bi) => mine.find((e) => e.block === bi)?.replacement ?? b);
    return { ...m, content };
  });
  return { ...req, messages };
}

/** Position (in tokens) where two prompts first differ, counting no further than `limit`. */
function divergence(a: AnthropicMessagesRequest, b: AnthropicMessagesRequest, count: (t: string) => number, limit: number): number {
  let pos = 0;
  const head = (r: AnthropicMessagesRequest): string => blockKey([r.tools ?? null, r.system ?? null]);
  const ha = head(a);
  if (ha !== head(b)) return 0;
  pos += count(ha);
  const n = Math.max(a.messages.length, b.messages.length);
  for (let mi = 0; mi < n && pos < limit; mi++) {
    const ma = a.messages[mi];
    const mb = b.messages[mi];
    if (!ma || !mb || ma.role !== mb.role) return pos;
    const ba = blocksOf(ma);
    const bb = blocksOf(mb);
    for (let bi = 0; bi < Math.max(ba.length, bb.length); bi++) {
      const x = ba[bi];
      const y = bb[bi];
      if (!x || !y || (x !== y && blockKey(x) !== blockKey(y))) return pos;
      pos += count(blockText(x));
      if (pos >= limit) return pos;
    }
  }
  return pos;
}

/** Tokens of everything before the last message: what an agent that caches its last turn has cached. */
function tokensBeforeLastMessage(req: AnthropicMessagesRequest, count: (t: string) => number): number {
  let n = count(blockKey([req.tools ?? null, req.system ?? null]));
  for (const m of req.messages.slice(0, -1)) for (const b of blocksOf(m)) n += count(blockText(b));
  return n;
}

/**
 * Prunes a Messages request's history: file contents a later read or edit superseded become a
 * one-line stub, huge tool outputs are cut to head, tail and error lines, exact duplicates
 * point back to their first copy. Tool calls and results stay paired and in order; nothing
 * else is touched (untouched messages are the same objects). The last message is never
 * pruned. Cache-aware: returns the request unchanged unless the savings over the expected
 * next turns exceed the cost of re-writing the cached prefix the edits invalidate.
 */
export function pruneConversation(req: AnthropicMessagesRequest, opts: PruneOptions): PruneResult {
  const count = opts.countTokens ?? sharedCounter;
  const read = opts.cacheReadMultiplier ?? DEFAULTS.cacheReadMultiplier;
  const write = opts.cacheWriteMultiplier ?? DEFAULTS.cacheWriteMultiplier;
  const turns = opts.expectedFutureTurns ?? DEFAULTS.expectedFutureTurns;
  const keep = (reason: string): PruneResult => ({ request: req, report: { pruned: false, savedTokens: 0, reason, actions: [] } });

  const edits = planEdits(req, count, opts.hugeOutputTokens ?? DEFAULTS.hugeOutputTokens);
  if (edits.length === 0) return keep('nothing to prune');
  const actions = edits.map((e) => e.action);
  const saved = actions.reduce((n, a) => n + a.tokensBefore - a.tokensAfter, 0);
  if (saved <= 0) return keep('nothing to prune');
  const pruned = applyEdits(req, edits);

  const cached = opts.cachedPrefixTokens ?? tokensBeforeLastMessage(req, count);
  let originalCached = 0;
  let prunedCached = 0;
  if (cached > 0) {
    const sent = opts.previousRequest;
    originalCached = sent ? Math.min(cached, divergence(req, sent, count, cached)) : cached;
    prunedCached = Math.min(cached, divergence(pruned, sent ?? req, count, cached));
  }
  const e = pruningEconomics({ savedTokens: saved, originalCachedTokens: originalCached, prunedCachedTokens: prunedCached, readMultiplier: read, writeMultiplier: write, futureTurns: turns });
  const usd = (tokens: number): string => formatUsd(Math.round(tokens * opts.inputRatePerMTok));
  const what = `${actions.length} block${actions.length === 1 ? '' : 's'}, ${saved.toLocaleString('en-US')} tokens`;
  if (e.netTokens <= 0) {
    return keep(`kept as is: pruning ${what} would save ${usd(e.savingsTokens)} over ${turns} turns but re-caching the prefix costs ${usd(e.cacheLossTokens)}`);
  }
  return {
    request: pruned,
    report: {
      pruned: true,
      savedTokens: saved,
      reason: `pruned ${what}: saves ${usd(e.savingsTokens)} over ${turns} turns, re-caching costs ${usd(e.cacheLossTokens)}`,
      actions,
    },
  };
}
