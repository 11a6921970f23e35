import { describe, expect, it } from 'vitest';
import { costOf } from '../../../shared/pricing';
import type { Usage } from '../../../shared/usage';
import { nameCandidates, PriceCatalog, type PriceOverride } from '../../../electron/core/pricing/catalog';
import file from '../../../electron/core/pricing/catalog.json';

const catalog = PriceCatalog.builtIn();
const usage = (u: Partial<Usage>): Usage => ({ inputTokens: 0, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, ...u });
const rates = (input: number, output: number) => ({ input, output, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2, cacheRead: input / 10 });

describe('looking up a model’s price', () => {
  it.each([
    ['claude-opus-4-8', 'claude-opus-4-8'],
    ['CLAUDE-Opus-4-8', 'claude-opus-4-8'],
    ['  claude-opus-4-8 ', 'claude-opus-4-8'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-opus-4-8[1m]', 'claude-opus-4-8'],
    ['claude-sonnet-5-5[1M]', 'claude-sonnet-5-5'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4-0'],
    ['claude-opus-4-20250514', 'claude-opus-4-0'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku'],
    ['claude-haiku-4-5@20251001', 'claude-haiku-4-5'],
    ['anthropic/claude-opus-5-5', 'claude-opus-5-5'],
  ])('resolves %s to %s', (asked, id) => {
    const hit = catalog.lookup(asked);
    expect(hit).toMatchObject({ canonicalId: id, known: true, flag: 'ok' });
    expect(hit.price.id).toBe(id);
    expect(catalog.resolveAlias(asked)).toBe(id);
  });

  it('prices a new dated snapshot of a known model as that model', () => {
    expect(catalog.lookup('claude-opus-4-8-20260528')).toMatchObject({ canonicalId: 'claude-opus-4-8', flag: 'ok' });
  });

  it('resolves Claude Code’s family names, with or without the [1m] marker, to the catalog’s choice', () => {
    for (const [alias, id] of Object.entries(file.familyAliases)) {
      expect(catalog.lookup(alias).canonicalId, alias).toBe(id);
      expect(catalog.lookup(`${alias.toUpperCase()}[1m]`).canonicalId, alias).toBe(id);
    }
  });

  it('returns the catalog’s rates for the model', () => {
    const m = catalog.models().find((x) => x.id === 'claude-haiku-5-5');
    expect(catalog.lookup('claude-haiku-5-5').price).toEqual({ id: 'claude-haiku-5-5', rates: m?.rates, longContext: { abovePromptTokens: 100_000, rates: m?.longContext?.rates }, batchMultiplier: 0.5 });
  });

  it('prices an unknown model as the most expensive known model and flags it — never $0', () => {
    const hit = catalog.lookup('claude-opus-9-9');
    expect(hit).toMatchObject({ known: false, flag: 'unknown_model', canonicalId: 'claude-opus-9-9' });
    expect(hit.price).toEqual(catalog.mostExpensive());
    expect(costOf(usage({ inputTokens: 1 }), hit.price)).toBeGreaterThan(0);
    expect(costOf(usage({ outputTokens: 1 }), hit.price)).toBeGreaterThan(0);
  });

  it('never charges an unknown model less than any known one, short prompt or long', () => {
    const worst = catalog.mostExpensive();
    for (const u of [usage({ inputTokens: 1_000, outputTokens: 1_000 }), usage({ inputTokens: 300_000, outputTokens: 10_000 })]) {
      for (const m of catalog.models()) expect(costOf(u, worst), m.id).toBeGreaterThanOrEqual(costOf(u, catalog.lookup(m.id).price));
    }
  });

  it('treats an empty or garbage name as unknown, not as free', () => {
    for (const name of ['', '   ', '[1m]', 'gpt-4o']) {
      const hit = catalog.lookup(name);
      expect(hit.flag, JSON.stringify(name)).toBe('unknown_model');
      expect(costOf(usage({ inputTokens: 1_000 }), hit.price)).toBeGreaterThan(0);
    }
  });

  it('prices every local (Ollama) model at $0, known and unflagged, whatever its name', () => {
    for (const name of ['qwen3-coder:30b', 'claude-opus-4-8']) {
      const hit = catalog.lookup(name, 'ollama');
      expect(hit).toMatchObject({ known: true, flag: 'ok', canonicalId: name });
      expect(costOf(usage({ inputTokens: 50_000, outputTokens: 5_000, cacheReadTokens: 9_000 }), hit.price)).toBe(0);
    }
  });
});

describe('user prices from settings', () => {
  const cheapOpus: PriceOverride = { model: 'claude-opus-4-8', rates: rates(1, 2) };

  it('win over the built-in table, under every name of the model', () => {
    const c = PriceCatalog.builtIn([cheapOpus]);
    for (const name of ['claude-opus-4-8', 'CLAUDE-OPUS-4-8[1m]', 'claude-opus-4-8-20260528']) {
      expect(c.lookup(name)).toMatchObject({ canonicalId: 'claude-opus-4-8', known: true, flag: 'ok' });
      expect(c.lookup(name).price.rates).toEqual(cheapOpus.rates);
    }
    expect(c.models().find((m) => m.id === 'claude-opus-4-8')?.rates).toEqual(cheapOpus.rates);
    expect(PriceCatalog.builtIn().lookup('claude-opus-4-8').price.rates.input).toBe(5);
  });

  it('can be set through an alias or family name and apply to the model behind it', () => {
    const c = PriceCatalog.builtIn([{ model: 'sonnet', rates: rates(0.5, 1) }]);
    expect(c.lookup(file.familyAliases.sonnet).price.rates.input).toBe(0.5);
  });

  it('add a model the catalog does not know, with 50% batch pricing unless told otherwise', () => {
    const c = PriceCatalog.builtIn([{ model: 'Acme-Coder-1', rates: rates(2, 8) }]);
    const hit = c.lookup('acme-coder-1[1m]');
    expect(hit).toMatchObject({ canonicalId: 'acme-coder-1', known: true, flag: 'ok' });
    expect(hit.price).toMatchObject({ id: 'acme-coder-1', batchMultiplier: 0.5, rates: rates(2, 8) });
  });

  it('raise the unknown-model price when the user adds a dearer model', () => {
    const dear: PriceOverride = { model: 'acme-max', rates: rates(100, 500), batchMultiplier: 1 };
    const c = PriceCatalog.builtIn([dear]);
    expect(c.mostExpensive().id).toBe('acme-max');
    expect(c.lookup('who-knows').price.rates.output).toBe(500);
  });

  it('count a model’s long-context tier when choosing the unknown-model price', () => {
    const sneaky: PriceOverride = { model: 'acme-long', rates: rates(1, 2), longContext: { abovePromptTokens: 1_000, rates: rates(200, 800) } };
    const c = PriceCatalog.builtIn([sneaky]);
    expect(c.mostExpensive().id).toBe('acme-long');
    const longPrompt = usage({ inputTokens: 5_000, outputTokens: 100 });
    expect(costOf(longPrompt, c.lookup('who-knows').price)).toBe(5_000 * 200 + 100 * 800);
  });

  it('drop the built-in long-context tier when the user sets a flat price', () => {
    const c = PriceCatalog.builtIn([{ model: 'claude-haiku-5-5', rates: rates(1, 1) }]);
    expect(c.lookup('claude-haiku-5-5').price.longContext).toBeUndefined();
  });
});

describe('model-name normalisation', () => {
  it('tries the name as sent, then without -latest, then without a date', () => {
    expect(nameCandidates(' Claude-3-7-Sonnet-20250219[1m] ')).toEqual(['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet']);
    expect(nameCandidates('claude-3-5-haiku-latest')).toEqual(['claude-3-5-haiku-latest', 'claude-3-5-haiku']);
    expect(nameCandidates('claude-opus-4-8')).toEqual(['claude-opus-4-8']);
  });
});
