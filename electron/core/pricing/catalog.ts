import raw from './catalog.json';
import type { ModelPrice, TokenRates } from '../../../shared/pricing';

export interface CatalogModel {
  id: string;
  displayName: string;
  family: string;
  aliases: string[];
  status: 'active' | 'legacy' | 'deprecated' | 'retired';
  rates: TokenRates;
  longContext?: { abovePromptTokens: number; rates: TokenRates };
  batchMultiplier: number;
  contextWindow: number;
  maxOutput: number;
}

interface CatalogFile {
  verifiedAt: string;
  sources: string[];
  notes: string[];
  models: CatalogModel[];
  familyAliases: Record<string, string>;
}

/** A user's price for a model: overrides a known one or adds a new one. */
export interface PriceOverride {
  model: string;
  rates: TokenRates;
  longContext?: { abovePromptTokens: number; rates: TokenRates };
  batchMultiplier?: number;
}

export interface PriceLookup {
  price: ModelPrice;
  known: boolean;
  canonicalId: string;
  flag: 'ok' | 'unknown_model';
}

const FREE: TokenRates = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };

function checkRates(r: unknown, where: string): TokenRates {
  const o = r as Record<string, unknown> | null;
  for (const k of ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const) {
    const v = o?.[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`Price list: ${where}.${k} must be a number ≥ 0 (got ${String(v)}).`);
  }
  return o as unknown as TokenRates;
}

/** The model id without date suffixes, `[1m]` context markers or `-latest`, lower-cased. */
export function normalizeModelName(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/\[[^\]]*\]$/, '')
    .replace(/-latest$/, '')
    .replace(/-\d{8}$/, '')
    .replace(/@\d{8}$/, '')
    .replace(/^anthropic\//, '');
}

/**
 * The price list: built-in catalog + the user's overrides. An unknown model is priced as the most
 * expensive known model and flagged — money is never silently counted as $0.
 */
export class PriceCatalog {
  private readonly byName = new Map<string, CatalogModel>();
  private readonly overrides = new Map<string, PriceOverride>();
  private readonly worst: ModelPrice;

  private constructor(
    private readonly file: CatalogFile,
    overrides: readonly PriceOverride[],
  ) {
    for (const m of file.models) {
      checkRates(m.rates, m.id);
      if (m.longContext) checkRates(m.longContext.rates, `${m.id}.longContext`);
      for (const name of [m.id, ...m.aliases]) {
        const key = normalizeModelName(name);
        const prior = this.byName.get(key);
        if (prior && prior.id !== m.id) throw new Error(`Price list: "${name}" names both ${prior.id} and ${m.id}.`);
        this.byName.set(key, m);
        this.byName.set(name.toLowerCase(), m);
      }
    }
    for (const o of overrides) {
      checkRates(o.rates, `override ${o.model}`);
      this.overrides.set(normalizeModelName(o.model), o);
    }
    const all = [...file.models.map((m) => this.toPrice(m)), ...[...this.overrides.values()].map((o) => this.fromOverride(o))];
    const weight = (p: ModelPrice) => {
      const r = p.longContext ? p.longContext.rates : p.rates;
      return Math.max(r.input, r.cacheWrite1h) + r.output;
    };
    this.worst = all.reduce((a, b) => (weight(b) > weight(a) ? b : a));
  }

  static builtIn(overrides: readonly PriceOverride[] = []): PriceCatalog {
    return new PriceCatalog(raw as CatalogFile, overrides);
  }

  models(): readonly CatalogModel[] {
    return this.file.models;
  }

  mostExpensive(): ModelPrice {
    return this.worst;
  }

  resolveAlias(model: string): string {
    const key = normalizeModelName(model);
    const fam = this.file.familyAliases[key];
    if (fam) return fam;
    return this.byName.get(model.toLowerCase())?.id ?? this.byName.get(key)?.id ?? model;
  }

  lookup(model: string, provider: 'anthropic' | 'ollama' = 'anthropic'): PriceLookup {
    if (provider === 'ollama') return { price: { id: model, rates: FREE, batchMultiplier: 1 }, known: true, canonicalId: model, flag: 'ok' };
    const key = normalizeModelName(model);
    const override = this.overrides.get(key) ?? this.overrides.get(normalizeModelName(this.resolveAlias(model)));
    if (override) return { price: this.fromOverride(override), known: true, canonicalId: override.model, flag: 'ok' };
    const id = this.resolveAlias(model);
    const m = this.byName.get(id.toLowerCase()) ?? this.byName.get(normalizeModelName(id));
    if (m) return { price: this.toPrice(m), known: true, canonicalId: m.id, flag: 'ok' };
    return { price: { ...this.worst, id: model }, known: false, canonicalId: model, flag: 'unknown_model' };
  }

  private toPrice(m: CatalogModel): ModelPrice {
    return { id: m.id, rates: m.rates, ...(m.longContext ? { longContext: m.longContext } : {}), batchMultiplier: m.batchMultiplier };
  }

  private fromOverride(o: PriceOverride): ModelPrice {
    return { id: o.model, rates: o.rates, ...(o.longContext ? { longContext: o.longContext } : {}), batchMultiplier: o.batchMultiplier ?? 0.5 };
  }
}
