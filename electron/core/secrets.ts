import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the real Anthropic API key is kept. Never in SQLite, never sent to the renderer.
 * Electron's main process supplies a keychain-backed store (safeStorage); the headless host uses
 * a file readable by the user only.
 */
export interface SecretStore {
  getApiKey(): string | null;
  setApiKey(key: string | null): void;
}

export function fileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, 'secrets', 'anthropic-api-key');
  let cached: string | null | undefined;
  return {
    getApiKey() {
      if (cached !== undefined) return cached;
      try {
        cached = fs.readFileSync(file, 'utf8').trim() || null;
      } catch {
        cached = null;
      }
      return cached;
    },
    setApiKey(key) {
      if (key === null) {
        fs.rmSync(file, { force: true });
      } else {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        fs.writeFileSync(file, key.trim(), { mode: 0o600 });
      }
      cached = key === null ? null : key.trim();
    },
  };
}

/** The key Sluice uses: ANTHROPIC_API_KEY in Sluice's environment wins over the stored one. */
export function apiKeyResolver(env: Readonly<Record<string, string | undefined>>, store: SecretStore): () => string | null {
  return () => {
    const fromEnv = env.ANTHROPIC_API_KEY?.trim();
    return fromEnv ? fromEnv : store.getApiKey();
  };
}
