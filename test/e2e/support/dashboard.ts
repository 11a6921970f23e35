import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { chromium, type Browser } from 'playwright-core';
import { createCore, type Core } from '../../../electron/core/services';
import { startServer } from '../../../electron/core/host/start';
import type { RunningHost } from '../../../electron/core/host/server';
import { createUiHandler, type DashboardHandler } from '../../../electron/core/host/ui';
import { createCoreApi } from '../../../electron/core/api/core-api';
import type { RunnerPort } from '../../../electron/core/api/runner-port';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic';
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from '../../fakes/ollama';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const STATIC_DIR = path.join(ROOT, 'dist', 'renderer');
export const UPSTREAM_KEY = 'sk-ant-api03-e2e-upstream-key';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

/** The e2e tests run against the built renderer; build it once when it is missing. */
export async function ensureRendererBuilt(): Promise<void> {
  if (fs.existsSync(path.join(STATIC_DIR, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export interface Dashboard {
  core: Core;
  host: RunningHost;
  ui: DashboardHandler;
  anthropic: FakeAnthropic;
  ollama: FakeOllama;
  /** The link `sluice serve` prints (with the token). */
  dashboardUrl: string;
  dashboardToken: string;
  /** An Anthropic SDK client for a gateway agent. */
  agent(name: string): Anthropic;
  close(): Promise<void>;
}

/** A real core + host serving the built dashboard, with fake Anthropic and Ollama upstreams. */
export async function startDashboard(o: { ollama?: FakeOllamaOptions; runner?: (core: Core) => RunnerPort; staticDir?: string; timeZone?: string } = {}): Promise<Dashboard> {
  const anthropic = await startFakeAnthropic({ apiKeys: [UPSTREAM_KEY] });
  const ollama = await startFakeOllama(o.ollama ?? {});
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-'));
  const core = createCore({
    config: { dataDir, port: 0, bindHost: '127.0.0.1', upstreamURL: anthropic.url, ollamaHost: ollama.url },
    env: { ANTHROPIC_API_KEY: UPSTREAM_KEY },
    defaultTimeZone: o.timeZone ?? 'UTC',
  });
  await core.localModels.refresh();
  const dashboardToken = `dash-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const made: { ui?: DashboardHandler } = {};
  const host = await startServer(core, {
    port: 0,
    watchOllama: false,
    ui: (c, port) => {
      made.ui = createUiHandler({ api: createCoreApi(c, { runner: o.runner ? o.runner(c) : null }), subscribe: (l) => c.events.subscribe(l), staticDir: o.staticDir ?? STATIC_DIR, token: dashboardToken, port });
      return made.ui;
    },
  });
  const handler = made.ui;
  if (!handler) throw new Error('the host did not build the UI handler');
  const tokens = new Map<string, string>();
  return {
    core,
    host,
    ui: handler,
    anthropic,
    ollama,
    dashboardToken,
    dashboardUrl: handler.dashboardUrl(host.url),
    agent(name) {
      let t = tokens.get(name);
      if (!t) {
        t = core.agents.create(name).token;
        tokens.set(name, t);
      }
      return new Anthropic({ apiKey: t, authToken: null, baseURL: host.url, maxRetries: 0 });
    },
    async close() {
      handler.close();
      await host.close();
      core.close();
      await anthropic.close();
      await ollama.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
