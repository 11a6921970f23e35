import type { TokenRates } from '../../../shared/pricing';
import type { CatalogFile, CatalogModel, LongContextTier, ModelStatus, PriceOverride, RateName, RateNotes } from './types';

/** The price list (built-in or a user's override) is malformed. The message names the entry and the field. */
export class PriceListError extends Error {
  override readonly name = 'PriceListError';
}

const RATE_NAMES: readonly RateName[] = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'];
const STATUSES: readonly ModelStatus[] = ['active', 'legacy', 'deprecated', 'retired'];

type Obj = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw new PriceListError(`Price list: ${where}: ${what}`);
}

function obj(v: unknown, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'must be an object');
  return v as Obj;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(where, `must be a non-empty string (got ${JSON.stringify(v)})`);
  return v;
}

function strings(v: unknown, where: string): string[] {
  if (!Array.isArray(v)) fail(where, 'must be an array of strings');
  return v.map((s, i) => str(s, `${where}[${i}]`));
}

function positiveInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(where, `must be a whole number > 0 (got ${JSON.stringify(v)})`);
  return v;
}

function rate(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, `must be a finite number ≥ 0 in $/MTok (got ${JSON.stringify(v)})`);
  return v;
}

function rates(v: unknown, where: string): TokenRates {
  const o = obj(v, where);
  const out = {} as TokenRates;
  for (const k of RATE_NAMES) out[k] = rate(o[k], `${where}.${k}`);
  return out;
}

function batch(v: unknown, where: string): number {
  // 0 would make batch requests free, which the ledger must never assume.
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1) fail(where, `must be a number in (0, 1] (got ${JSON.stringify(v)})`);
  return v;
}

function rateNotes(v: unknown, where: string): RateNotes | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, where);
  const out: RateNotes = {};
  for (const [k, note] of Object.entries(o)) {
    if (!(RATE_NAMES as readonly string[]).includes(k)) fail(`${where}.${k}`, `is not a rate (one of ${RATE_NAMES.join(', ')})`);
    out[k as RateName] = str(note, `${where}.${k}`);
  }
  return out;
}

function longContext(v: unknown, where: string): LongContextTier | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, where);
  const notes = rateNotes(o.rateNotes, `${where}.rateNotes`);
  return {
    abovePromptTokens: positiveInt(o.abovePromptTokens, `${where}.abovePromptTokens`),
    rates: rates(o.rates, `${where}.rates`),
    ...(notes ? { rateNotes: notes } : {}),
  };
}

function model(v: unknown, i: number): CatalogModel {
  const o = obj(v, `models[${i}]`);
  const id = str(o.id, `models[${i}].id`);
  const at = `model "${id}"`;
  if (id !== id.trim().toLowerCase()) fail(`${at}.id`, 'must be lower-case with no surrounding spaces');
  if (!STATUSES.includes(o.status as ModelStatus)) fail(`${at}.status`, `must be one of ${STATUSES.join(', ')} (got ${JSON.stringify(o.status)})`);
  const notes = rateNotes(o.rateNotes, `${at}.rateNotes`);
  const lc = longContext(o.longContext, `${at}.longContext`);
  return {
    id,
    displayName: str(o.displayName, `${at}.displayName`),
    family: str(o.family, `${at}.family`),
    aliases: strings(o.aliases, `${at}.aliases`),
    status: o.status as ModelStatus,
    rates: rates(o.rates, `${at}.rates`),
    ...(notes ? { rateNotes: notes } : {}),
    ...(lc ? { longContext: lc } : {}),
    batchMultiplier: batch(o.batchMultiplier, `${at}.batchMultiplier`),
    contextWindow: positiveInt(o.contextWindow, `${at}.contextWindow`),
    maxOutput: positiveInt(o.maxOutput, `${at}.maxOutput`),
  };
}

/** Every name (id or alias, lower-cased) must point at one model only. */
function checkNames(models: readonly CatalogModel[], familyAliases: Record<string, string>): void {
  const ids = new Set<string>();
  for (const m of models) {
    if (ids.has(m.id)) fail(`model "${m.id}"`, 'the id is used by two entries');
    ids.add(m.id);
  }
  const owner = new Map<string, string>();
  for (const m of models) {
    for (const name of [m.id, ...m.aliases]) {
      const key = name.trim().toLowerCase();
      const prior = owner.get(key);
      if (prior !== undefined) {
        fail(`model "${m.id}"`, prior === m.id ? `lists the name "${name}" twice` : `the name "${name}" is already taken by "${prior}"`);
      }
      owner.set(key, m.id);
    }
  }
  for (const [alias, target] of Object.entries(familyAliases)) {
    const key = alias.toLowerCase();
    if (owner.has(key)) fail(`familyAliases.${alias}`, `collides with a name of "${owner.get(key) ?? ''}"`);
    if (!models.some((m) => m.id === target)) fail(`familyAliases.${alias}`, `points at "${target}", which is not a model id in the list`);
  }
}

/** Checks the whole price list and returns it typed; throws PriceListError naming the first problem. */
export function parseCatalog(raw: unknown): CatalogFile {
  const o = obj(raw, 'catalog');
  const verifiedAt = str(o.verifiedAt, 'verifiedAt');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(verifiedAt)) fail('verifiedAt', `must be a YYYY-MM-DD date (got "${verifiedAt}")`);
  if (!Array.isArray(o.models) || o.models.length === 0) fail('models', 'must be a non-empty array');
  const models = o.models.map(model);
  const fam = obj(o.familyAliases, 'familyAliases');
  const familyAliases: Record<string, string> = {};
  for (const [k, v] of Object.entries(fam)) familyAliases[k] = str(v, `familyAliases.${k}`);
  checkNames(models, familyAliases);
  return { verifiedAt, sources: strings(o.sources, 'sources'), notes: strings(o.notes, 'notes'), models, familyAliases };
}

/** Checks user-supplied prices (from settings); throws PriceListError naming the bad entry. */
export function parsePriceOverrides(raw: unknown): PriceOverride[] {
  if (!Array.isArray(raw)) fail('price overrides', 'must be an array');
  return raw.map((v, i) => {
    const o = obj(v, `override[${i}]`);
    const name = str(o.model, `override[${i}].model`).trim();
    const at = `override "${name}"`;
    const lc = longContext(o.longContext, `${at}.longContext`);
    return {
      model: name,
      rates: rates(o.rates, `${at}.rates`),
      ...(lc ? { longContext: { abovePromptTokens: lc.abovePromptTokens, rates: lc.rates } } : {}),
      ...(o.batchMultiplier !== undefined ? { batchMultiplier: batch(o.batchMultiplier, `${at}.batchMultiplier`) } : {}),
    };
  });
}
