import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeychainUnavailableError, keychainSecretStore, type SafeStoragePort } from '../../../electron/main/keychain-secrets';
import { silentLogger } from '../../../electron/core/log';

/** Stands in for the OS keychain: a per-"machine" key; the blob is useless without it. */
class FakeSafeStorage implements SafeStoragePort {
  available = true;
  backend = 'gnome_libsecret';
  constructor(private readonly machineKey = 0x5a) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    return Buffer.concat([Buffer.from('v11'), Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ this.machineKey))]);
  }
  decryptString(blob: Buffer): string {
    if (blob.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const text = Buffer.from(blob.subarray(3).map((b) => b ^ this.machineKey)).toString('utf8');
    if (!/^[\x20-\x7e]*$/.test(text)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return text;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
}

const KEY = 'sk-ant-api03-Zx9_secret-key-value-0123456789';
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-keychain-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function everyFileUnder(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('the API key in the keychain', () => {
  it('stores the key encrypted, never as plain text, and reads it back', () => {
    const safe = new FakeSafeStorage();
    keychainSecretStore({ safeStorage: safe, dir, platform: 'darwin', log: silentLogger }).setApiKey(KEY);
    const files = everyFileUnder(dir);
    expect(files.map((f) => path.relative(dir, f))).toEqual([path.join('secrets', 'anthropic-api-key.enc')]);
    for (const f of files) expect(fs.readFileSync(f).includes(Buffer.from(KEY))).toBe(false);
    // A fresh store (the next launch) decrypts it.
    expect(keychainSecretStore({ safeStorage: safe, dir, platform: 'darwin', log: silentLogger }).getApiKey()).toBe(KEY);
  });

  it('keeps the blob readable by the user only', () => {
    keychainSecretStore({ safeStorage: new FakeSafeStorage(), dir, platform: 'linux', log: silentLogger }).setApiKey(KEY);
    expect(fs.statSync(path.join(dir, 'secrets', 'anthropic-api-key.enc')).mode & 0o077).toBe(0);
  });

  it('refuses with a clear error, writing nothing, when encryption is unavailable', () => {
    const safe = new FakeSafeStorage();
    safe.available = false;
    const store = keychainSecretStore({ safeStorage: safe, dir, platform: 'darwin', log: silentLogger });
    expect(() => store.setApiKey(KEY)).toThrow(KeychainUnavailableError);
    expect(() => store.setApiKey(KEY)).toThrow(/keychain is not available.*ANTHROPIC_API_KEY/);
    expect(everyFileUnder(dir)).toEqual([]);
    expect(store.getApiKey()).toBeNull();
  });

  it("refuses Linux's basic_text fallback, which is plain text under a public key", () => {
    const safe = new FakeSafeStorage();
    safe.backend = 'basic_text';
    const store = keychainSecretStore({ safeStorage: safe, dir, platform: 'linux', log: silentLogger });
    expect(store.problem()).toMatch(/no secret service/);
    expect(() => store.setApiKey(KEY)).toThrow(/GNOME Keyring or KWallet/);
    expect(everyFileUnder(dir)).toEqual([]);
  });

  it('reads no key from a blob another machine encrypted', () => {
    keychainSecretStore({ safeStorage: new FakeSafeStorage(0x11), dir, platform: 'darwin', log: silentLogger }).setApiKey(KEY);
    expect(keychainSecretStore({ safeStorage: new FakeSafeStorage(0x5a), dir, platform: 'darwin', log: silentLogger }).getApiKey()).toBeNull();
  });

  it('removes the key', () => {
    const store = keychainSecretStore({ safeStorage: new FakeSafeStorage(), dir, platform: 'darwin', log: silentLogger });
    store.setApiKey(KEY);
    store.setApiKey(null);
    expect(store.getApiKey()).toBeNull();
    expect(everyFileUnder(dir)).toEqual([]);
  });

  it('has no key before one is stored', () => {
    expect(keychainSecretStore({ safeStorage: new FakeSafeStorage(), dir, platform: 'darwin', log: silentLogger }).getApiKey()).toBeNull();
  });
});
