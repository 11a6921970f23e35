import nodeFs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../core/secrets';
import type { Logger } from '../core/log';

/** The part of Electron's `safeStorage` the store uses. Usable only after the app is ready. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only; other platforms never call it. */
  getSelectedStorageBackend?(): string;
}

export type SecretFs = Pick<typeof nodeFs, 'readFileSync' | 'writeFileSync' | 'renameSync' | 'rmSync' | 'mkdirSync'>;

export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
}

/**
 * Why the keychain cannot hold the key, or null when it can. On Linux without a secret service,
 * Chromium falls back to `basic_text`, a fixed obfuscation key: for the API key that is plain
 * text in all but name, so it counts as unavailable.
 */
export function keychainProblem(safeStorage: SafeStoragePort, platform: NodeJS.Platform): string | null {
  const hint = 'Set ANTHROPIC_API_KEY in the environment Sluice starts in instead.';
  if (!safeStorage.isEncryptionAvailable()) {
    return `Sluice cannot store the API key: this system's keychain is not available. ${hint}`;
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return `Sluice cannot store the API key: no secret service (GNOME Keyring or KWallet) is running, so it would be saved with a fixed, public key. ${hint}`;
  }
  return null;
}

/**
 * The Anthropic API key encrypted with the OS keychain (Electron `safeStorage`), kept as a blob in
 * `<userData>/secrets/anthropic-api-key.enc`. Never written unencrypted; never in SQLite.
 */
export function keychainSecretStore(o: {
  safeStorage: SafeStoragePort;
  dir: string;
  platform: NodeJS.Platform;
  log: Logger;
  fs?: SecretFs;
}): SecretStore & { problem(): string | null } {
  const fs = o.fs ?? nodeFs;
  const file = path.join(o.dir, 'secrets', 'anthropic-api-key.enc');
  let cached: string | null | undefined;

  function read(): string | null {
    let blob: Buffer;
    try {
      blob = fs.readFileSync(file);
    } catch {
      return null;
    }
    const problem = keychainProblem(o.safeStorage, o.platform);
    if (problem) {
      o.log.log('warn', 'the stored API key cannot be decrypted now', { reason: problem });
      return null;
    }
    try {
      return o.safeStorage.decryptString(blob).trim() || null;
    } catch (e) {
      // A blob from another machine or user account: treat as absent, keep the file for diagnosis.
      o.log.log('warn', 'the stored API key could not be decrypted', { error: String(e) });
      return null;
    }
  }

  return {
    problem: () => keychainProblem(o.safeStorage, o.platform),
    getApiKey() {
      if (cached === undefined) cached = read();
      return cached;
    },
    setApiKey(key) {
      const value = key?.trim() || null;
      if (value === null) {
        fs.rmSync(file, { force: true });
        cached = null;
        return;
      }
      const problem = keychainProblem(o.safeStorage, o.platform);
      if (problem) throw new KeychainUnavailableError(problem);
      const blob = o.safeStorage.encryptString(value);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Write then rename: a crash mid-write must not leave half a blob where the key was.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, blob, { mode: 0o600 });
      fs.renameSync(tmp, file);
      cached = value;
    },
  };
}
