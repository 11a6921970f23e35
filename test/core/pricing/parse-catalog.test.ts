import { describe, expect, it } from 'vitest';
import { parseCatalog, parsePriceOverrides, PriceCatalog, PriceListError } from '../../../electron/core/pricing/catalog';
import file from '../../../electron/core/pricing/catalog.json';

type Data = { models: Array<Record<string, unknown> & { rates: Record<string, unknown>; aliases: string[] }>; familyAliases: Record<string, string> } & Record<string, unknown>;

function broken(change: (d: Data) => void): unknown {
  const d = structuredClone(file) as unknown as Data;
  change(d);
  return d;
}

const first = (d: Data) => d.models[0] as Data['models'][number];
const second = (d: Data) => d.models[1] as Data['models'][number];

describe('validating the price list at load', () => {
  it('accepts the shipped list', () => {
    expect(() => parseCatalog(file)).not.toThrow();
  });

  it.each<[string, (d: Data) => void, RegExp]>([
    ['a negative rate', (d) => (first(d).rates.output = -1), /claude-fable-5-2.*rates\.output.*≥ 0/],
    ['a rate that is not a number', (d) => (first(d).rates.input = '8'), /rates\.input/],
    ['a missing rate', (d) => delete first(d).rates.cacheRead, /rates\.cacheRead/],
    ['an infinite rate', (d) => (first(d).rates.cacheWrite1h = Infinity), /rates\.cacheWrite1h/],
    ['NaN', (d) => (first(d).rates.cacheWrite5m = NaN), /rates\.cacheWrite5m/],
    ['a duplicate id', (d) => (second(d).id = first(d).id as string), /claude-fable-5-2.*id is used by two entries/],
    ['an alias naming another model', (d) => first(d).aliases.push('claude-opus-4-8'), /model "claude-opus-4-8".*"claude-opus-4-8" is already taken by "claude-fable-5-2"/],
    ['an alias shared by two models', (d) => { first(d).aliases.push('shared'); second(d).aliases.push('Shared'); }, /"Shared" is already taken by "claude-fable-5-2"/],
    ['a family alias to no model', (d) => (d.familyAliases.opus = 'claude-opus-9'), /familyAliases\.opus.*claude-opus-9/],
    ['a family alias that shadows a model name', (d) => (d.familyAliases['claude-opus-4-8'] = 'claude-opus-5-5'), /familyAliases\.claude-opus-4-8.*collides/],
    ['an unknown status', (d) => (first(d).status = 'beta'), /status/],
    ['a zero batch multiplier', (d) => (first(d).batchMultiplier = 0), /batchMultiplier/],
    ['a note on a rate that does not exist', (d) => (first(d).rateNotes = { cacheHit: 'x' }), /rateNotes\.cacheHit/],
    ['a long-context threshold of zero', (d) => (first(d).longContext = { abovePromptTokens: 0, rates: first(d).rates }), /abovePromptTokens/],
    ['an upper-case id', (d) => (first(d).id = 'Claude-X'), /lower-case/],
    ['a bad verification date', (d) => (d.verifiedAt = 'yesterday'), /verifiedAt/],
    ['no models', (d) => (d.models = []), /models/],
  ])('rejects %s with a message naming the place', (_what, change, message) => {
    const data = broken(change);
    expect(() => parseCatalog(data)).toThrow(PriceListError);
    expect(() => parseCatalog(data)).toThrow(message);
    expect(() => PriceCatalog.fromData(data)).toThrow(PriceListError);
  });
});

describe('validating user-supplied prices', () => {
  const ok = { model: 'my-model', rates: { input: 1, output: 2, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 } };

  it('accepts a complete price and fills in nothing it was not given', () => {
    expect(parsePriceOverrides([ok])).toEqual([ok]);
  });

  it('refuses a negative or missing rate, naming the model', () => {
    expect(() => parsePriceOverrides([{ ...ok, rates: { ...ok.rates, output: -2 } }])).toThrow(/override "my-model".*rates\.output/);
    expect(() => parsePriceOverrides([{ model: 'x', rates: { input: 1 } }])).toThrow(/override "x".*rates\.output/);
    expect(() => PriceCatalog.builtIn([{ ...ok, rates: { ...ok.rates, cacheRead: Number.NaN } }])).toThrow(PriceListError);
  });

  it('refuses something that is not a list', () => {
    expect(() => parsePriceOverrides({ model: 'x' })).toThrow(/must be an array/);
  });
});
