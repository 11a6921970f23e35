/**
 * The desktop app's composition root: the only module that touches Electron at runtime. It builds
 * the core once, starts the gateway for external agents, and hands the pieces below (each a plain,
 * tested module) the Electron objects they drive.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  dialog,
  globalShortcut,
  ipcMain,
  nativeImage,
  nativeTheme,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import { configFromEnv, type CoreConfig } from '../core/config/config';
import { createCore } from '../core/services';
import { startServer } from '../core/host/start';
import type { RunningHost } from '../core/host/server';
import { createCoreApi } from '../core/api/core-api';
import { startRunner } from '../core/runner/start';
import { deferredRunnerPort } from '../core/runner/port';
import type { Runner } from '../core/runner/runner';
import { pruningContext } from '../core/runner/pruning-context';
import { createLogger, type Logger } from '../core/log';
import type { BudgetStatus } from '../../shared/contract';
import { startLifecycle, type Lifecycle } from './lifecycle';
import { keychainSecretStore } from './keychain-secrets';
import { hardenContents, permissionAllowed, withContentSecurityPolicy } from './security';
import { Panel } from './panel';
import { placeSpotlight, placeUnderTray } from './placement';
import { dispatchWindowOptions, popoverWindowOptions } from './window-options';
import { isRendererUrl, rendererUrl } from './renderer-url';
import { shellPaths } from './paths';
import { TrayController } from './tray';
import { HotkeyController, DEFAULT_HOTKEY } from './hotkey';
import { createNotifier } from './notifier';
import { shellApi } from './shell-api';
import { createIpcGate, registerIpc } from './ipc';
import { routeCoreEvents } from './core-events';
import { throttle } from './throttle';

/** The tray title follows spend at most once a second, however fast requests settle. */
const TITLE_THROTTLE_MS = 1_000;

function openLog(dataDir: string): Logger {
  const dir = path.join(dataDir, 'logs');
  fs.mkdirSync(dir, { recursive: true });
  const file = fs.createWriteStream(path.join(dir, 'main.log'), { flags: 'a' });
  return createLogger((line) => {
    file.write(line + '\n');
    if (!app.isPackaged) process.stderr.write(line + '\n');
  });
}

interface Running {
  showPopover(): void;
  stop(): Promise<void>;
}

