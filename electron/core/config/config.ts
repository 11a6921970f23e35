import { resolveDataDir } from './paths';
import { DEFAULT_UPSTREAM_URL } from '../providers/anthropic/client';
import os from 'node:os';

export const DEFAULT_PORT = 4680;
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** Configuration from the environment (flags override it in the CLI; the ledger's settings come after). */
export interface CoreConfig {
  dataDir: string;
  port: number;
  bindHost: string;
  upstreamURL: string;
  ollamaHost: string;
}

export function configFromEnv(env: Readonly<Record<string, string | undefined>>): CoreConfig {
  const port = env.SLUICE_PORT ? Number(env.SLUICE_PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SLUICE_PORT must be a port number (0–65535), got "${env.SLUICE_PORT}".`);
  }
  return {
    dataDir: resolveDataDir({ env, platform: process.platform, homedir: os.homedir() }),
    port,
    bindHost: env.SLUICE_BIND?.trim() || '127.0.0.1',
    // Deliberately not ANTHROPIC_BASE_URL: agents set that to point at Sluice, and reading it would loop.
    upstreamURL: env.SLUICE_UPSTREAM_URL?.trim() || DEFAULT_UPSTREAM_URL,
    ollamaHost: normalizeOllamaHost(env.OLLAMA_HOST),
  };
}

/**
 * OLLAMA_HOST may be "0.0.0.0", "host:port" or a URL, as Ollama itself accepts: without a scheme the
 * port defaults to 11434; with one, to the scheme's port.
 */
export function normalizeOllamaHost(v: string | undefined): string {
  const raw = v?.trim();
  if (!raw) return DEFAULT_OLLAMA_HOST;
  const hasScheme = /^https?:\/\//.test(raw);
  const u = new URL(hasScheme ? raw : `http://${raw}`);
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1';
  if (!hasScheme && !u.port) u.port = '11434';
  return u.origin;
}
