import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawRequest } from '../support/harness';
import { startDashboard, type Dashboard } from './support/dashboard';
import { budget } from '../renderer/support/fixtures';

let d: Dashboard;
let staticDir: string;

beforeAll(async () => {
  // A stand-in build, so these tests do not depend on (or wait for) vite.
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ui-'));
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Sluice</title><div id="root"></div>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  d = await startDashboard({ staticDir });
});
afterAll(async () => {
  await d.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

const get = (p: string, headers: Record<string, string> = {}) => rawRequest(d.host.url, { method: 'GET', path: p, headers });

async function cookie(): Promise<string> {
  const r = await get(`/?token=${encodeURIComponent(d.dashboardToken)}`);
  const set = r.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0] ?? '';
}

function socket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${d.host.url.replace('http', 'ws')}/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (match(m)) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

describe('the dashboard host', () => {
  it('prints a dashboard link that carries the token', () => {
    expect(d.dashboardUrl).toBe(`${d.host.url}/?token=${encodeURIComponent(d.dashboardToken)}`);
  });

  it('turns the page away without the token, and with a wrong one', async () => {
    const none = await get('/');
    expect(none.status).toBe(401);
    expect(none.body).toContain('Open the dashboard from its link');
    expect((await get('/?token=guess')).status).toBe(401);
  });

  it('trades the token for an HttpOnly, SameSite=Strict cookie and redirects to a clean URL', async () => {
    const r = await get(`/?token=${encodeURIComponent(d.dashboardToken)}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const set = r.headers['set-cookie']?.[0] ?? '';
    expect(set).toMatch(/^sluice_ui_\d+=/);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    const page = await get('/', { cookie: await cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
  });

  it('sends a strict CSP: own scripts only, no inline, its own WebSocket', async () => {
    const page = await get('/', { cookie: await cookie() });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`connect-src 'self' ws://${new URL(d.host.url).host}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves hashed assets as immutable and never a file outside the build', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.headers['cache-control']).toContain('immutable');
    for (const p of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/assets/%00.js']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('"name": "sluice"');
    }
  });

  it('answers contract calls over the WebSocket, errors included, and pushes events', async () => {
    const ws = await socket({ cookie: await cookie(), origin: d.host.url });
    try {
      ws.send(JSON.stringify({ id: 1, call: 'getOverview' }));
      const overview = await nextMessage(ws, (m) => m.id === 1);
      expect(overview).toMatchObject({ id: 1, result: { ok: true, value: { budget: { timeZone: 'UTC' } } } });
      ws.send(JSON.stringify({ id: 2, call: 'dropTables' }));
      expect(await nextMessage(ws, (m) => m.id === 2)).toEqual({ id: 2, result: { ok: false, error: { code: 'bad_input', message: 'Unknown call "dropTables".' } } });
      ws.send(JSON.stringify({ id: 3, call: 'listRequests', input: { hour: 99 } }));
      expect(await nextMessage(ws, (m) => m.id === 3)).toMatchObject({ result: { ok: false, error: { code: 'bad_input' } } });
      const pushed = nextMessage(ws, (m) => 'event' in m);
      d.core.events.emit({ type: 'budget', budget: budget() });
      expect(await pushed).toMatchObject({ event: { type: 'budget', budget: { percent: 42 } } });
    } finally {
      ws.close();
    }
  });

  it('closes a socket that sends something other than a call', async () => {
    const ws = await socket({ cookie: await cookie(), origin: d.host.url });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('definitely not json');
    expect(await closed).toBe(1007);
  });

  it('refuses the WebSocket without the cookie or from another origin', async () => {
    await expect(socket({ origin: d.host.url })).rejects.toThrow('HTTP 403');
    await expect(socket({ cookie: await cookie(), origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(socket({ cookie: await cookie() })).rejects.toThrow('HTTP 403');
  });
});

describe('the dashboard host without a build', () => {
  it('says how to build the dashboard', async () => {
    const bare = await startDashboard({ staticDir: path.join(os.tmpdir(), 'sluice-no-such-build') });
    try {
      const r = await rawRequest(bare.host.url, { method: 'GET', path: `/?token=${encodeURIComponent(bare.dashboardToken)}` });
      const c = (r.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      const page = await rawRequest(bare.host.url, { method: 'GET', path: '/', headers: { cookie: c } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('The dashboard is not built yet');
      expect(page.body).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });

  it('lets the host stop while a dashboard tab is still connected', async () => {
    const other = await startDashboard({ staticDir });
    const r = await rawRequest(other.host.url, { method: 'GET', path: `/?token=${encodeURIComponent(other.dashboardToken)}` });
    const c = (r.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const ws = new WebSocket(`${other.host.url.replace('http', 'ws')}/ws`, { headers: { cookie: c, origin: other.host.url } });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await other.close();
    await closed;
  });
});
