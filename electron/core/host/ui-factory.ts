import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../cli/io';
import type { Core } from '../services';
import type { UiHandler } from './server';
import { createUiHandler, type DashboardHandler } from './ui';
import { createCoreApi } from '../api/core-api';
import type { RunnerPort } from '../api/runner-port';

/** What `startServer` takes as `ui`, plus what `sluice serve` needs to print and to stop. */
export type DashboardFactory = ((core: Core, port: () => number) => UiHandler | null) & {
  /** The link to print once: the base URL with the token; null before the host started. */
  dashboardUrl(baseUrl: string): string | null;
  /** Closes open dashboard sockets so the host can stop while a tab is still open. */
  close(): void;
};

export interface UiFactoryOptions {
  /** The built renderer; default `dist/renderer` in the repository. */
  staticDir?: string;
  runner?: RunnerPort | null;
  /** The dashboard token; default 32 random bytes. */
  token?: string;
}

/** The web dashboard for `sluice serve` (static renderer + the contract over WebSocket). */
export function uiFactory(io: CliIo, o: UiFactoryOptions = {}): DashboardFactory {
  const token = o.token ?? crypto.randomBytes(32).toString('base64url');
  const staticDir = o.staticDir ?? io.env.SLUICE_UI_DIR ?? fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
  let handler: DashboardHandler | null = null;
  const create = (core: Core, port: () => number): UiHandler => {
    handler = createUiHandler({
      api: createCoreApi(core, { runner: o.runner ?? null }),
      subscribe: (l) => core.events.subscribe(l),
      staticDir,
      token,
      port,
      log: core.log,
    });
    return handler;
  };
  return Object.assign(create, {
    dashboardUrl: (baseUrl: string) => handler?.dashboardUrl(baseUrl) ?? null,
    close: () => handler?.close(),
  });
}
