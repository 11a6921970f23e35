import { describe, expect, it } from 'vitest';
import { standardRates, type TokenRates } from '../../../shared/pricing';
import { PriceCatalog, type CatalogModel, type RateName, type RateNotes } from '../../../electron/core/pricing/catalog';
import file from '../../../electron/core/pricing/catalog.json';

const catalog = PriceCatalog.builtIn();
const models = catalog.models();
const RATES: readonly RateName[] = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'];

/** Rates that depart from the caching rule (5m write 1.25×, 1h write 2×, read 0.1× input). */
function deviations(r: TokenRates): RateName[] {
  const rule = standardRates(r.input, r.output);
  return RATES.filter((k) => Math.abs(r[k] - rule[k]) > 1e-9);
}

function tiers(m: CatalogModel): Array<{ label: string; rates: TokenRates; notes: RateNotes | undefined }> {
  const base = { label: m.id, rates: m.rates, notes: m.rateNotes };
  return m.longContext ? [base, { label: `${m.id} (long context)`, rates: m.longContext.rates, notes: m.longContext.rateNotes }] : [base];
}

// Figures as printed on the public pricing and model pages (USD per million tokens).
const DOCUMENTED: Array<[id: string, input: number, output: number, write5m: number, write1h: number, read: number]> = [
  ['claude-fable-5-2', 8, 40, 10, 16, 0.2],
  ['claude-fable-5-1', 10, 50, 12.5, 20, 0.25],
  ['claude-mythos-5-1', 10, 50, 12.5, 20, 0.25],
  ['claude-fable-5', 10, 50, 12.5, 20, 1],
  ['claude-opus-5-5', 4, 20, 5, 8, 0.2],
  ['claude-opus-5', 5, 25, 6.25, 10, 0.5],
  ['claude-opus-4-8', 5, 25, 6.25, 10, 0.5],
  ['claude-opus-4-1', 15, 75, 18.75, 30, 1.5],
  ['claude-sonnet-5-5', 2, 10, 2.5, 4, 0.1],
  ['claude-sonnet-5', 2, 10, 2.5, 4, 0.2],
  ['claude-sonnet-4-6', 3, 15, 3.75, 6, 0.3],
  ['claude-haiku-5-5', 0.1, 0.5, 0.125, 0.2, 0.01],
  ['claude-haiku-4-5', 1, 5, 1.25, 2, 0.1],
  ['claude-3-5-haiku', 0.8, 4, 1, 1.6, 0.08],
  ['claude-3-haiku', 0.25, 1.25, 0.3, 0.5, 0.03],
];

describe('the built-in price list', () => {
  it('loads, validates and says when and where it was checked', () => {
    expect(file.verifiedAt).toBe('2026-11-28');
    expect(file.sources.length).toBeGreaterThan(0);
    for (const s of file.sources) expect(s).toMatch(/^https:\/\//);
    expect(models.length).toBe(file.models.length);
  });

  it.each(DOCUMENTED)('prices %s as the docs print it', (id, input, output, cacheWrite5m, cacheWrite1h, cacheRead) => {
    expect(models.find((m) => m.id === id)?.rates).toEqual({ input, output, cacheWrite5m, cacheWrite1h, cacheRead });
  });

  it('gives every model all five rates, with input and output above zero', () => {
    for (const m of models) {
      for (const t of tiers(m)) {
        for (const k of RATES) expect(Number.isFinite(t.rates[k]), `${t.label}.${k}`).toBe(true);
        expect(t.rates.input, t.label).toBeGreaterThan(0);
        expect(t.rates.output, t.label).toBeGreaterThan(t.rates.input);
        expect(t.rates.cacheRead, t.label).toBeGreaterThan(0);
      }
    }
  });

  it('follows the caching rule (5m write 1.25×, 1h write 2×, read 0.1× input) except where a note says why', () => {
    for (const m of models) {
      for (const t of tiers(m)) {
        const noted = Object.keys(t.notes ?? {}).sort();
        expect(noted, `${t.label}: rates off the rule must carry a note, and notes must name real deviations`).toEqual(deviations(t.rates).sort());
      }
    }
  });

  it('documents the known exceptions: 0.025× reads on Fable/Mythos 5.1+, 0.05× on Opus and Sonnet 5.5, Haiku 3’s own cache card', () => {
    const noted = models.filter((m) => m.rateNotes).map((m) => m.id).sort();
    expect(noted).toEqual(
      ['claude-3-haiku', 'claude-fable-5-1', 'claude-fable-5-2', 'claude-mythos-5-1', 'claude-mythos-5-2', 'claude-opus-5-5', 'claude-sonnet-5-5'],
    );
  });

  it('gives 50% off on the Message Batches API for every model', () => {
    for (const m of models) expect(m.batchMultiplier, m.id).toBe(0.5);
  });

  it('has long-context tiers only where the docs list one, and they never cost less than the base tier', () => {
    const withTier = models.filter((m) => m.longContext).map((m) => [m.id, m.longContext?.abovePromptTokens]);
    expect(withTier).toEqual([
      ['claude-sonnet-4-5', 200_000],
      ['claude-sonnet-4-0', 200_000],
      ['claude-haiku-5-5', 100_000],
    ]);
    for (const m of models) {
      if (!m.longContext) continue;
      for (const k of RATES) expect(m.longContext.rates[k], `${m.id}.${k}`).toBeGreaterThan(m.rates[k]);
    }
  });

  it('documents Sonnet 4.5’s long tier at $6 / $22.50 and Haiku 5.5’s at $0.50 / $2.50', () => {
    const rates = (id: string) => models.find((m) => m.id === id)?.longContext?.rates;
    expect(rates('claude-sonnet-4-5')).toMatchObject({ input: 6, output: 22.5 });
    expect(rates('claude-haiku-5-5')).toEqual({ input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheWrite1h: 1, cacheRead: 0.05 });
  });

  it('keeps ids lower-case and unique, and every alias resolves back to its own model', () => {
    const ids = models.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of models) {
      expect(m.id).toBe(m.id.toLowerCase());
      for (const a of m.aliases) expect(catalog.lookup(a).canonicalId, a).toBe(m.id);
    }
  });

  it('has sane limits: max output within the context window', () => {
    for (const m of models) {
      expect(m.maxOutput, m.id).toBeLessThanOrEqual(m.contextWindow);
      expect(m.contextWindow, m.id).toBeGreaterThanOrEqual(200_000);
    }
  });

  it('points opus, sonnet and haiku at the active model of that family', () => {
    for (const fam of ['opus', 'sonnet', 'haiku']) {
      const target = models.find((m) => m.id === file.familyAliases[fam as keyof typeof file.familyAliases]);
      expect(target?.family, fam).toBe(fam);
      expect(target?.status, fam).toBe('active');
    }
  });
});
