import type { Logger } from '../core/log';

export interface AppPort {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
}

export interface Lifecycle {
  /** false: another Sluice is running; this one is quitting and must build nothing. */
  readonly primary: boolean;
  isQuitting(): boolean;
}

/** Cleanup gets this long before the app quits anyway: a stuck socket must not keep it alive. */
export const CLEANUP_TIMEOUT_MS = 5_000;

/**
 * One Sluice at a time (a second launch opens the first one's popover), alive with no window open
 * (it lives in the menu bar), and a quit that first closes the gateway and the ledger.
 */
export function startLifecycle(
  app: AppPort,
  o: {
    onSecondInstance(): void;
    cleanup(): Promise<void>;
    log: Logger;
    setTimeout(fn: () => void, ms: number): unknown;
  },
): Lifecycle {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { primary: false, isQuitting: () => true };
  }
  let quitting = false;
  let cleaned = false;
  let cleaning = false;
  app.on('second-instance', () => o.onSecondInstance());
  // Listening is enough: without a listener Electron quits when the last window closes.
  app.on('window-all-closed', () => {});
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (cleaned) return;
    event.preventDefault();
    if (cleaning) return;
    cleaning = true;
    const done = () => {
      if (cleaned) return;
      cleaned = true;
      app.quit();
    };
    o.setTimeout(() => {
      o.log.log('warn', 'cleanup took too long; quitting anyway');
      done();
    }, CLEANUP_TIMEOUT_MS);
    o.cleanup()
      .catch((e: unknown) => o.log.log('error', 'cleanup failed', { error: String(e) }))
      .finally(done);
  });
  return { primary: true, isQuitting: () => quitting };
}
