import type { Micros } from './money';
import { promptTokens, type Usage } from './usage';

/** Dollars per million tokens, per kind of token. */
export interface TokenRates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** What one model costs. `longContext` applies to the whole request when its prompt exceeds the threshold. */
export interface ModelPrice {
  /** Canonical model id, e.g. "claude-opus-4-8". */
  id: string;
  rates: TokenRates;
  longContext?: { abovePromptTokens: number; rates: TokenRates };
  /** Multiplier on every rate for the Message Batches API (0.5 = 50% off). */
  batchMultiplier: number;
}

export interface CostOptions {
  batch?: boolean;
}

/**
 * Exact cost of one request in integer micro-dollars.
 *
 * Rates are $/MTok, so tokens × rate is already micro-dollars; we sum in units of 10⁻⁶ µ$
 * (integers up to ~10¹⁵, inside double precision) and round up once, so a sum of requests
 * is never under-counted by more than 1 µ$ per request.
 */
export function costOf(usage: Usage, price: ModelPrice, opts: CostOptions = {}): Micros {
  const rates =
    price.longContext && promptTokens(usage) > price.longContext.abovePromptTokens
      ? price.longContext.rates
      : price.rates;
  const pico =
    usage.inputTokens * toPico(rates.input) +
    usage.outputTokens * toPico(rates.output) +
    usage.cacheWrite5mTokens * toPico(rates.cacheWrite5m) +
    usage.cacheWrite1hTokens * toPico(rates.cacheWrite1h) +
    usage.cacheReadTokens * toPico(rates.cacheRead);
  const scaled = opts.batch ? pico * price.batchMultiplier : pico;
  return Math.ceil(Math.round(scaled) / 1_000_000);
}

/** $/MTok → 10⁻⁶ µ$ per token, as an integer (rates have at most 6 decimals). */
function toPico(ratePerMTok: number): number {
  return Math.round(ratePerMTok * 1_000_000);
}

/** Rates derived from an input and output price by Anthropic's caching rule: write 1.25× / 2×, read 0.1×. */
export function standardRates(input: number, output: number, cacheReadMultiplier = 0.1): TokenRates {
  return {
    input,
    output,
    cacheWrite5m: round6(input * 1.25),
    cacheWrite1h: round6(input * 2),
    cacheRead: round6(input * cacheReadMultiplier),
  };
}

function round6(x: number): number {
  return Math.round(x * 1_000_000) / 1_000_000;
}

/** The most a request can cost: every output token is spent and every prompt token is billed at its dearest kind. */
export function worstCaseCost(
  estimatedPromptTokens: number,
  maxOutputTokens: number,
  price: ModelPrice,
  opts: { cacheTtl?: '5m' | '1h' | null; batch?: boolean } = {},
): Micros {
  const pick = (r: TokenRates) => {
    const inputRate = opts.cacheTtl === '1h' ? Math.max(r.input, r.cacheWrite1h) : opts.cacheTtl === '5m' ? Math.max(r.input, r.cacheWrite5m) : r.input;
    return { ...r, input: inputRate };
  };
  const base = pick(price.rates);
  const rates = price.longContext ? maxRates(base, pick(price.longContext.rates)) : base;
  const usage: Usage = {
    inputTokens: estimatedPromptTokens,
    outputTokens: maxOutputTokens,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
  };
  return costOf(usage, { id: price.id, rates, batchMultiplier: price.batchMultiplier }, { batch: opts.batch });
}

function maxRates(a: TokenRates, b: TokenRates): TokenRates {
  return {
    input: Math.max(a.input, b.input),
    output: Math.max(a.output, b.output),
    cacheWrite5m: Math.max(a.cacheWrite5m, b.cacheWrite5m),
    cacheWrite1h: Math.max(a.cacheWrite1h, b.cacheWrite1h),
    cacheRead: Math.max(a.cacheRead, b.cacheRead),
  };
}
