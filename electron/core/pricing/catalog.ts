import raw from './catalog.json';
import type { ModelPrice, TokenRates } from '../../../shared/pricing';
import { nameCandidates } from './model-name';
import { parseCatalog, parsePriceOverrides } from './parse-catalog';
import type { CatalogFile, CatalogModel, PriceLookup, PriceOverride } from './types';

export type { CatalogFile, CatalogModel, LongContextTier, ModelStatus, PriceLookup, PriceOverride, RateName, RateNotes } from './types';
export { nameCandidates, normalizeModelName } from './model-name';
export { PriceListError, parseCatalog, parsePriceOverrides } from './parse-catalog';

const FREE: TokenRates = Object.freeze({ input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 });
const DEFAULT_BATCH_MULTIPLIER = 0.5;

let builtInFile: CatalogFile | undefined;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function priceOf(id: string, m: Pick<CatalogModel, 'rates' | 'longContext'> & { batchMultiplier?: number }): ModelPrice {
  return deepFreeze({
    id,
    rates: { ...m.rates },
    ...(m.longContext ? { longContext: { abovePromptTokens: m.longContext.abovePromptTokens, rates: { ...m.longContext.rates } } } : {}),
    batchMultiplier: m.batchMultiplier ?? DEFAULT_BATCH_MULTIPLIER,
  });
}

/** How dear a price is for the unknown-model fallback: input + output of its dearest tier. */
function weight(p: ModelPrice): [number, number] {
  const tiers = p.longContext ? [p.rates, p.longContext.rates] : [p.rates];
  const main = Math.max(...tiers.map((r) => r.input + r.output));
  const cache = Math.max(...tiers.map((r) => r.cacheWrite5m + r.cacheWrite1h + r.cacheRead));
  return [main, cache];
}

function dearer(a: ModelPrice, b: ModelPrice): ModelPrice {
  const [am, ac] = weight(a);
  const [bm, bc] = weight(b);
  return bm > am || (bm === am && bc > ac) ? b : a;
}

/**
 * The price list: the built-in catalog plus the user's overrides (which win). Lookups accept ids,
 * dated snapshots, aliases, `[1m]`-style suffixes, `-latest` and family names, in any case.
 * An unknown model is priced as the most expensive known model and flagged — never as $0.
 */
export class PriceCatalog {
  /** Lower-cased name → canonical id. */
  private readonly names = new Map<string, string>();
  /** Canonical id → effective price (override or built-in). */
  private readonly prices = new Map<string, ModelPrice>();
  private readonly effectiveModels: readonly CatalogModel[];
  private readonly worst: ModelPrice;

  private constructor(file: CatalogFile, overrides: readonly PriceOverride[]) {
    for (const m of file.models) {
      for (const name of [m.id, ...m.aliases]) this.names.set(name.toLowerCase(), m.id);
      this.prices.set(m.id, priceOf(m.id, m));
    }
    for (const [alias, id] of Object.entries(file.familyAliases)) this.names.set(alias.toLowerCase(), id);

    const overridden = new Set<string>();
    for (const o of parsePriceOverrides(overrides)) {
      const known = this.find(o.model);
      const id = known ?? nameCandidates(o.model)[0] ?? o.model;
      if (!known) this.names.set(id, id);
      this.prices.set(id, priceOf(id, o));
      overridden.add(id);
    }
    this.effectiveModels = deepFreeze(
      file.models.map((m) => {
        if (!overridden.has(m.id)) return m;
        const p = this.prices.get(m.id) as ModelPrice;
        // The docs' notes and tier no longer describe the user's price, so they are dropped with it.
        const { rateNotes: _notes, longContext: _lc, ...rest } = m;
        return { ...rest, rates: p.rates, ...(p.longContext ? { longContext: p.longContext } : {}), batchMultiplier: p.batchMultiplier };
      }),
    );
    this.worst = [...this.prices.values()].reduce(dearer);
  }

  /** Anthropic's public price list as of catalog.json's `verifiedAt`, with the user's prices on top. */
  static builtIn(overrides: readonly PriceOverride[] = []): PriceCatalog {
    builtInFile ??= deepFreeze(parseCatalog(raw));
    return new PriceCatalog(builtInFile, overrides);
  }

  /** A catalog from other data in catalog.json's shape (validated the same way). */
  static fromData(data: unknown, overrides: readonly PriceOverride[] = []): PriceCatalog {
    return new PriceCatalog(deepFreeze(parseCatalog(data)), overrides);
  }

  /** The catalog's models with overrides applied to their rates. Models added only by an override are not listed. */
  models(): readonly CatalogModel[] {
    return this.effectiveModels;
  }

  /** The price unknown models are charged at: the highest input + output rate over every tier. */
  mostExpensive(): ModelPrice {
    return this.worst;
  }

  /** The canonical id for a name, or the name (trimmed) when it is unknown. */
  resolveAlias(model: string): string {
    return this.find(model) ?? model.trim();
  }

  lookup(model: string, provider: 'anthropic' | 'ollama' = 'anthropic'): PriceLookup {
    // Local models cost no money; they are metered for tokens only.
    if (provider === 'ollama') return { price: { id: model.trim(), rates: FREE, batchMultiplier: 1 }, known: true, canonicalId: model.trim(), flag: 'ok' };
    // The catalog never changes once built; the gateway asks for the same few names on every request.
    let hit = this.looked.get(model);
    if (!hit) {
      hit = this.resolve(model);
      if (this.looked.size < 1024) this.looked.set(model, hit);
    }
    return hit;
  }

  private readonly looked = new Map<string, PriceLookup>();

  private resolve(model: string): PriceLookup {
    const id = this.find(model);
    const price = id === undefined ? undefined : this.prices.get(id);
    if (id !== undefined && price) return { price, known: true, canonicalId: id, flag: 'ok' };
    return { price: this.worst, known: false, canonicalId: model.trim(), flag: 'unknown_model' };
  }

  private find(model: string): string | undefined {
    for (const name of nameCandidates(model)) {
      const id = this.names.get(name);
      if (id !== undefined) return id;
    }
    return undefined;
  }
}
