import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { startHarness, reservationsLeft, rawRequest, type Harness } from '../../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const good = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });

/** Chunked bodies take Node's server; a Content-Length body from a known agent, the lean path. */
let framing: 'chunked' | 'content-length' = 'chunked';

function post(body: string | Buffer, headers: Record<string, string> = {}, path = '/v1/messages') {
  return rawRequest(h.host.url, {
    path,
    headers: { host: `127.0.0.1:${h.host.port}`, 'x-api-key': h.token, 'content-type': 'application/json', ...headers },
    body,
    contentLength: framing === 'content-length',
  });
}

function errorOf(body: string): { type: string; error: { type: string; message: string } } {
  return JSON.parse(body) as { type: string; error: { type: string; message: string } };
}

describe.each(['chunked', 'content-length'] as const)('bad input at the gateway, %s bodies', (f) => {
  beforeAll(() => {
    framing = f;
  });
  const cases: [string, () => ReturnType<typeof post>, number, string][] = [
    ['no token', () => post(good, { 'x-api-key': '' }), 401, 'authentication_error'],
    ['an unknown token', () => post(good, { 'x-api-key': 'sk-sluice-not-a-real-token' }), 401, 'authentication_error'],
    ['a foreign Host header (DNS rebinding)', () => post(good, { host: 'evil.example:4680' }), 403, 'permission_error'],
    ['malformed JSON', () => post('{"model": '), 400, 'invalid_request_error'],
    ['a wrong content type', () => post(good, { 'content-type': 'text/plain' }), 415, 'invalid_request_error'],
    ['invalid UTF-8', () => post(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, 'invalid_request_error'],
    ['a missing model', () => post(JSON.stringify({ max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })), 400, 'invalid_request_error'],
    ['a missing max_tokens', () => post(JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] })), 400, 'invalid_request_error'],
    ['empty messages', () => post(JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [] })), 400, 'invalid_request_error'],
    ['a missing role', () => post(JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ content: 'x' }] })), 400, 'invalid_request_error'],
    ['a JSON array body', () => post('[]'), 400, 'invalid_request_error'],
    ['an unknown path', () => post(good, {}, '/v1/completions'), 404, 'not_found_error'],
  ];
  for (const [name, send, status, type] of cases) {
    it(`answers ${name} with ${status} ${type}, and reserves nothing`, async () => {
      const before = h.anthropic.requests.length;
      const r = await send();
      expect(r.status).toBe(status);
      const e = errorOf(r.body);
      expect(e.type).toBe('error');
      expect(e.error.type).toBe(type);
      expect(e.error.message.length).toBeGreaterThan(10);
      expect(h.anthropic.requests.length).toBe(before);
      expect(reservationsLeft(h.core)).toBe(0);
    });
  }

  it('refuses a revoked agent with 401', async () => {
    const { token } = h.core.agents.create('temp');
    expect((await post(good, { 'x-api-key': token })).status).toBe(200);
    h.core.agents.revoke('temp');
    const r = await post(good, { 'x-api-key': token });
    expect(r.status).toBe(401);
    expect(errorOf(r.body).error.message).toContain('sluice agents add');
  });

  it('answers a body over the limit with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] });
    const r = await post(huge);
    expect(r.status).toBe(413);
    expect(errorOf(r.body).error.type).toBe('request_too_large');
    expect((await post(good)).status).toBe(200);
    expect(reservationsLeft(h.core)).toBe(0);
  });

});

describe('the gateway host', () => {
  it('answers HEAD / and the health route without a token', async () => {
    const head = await rawRequest(h.host.url, { method: 'HEAD', headers: { host: 'localhost' } });
    expect(head.status).toBe(200);
    const health = await rawRequest(h.host.url, { method: 'GET', path: '/health', headers: { host: 'localhost' } });
    expect(JSON.parse(health.body)).toMatchObject({ ok: true, service: 'sluice' });
  });

  it('binds to loopback only', () => {
    const addr = h.host.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  });
});

describe('slow clients', () => {
  it('drops a client that never finishes its headers, leaving nothing reserved', async () => {
    const { createCore } = await import('../../../electron/core/services');
    const { startHost } = await import('../../../electron/core/host/server');
    const { silentLogger } = await import('../../../electron/core/log');
    void createCore;
    const host = await startHost({ port: 0, gateway: async () => false, health: () => ({}), log: silentLogger, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    try {
      const closed = await new Promise<string>((resolve) => {
        const s = net.connect(host.port, '127.0.0.1', () => s.write('POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n'));
        let data = '';
        s.on('data', (d) => (data += d.toString()));
        s.on('close', () => resolve(data));
        setTimeout(() => resolve('still open'), 5000);
      });
      expect(closed).toMatch(/408|^$/);
    } finally {
      await host.close();
    }
  });
});

describe('a gateway with no Anthropic API key', () => {
  it('answers 500 with one plain sentence saying what to set, and reserves nothing', async () => {
    const keyless = await startHarness({ env: { ANTHROPIC_API_KEY: '' } });
    try {
      const r = await rawRequest(keyless.host.url, {
        path: '/v1/messages',
        headers: { host: `127.0.0.1:${keyless.host.port}`, 'x-api-key': keyless.token, 'content-type': 'application/json' },
        body: good,
      });
      expect(r.status).toBe(500);
      const e = errorOf(r.body);
      expect(e.error.type).toBe('api_error');
      expect(e.error.message).toMatch(/^Sluice has no Anthropic API key: set ANTHROPIC_API_KEY/);
      expect(keyless.anthropic.requests).toHaveLength(0);
      expect(reservationsLeft(keyless.core)).toBe(0);
    } finally {
      await keyless.close();
    }
  });
});