async function start(config: CoreConfig, lifecycle: Lifecycle, log: Logger): Promise<Running> {
  const platform = process.platform;
  // LSUIElement hides the Dock icon of packaged builds without a flash; this covers `npm start`.
  app.dock?.hide();
  const paths = shellPaths({ appPath: app.getAppPath(), resourcesPath: process.resourcesPath, isPackaged: app.isPackaged, platform });

  // ── security, for every page this app will ever show ─────────────────────────────────────
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionAllowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permissionAllowed(permission));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback(details.resourceType === 'mainFrame' && details.url.startsWith('file:') ? { responseHeaders: withContentSecurityPolicy(details.responseHeaders) } : {}),
  );
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, { openExternal: (url) => shell.openExternal(url), log }));

  // ── the core, once ───────────────────────────────────────────────────────────────────────
  const secrets = keychainSecretStore({ safeStorage, dir: config.dataDir, platform, log });
  const core = createCore({ config, env: process.env, secrets, log });
  const runnerPort = deferredRunnerPort();
  const coreApi = createCoreApi(core, { runner: runnerPort });

  // ── windows ──────────────────────────────────────────────────────────────────────────────
  const trayIcon = nativeImage.createFromPath(paths.trayIcon);
  if (trayIcon.isEmpty()) log.log('warn', 'tray icon missing', { path: paths.trayIcon });
  const tray = new Tray(trayIcon);
  const dark = nativeTheme.shouldUseDarkColors;
  const loadFailed = (error: unknown) => log.log('error', 'the renderer did not load (is dist/renderer built?)', { error: String(error) });
  const popover = new Panel({
    create: () => new BrowserWindow(popoverWindowOptions(paths.preload, dark)),
    url: (focus) => rendererUrl(paths.rendererIndex, 'popover', focus),
    place: (size) => placeUnderTray(screen, tray.getBounds(), size),
    now: Date.now,
    isQuitting: lifecycle.isQuitting,
    onLoadError: loadFailed,
  });
  const dispatch = new Panel({
    create: () => new BrowserWindow(dispatchWindowOptions(paths.preload, dark)),
    url: (focus) => rendererUrl(paths.rendererIndex, 'dispatch', focus),
    place: (size) => placeSpotlight(screen, size),
    now: Date.now,
    isQuitting: lifecycle.isQuitting,
    onLoadError: loadFailed,
  });
  const panels = [popover, dispatch];

  // ── notifications, hotkey, tray ──────────────────────────────────────────────────────────
  const notifier = createNotifier({
    create: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    open: (focus) => popover.show(focus),
    log,
  });
  const hotkey = new HotkeyController(globalShortcut, () => dispatch.toggle(), platform);
  const api = shellApi(coreApi, {
    hotkey,
    keychainProblem: () => secrets.problem(),
    chooseFolder: async () => {
      const r = await dialog.showOpenDialog({ title: 'Project folder for the task', properties: ['openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });
  const trayController = new TrayController(tray, (template) => Menu.buildFromTemplate(template), {
    toggle: () => popover.toggle(),
    open: () => popover.show(),
    dispatch: () => dispatch.show(),
    pauseAll: () => {
      void api.pauseAll().then((r) => {
        if (!r.ok) return notifier.message('Could not pause agents', r.error.message);
        notifier.message(`Paused ${r.value.paused} agent${r.value.paused === 1 ? '' : 's'}`, 'Resume them from the popover.');
      });
    },
    quit: () => app.quit(),
  }, platform);
  const useHotkey = (accelerator: string) => {
    const applied = hotkey.apply(accelerator);
    if (!applied.ok) notifier.message('Dispatch shortcut unavailable', applied.message);
    trayController.setHotkey(hotkey.current());
  };
  useHotkey(core.settings.get().hotkey || DEFAULT_HOTKEY);

  const showSpend = throttle((budget: BudgetStatus) => trayController.showSpend(budget), TITLE_THROTTLE_MS, { now: Date.now, setTimeout, clearTimeout });
  showSpend(core.enforcer.status());

  // ── IPC and events ───────────────────────────────────────────────────────────────────────
  const gate = createIpcGate(
    api,
    {
      isOurWebContents: (id) => panels.some((p) => p.window()?.webContents.id === id),
      isOurPage: (url) => isRendererUrl(url, paths.rendererIndex),
    },
    log,
  );
  const unregisterIpc = registerIpc(ipcMain, gate);
  const unrouteEvents = routeCoreEvents({
    subscribe: (listener) => core.events.subscribe(listener),
    pages: () => panels.flatMap((p) => p.window()?.webContents ?? []),
    showSpend,
    notify: (event) => notifier.onEvent(event),
    settingsChanged: (settings) => useHotkey(settings.hotkey),
  });

  // ── the gateway, for external agents ─────────────────────────────────────────────────────
  let host: RunningHost | null = null;
  let runner: Runner | null = null;
  try {
    host = await startServer(core);
    log.log('info', 'gateway listening', { url: host.url });
    // Our own agents go through the same gateway as everyone else's.
    runner = startRunner(core, { gatewayUrl: host.url, context: pruningContext(core.config.dataDir) });
    runnerPort.bind(runner);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    notifier.message('Gateway not started', `Port ${config.port} is in use (is \`sluice serve\` running?). Agents cannot reach this Sluice until it is free; quit the other one and restart.`);
  }

  popover.prepare();
  dispatch.prepare();

  return {
    showPopover: () => popover.show(),
    async stop() {
      unrouteEvents();
      showSpend.cancel();
      unregisterIpc();
      hotkey.dispose();
      await runner?.stop();
      await host?.close();
      core.close();
      tray.destroy();
    },
  };
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Sluice could not start', message);
  app.exit(1);
}

function main(): void {
  let config: CoreConfig;
  try {
    config = configFromEnv(process.env);
  } catch (e) {
    app.whenReady().then(() => fatal(e), () => app.exit(1));
    return;
  }
  app.setName('Sluice');
  // One data folder for the app and `sluice serve`: the ledger, the logs, the encrypted key.
  app.setPath('userData', config.dataDir);
  let running: Running | null = null;
  const log = openLog(config.dataDir);
  const lifecycle = startLifecycle(app, {
    onSecondInstance: () => running?.showPopover(),
    cleanup: async () => running?.stop(),
    log,
    setTimeout,
  });
  if (!lifecycle.primary) return;
  // Every renderer sandboxed, whatever a window's options say (must precede 'ready').
  app.enableSandbox();
  app
    .whenReady()
    .then(() => start(config, lifecycle, log))
    .then((r) => {
      running = r;
    })
    .catch(fatal);
}

main();
