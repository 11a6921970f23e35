import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { createCore, type Core } from '../../electron/core/services';
import { startServer } from '../../electron/core/host/start';
import type { RunningHost } from '../../electron/core/host/server';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from '../fakes/anthropic';
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from '../fakes/ollama';
import type { Clock } from '../../electron/core/events';

export const UPSTREAM_KEY = 'sk-ant-api03-test-upstream-key-never-leak';

export interface Harness {
  core: Core;
  host: RunningHost;
  anthropic: FakeAnthropic;
  ollama: FakeOllama;
  dataDir: string;
  /** A gateway token for agent "alice". */
  token: string;
  client(token?: string): Anthropic;
  close(): Promise<void>;
}

/** A real core and host on an ephemeral port, with fake upstreams behind it. */
export async function startHarness(
  o: { anthropic?: FakeAnthropicOptions; ollama?: FakeOllamaOptions; clock?: Clock; env?: Record<string, string>; timeZone?: string } = {},
): Promise<Harness> {
  const anthropic = await startFakeAnthropic({ apiKeys: [UPSTREAM_KEY], ...(o.anthropic ?? {}) });
  const ollama = await startFakeOllama(o.ollama ?? {});
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-test-'));
  const env = { ANTHROPIC_API_KEY: UPSTREAM_KEY, ...(o.env ?? {}) };
  const core = createCore({
    config: { dataDir, port: 0, bindHost: '127.0.0.1', upstreamURL: anthropic.url, ollamaHost: ollama.url },
    env,
    clock: o.clock,
    defaultTimeZone: o.timeZone ?? 'UTC',
  });
  await core.localModels.refresh();
  const host = await startServer(core, { port: 0, watchOllama: false, batches: false });
  const { token } = core.agents.create('alice');
  return {
    core,
    host,
    anthropic,
    ollama,
    dataDir,
    token,
    client: (t = token) => new Anthropic({ apiKey: t, authToken: null, baseURL: host.url, maxRetries: 0 }),
    async close() {
      await host.close();
      core.close();
      await anthropic.close();
      await ollama.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Reservations still held for requests: plain reservation rows, plus requests admitted from the
 * gateway's budget lease and not yet settled (the lease row itself holds only unused headroom).
 */
export function reservationsLeft(core: Core): number {
  core.enforcer.flush();
  const rows = (core.db.prepare("SELECT COUNT(*) AS n FROM reservations WHERE id NOT LIKE 'lease-%'").get() as { n: number }).n;
  return rows + core.enforcer.leasedInFlight();
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, for what an SDK would never send (bad Host, bad bytes). */
/**
 * One request on its own connection. The body goes chunked unless `contentLength` is set: the
 * gateway serves the two framings on different paths (Node's server, or its lean one).
 */
export async function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; path?: string; contentLength?: boolean },
): Promise<RawResponse> {
  const http = await import('node:http');
  const u = new URL(opts.path ?? '/', url);
  const headers = { ...opts.headers };
  if (opts.contentLength && opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'POST', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
