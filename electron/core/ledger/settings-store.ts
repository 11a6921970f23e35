import { dataVersion, type Db } from './db';
import { applySettingsPatch, defaultSettings, type StoredSettings } from '../../../shared/settings';
import type { SettingsPatch } from '../../../shared/contract';
import { parsePriceOverrides, type PriceOverride } from '../pricing/catalog';

const KEY = 'settings';
const PRICE_KEY = 'price_overrides';

/**
 * Settings live in the ledger as one JSON row. Reads are cached and invalidated by SQLite's
 * `data_version`, so a change made by another process (`sluice budget set` while `sluice serve`
 * runs) is seen on the next read without polling.
 */
export class SettingsStore {
  private cached: StoredSettings | null = null;
  private cachedVersion = -1;
  /** The row the cached settings were read from (null: none, defaults). */
  private cachedText: string | null = null;
  private readonly readRow;
  private readonly writeRow;
  private overrides: { version: number; text: string | null; value: PriceOverride[] } | null = null;

  constructor(
    private readonly db: Db,
    private readonly defaultTimeZone: string,
  ) {
    this.readRow = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.writeRow = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  private version(): number {
    return dataVersion(this.db);
  }

  get(): StoredSettings {
    const version = this.version();
    if (this.cached && version === this.cachedVersion) return this.cached;
    const row = this.readRow.get(KEY);
    // Another process committed (a request settled, a task moved): unchanged settings keep their object.
    // Budget leases are tied to it, and a new object at each such commit ended every lease.
    if (this.cached && (row?.value ?? null) === this.cachedText) {
      this.cachedVersion = version;
      return this.cached;
    }
    const defaults = defaultSettings(this.defaultTimeZone);
    let value = defaults;
    if (row) {
      const stored = JSON.parse(row.value) as Partial<StoredSettings>;
      value = { ...defaults, ...stored, routing: { ...defaults.routing, ...(stored.routing ?? {}) } };
    }
    this.cached = value;
    this.cachedText = row?.value ?? null;
    this.cachedVersion = version;
    return value;
  }

  update(patch: SettingsPatch): { ok: true; value: StoredSettings } | { ok: false; message: string } {
    const next = applySettingsPatch(this.get(), patch);
    if (!next.ok) return next;
    const text = JSON.stringify(next.value);
    this.writeRow.run(KEY, text);
    this.cached = next.value;
    this.cachedText = text;
    this.cachedVersion = this.version();
    return next;
  }

  priceOverrides(): PriceOverride[] {
    const version = this.version();
    if (this.overrides?.version === version) return this.overrides.value;
    const row = this.readRow.get(PRICE_KEY);
    const text = row?.value ?? null;
    if (this.overrides && this.overrides.text === text) {
      this.overrides.version = version;
      return this.overrides.value;
    }
    const value = text ? (JSON.parse(text) as PriceOverride[]) : [];
    this.overrides = { version, text, value };
    return value;
  }

  /** Throws PriceListError (naming the entry and field) before anything is written. */
  setPriceOverrides(overrides: readonly PriceOverride[]): void {
    parsePriceOverrides(overrides);
    this.writeRow.run(PRICE_KEY, JSON.stringify(overrides));
    this.overrides = null;
  }

  /** A free-form value (JSON) under a key of its own, for state that is not a user setting. */
  getValue<T>(key: string): T | null {
    const row = this.readRow.get(key);
    return row ? (JSON.parse(row.value) as T) : null;
  }

  setValue(key: string, value: unknown): void {
    this.writeRow.run(key, JSON.stringify(value));
  }
}
