import { describe, expect, it } from 'vitest';
import { configFromEnv, normalizeOllamaHost } from '../../electron/core/config/config';
import { resolveDataDir } from '../../electron/core/config/paths';
import { redact, createLogger } from '../../electron/core/log';

describe('configuration from the environment', () => {
  it('takes the upstream from SLUICE_UPSTREAM_URL and never from ANTHROPIC_BASE_URL (agents point that at Sluice)', () => {
    expect(configFromEnv({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:4680' }).upstreamURL).toBe('https://api.anthropic.com');
    expect(configFromEnv({ SLUICE_UPSTREAM_URL: 'http://127.0.0.1:9999', ANTHROPIC_BASE_URL: 'http://x' }).upstreamURL).toBe('http://127.0.0.1:9999');
  });
  it('defaults to port 4680 on loopback and refuses a bad port', () => {
    expect(configFromEnv({})).toMatchObject({ port: 4680, bindHost: '127.0.0.1' });
    expect(() => configFromEnv({ SLUICE_PORT: 'eighty' })).toThrow(/SLUICE_PORT must be a port number/);
  });
  it('reads OLLAMA_HOST the way Ollama does', () => {
    expect(normalizeOllamaHost(undefined)).toBe('http://127.0.0.1:11434');
    expect(normalizeOllamaHost('0.0.0.0')).toBe('http://127.0.0.1:11434');
    expect(normalizeOllamaHost('myhost:8000')).toBe('http://myhost:8000');
    expect(normalizeOllamaHost('https://ollama.example')).toBe('https://ollama.example');
  });
  it('puts data in SLUICE_DATA_DIR or the platform app-data folder', () => {
    expect(resolveDataDir({ env: { SLUICE_DATA_DIR: '/tmp/x' }, platform: 'linux', homedir: '/home/u' })).toBe('/tmp/x');
    expect(resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/u' })).toBe('/Users/u/Library/Application Support/Sluice');
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: '/home/u' })).toBe('/home/u/.config/Sluice');
    expect(resolveDataDir({ env: { APPDATA: 'C:\\AppData' }, platform: 'win32', homedir: 'C:\\u' })).toContain('Sluice');
  });
});

describe('logs', () => {
  it('never carry a key, wherever it hides', () => {
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l));
    log.log('info', 'upstream said: invalid x-api-key sk-ant-api03-SECRETSECRET', {
      headers: { 'x-api-key': 'sk-ant-api03-SECRET', authorization: 'Bearer abc.def' },
      nested: [{ note: 'token sk-sluice-AbCdEf123 leaked?' }],
    });
    const text = lines.join('\n');
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('AbCdEf123');
    expect(text).not.toContain('abc.def');
    expect(redact('plain text')).toBe('plain text');
  });
});
