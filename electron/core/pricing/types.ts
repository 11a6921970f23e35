import type { ModelPrice, TokenRates } from '../../../shared/pricing';

export type RateName = keyof TokenRates;

/** Why a rate departs from the caching rule (5m write 1.25×, 1h write 2×, read 0.1× input). */
export type RateNotes = Partial<Record<RateName, string>>;

export type ModelStatus = 'active' | 'legacy' | 'deprecated' | 'retired';

/** A long-context price tier: applies to the whole request once its prompt exceeds the threshold. */
export interface LongContextTier {
  abovePromptTokens: number;
  rates: TokenRates;
  rateNotes?: RateNotes;
}

/** One entry of catalog.json. Rates are USD per million tokens. */
export interface CatalogModel {
  id: string;
  displayName: string;
  family: string;
  /** Dated snapshot ids and other names the API accepts for this model. */
  aliases: string[];
  status: ModelStatus;
  rates: TokenRates;
  rateNotes?: RateNotes;
  longContext?: LongContextTier;
  batchMultiplier: number;
  contextWindow: number;
  maxOutput: number;
}

export interface CatalogFile {
  verifiedAt: string;
  sources: string[];
  notes: string[];
  models: CatalogModel[];
  /** Claude Code style short names (`opus`, `sonnet`, …) → model id. */
  familyAliases: Record<string, string>;
}

/** A user's price from settings: overrides a known model (by id or any of its names) or adds a new one. */
export interface PriceOverride {
  model: string;
  rates: TokenRates;
  longContext?: { abovePromptTokens: number; rates: TokenRates };
  /** Defaults to 0.5 (Message Batches: 50% off). */
  batchMultiplier?: number;
}

export interface PriceLookup {
  price: ModelPrice;
  /** False when the model is unknown and was priced as the most expensive known one. */
  known: boolean;
  /** The catalog id the name resolved to; for an unknown model, the name as asked (trimmed). */
  canonicalId: string;
  flag: 'ok' | 'unknown_model';
}
