// How the fake Anthropic API measures a prompt.
//
// Token rule (an estimate, not Claude's tokenizer): the prompt is cut into "units" in the order the
// docs give for the cache prefix — every tool definition, then every system block, then every
// content block of every message (a string `content` or `system` is one unit). A unit costs
// ceil(chars / 4) tokens, where chars is:
//   text block / string ............ the text
//   tool definition ................ name + description + JSON of input_schema (else the JSON of the tool)
//   tool_use ....................... name + JSON of input
//   tool_result .................... its string content, or the text of its text blocks
//   thinking / redacted_thinking ... the thinking text / the data
//   anything else (images, docs) ... the JSON of the block without cache_control
// input_tokens + cache_creation_input_tokens + cache_read_input_tokens == sum over units, always.
import { isRecord } from './http';

export type CacheTtl = '5m' | '1h';

export interface PromptUnit {
  /** Stable serialisation of the unit without its cache_control: what the cache prefix hashes. */
  key: string;
  tokens: number;
  /** Set when this unit carries cache_control (or receives the top-level automatic breakpoint). */
  breakpoint?: CacheTtl;
}

export class PromptError extends Error {}

/** The docs allow at most this many cache_control breakpoints per request. */
export const MAX_BREAKPOINTS = 4;

export function tokensForChars(chars: number): number {
  return Math.ceil(chars / 4);
}

function withoutCacheControl(block: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _ignored, ...rest } = block;
  return rest;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function blockChars(block: Record<string, unknown>): number {
  switch (block.type) {
    case 'text':
      return str(block.text).length;
    case 'tool_use':
    case 'server_tool_use':
      return str(block.name).length + JSON.stringify(block.input ?? {}).length;
    case 'tool_result': {
      const c = block.content;
      if (typeof c === 'string') return c.length;
      if (Array.isArray(c)) {
        return c.reduce<number>((n, inner) => n + (isRecord(inner) ? blockChars(inner) : 0), 0);
      }
      return 0;
    }
    case 'thinking':
      return str(block.thinking).length;
    case 'redacted_thinking':
      return str(block.data).length;
    default:
      return JSON.stringify(withoutCacheControl(block)).length;
  }
}

function toolChars(tool: Record<string, unknown>): number {
  if (tool.input_schema !== undefined) {
    return str(tool.name).length + str(tool.description).length + JSON.stringify(tool.input_schema).length;
  }
  return JSON.stringify(withoutCacheControl(tool)).length;
}

function ttlOf(cacheControl: unknown): CacheTtl | undefined {
  if (cacheControl === undefined || cacheControl === null) return undefined;
  if (!isRecord(cacheControl) || cacheControl.type !== 'ephemeral') {
    throw new PromptError('cache_control.type: Input should be \'ephemeral\'');
  }
  const ttl = cacheControl.ttl ?? '5m';
  if (ttl !== '5m' && ttl !== '1h') throw new PromptError("cache_control.ttl: Input should be '5m' or '1h'");
  return ttl;
}

function unit(scope: string, block: Record<string, unknown>, chars: number): PromptUnit {
  const u: PromptUnit = {
    key: `${scope}:${JSON.stringify(withoutCacheControl(block))}`,
    tokens: tokensForChars(chars),
  };
  const ttl = ttlOf(block.cache_control);
  if (ttl) u.breakpoint = ttl;
  return u;
}

/** Cuts a Messages API body into units, in cache-prefix order. Throws PromptError like a 400 would. */
export function promptUnits(body: Record<string, unknown>): PromptUnit[] {
  const units: PromptUnit[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) if (isRecord(tool)) units.push(unit('tool', tool, toolChars(tool)));
  }
  const system = body.system;
  if (typeof system === 'string') {
    if (system.length > 0) units.push(unit('system', { type: 'text', text: system }, system.length));
  } else if (Array.isArray(system)) {
    for (const b of system) if (isRecord(b)) units.push(unit('system', b, blockChars(b)));
  }
  if (Array.isArray(body.messages)) {
    body.messages.forEach((m, i) => {
      if (!isRecord(m)) return;
      const scope = `m${i}:${str(m.role)}`;
      if (typeof m.content === 'string') {
        units.push(unit(scope, { type: 'text', text: m.content }, m.content.length));
      } else if (Array.isArray(m.content)) {
        for (const b of m.content) if (isRecord(b)) units.push(unit(scope, b, blockChars(b)));
      }
    });
  }
  // Automatic caching: a top-level cache_control puts the breakpoint on the last cacheable block.
  const auto = ttlOf(body.cache_control);
  const last = units[units.length - 1];
  if (auto && last && !last.breakpoint) last.breakpoint = auto;

  const count = units.filter((u) => u.breakpoint).length;
  if (count > MAX_BREAKPOINTS) {
    throw new PromptError(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${count}.`);
  }
  return units;
}

export function promptTokens(units: PromptUnit[]): number {
  return units.reduce((n, u) => n + u.tokens, 0);
}

/**
 * Minimum cacheable prefix per model, from the prompt-caching docs (checked 2026-11): 4096 for
 * Opus 4.5/4.6 and Haiku 4.5; 2048 for Opus 4.7 and Haiku 3/3.5; 512 for the 5-generation
 * Opus/Mythos/Fable; 1024 otherwise (Sonnet 4.x/5, Opus 4/4.1/4.8). Below it nothing is cached.
 */
export function minCacheableTokens(model: string): number {
  const m = model.toLowerCase();
  if (/opus-4-[56]|haiku-4-5/.test(m)) return 4096;
  if (/opus-4-7|claude-3-(5-)?haiku|haiku-3/.test(m)) return 2048;
  if (/(opus|mythos|fable)-5/.test(m)) return 512;
  return 1024;
}
