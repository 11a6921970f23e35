import { describe, expect, it } from 'vitest';
import { CLEANUP_TIMEOUT_MS, startLifecycle, type AppPort } from '../../../electron/main/lifecycle';
import { silentLogger } from '../../../electron/core/log';
import { Emitter, ManualTimers } from '../fakes';

class FakeApp extends Emitter implements AppPort {
  quits = 0;
  constructor(private readonly lock: boolean) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  /** Like Electron: quitting emits before-quit, then will-quit, unless a listener prevents it. */
  quit(): void {
    this.quits++;
    this.emitWith('before-quit');
    let prevented = false;
    this.emitWith('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exited = true;
  }
  exited = false;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('app lifecycle', () => {
  it('a second launch quits at once and builds nothing', () => {
    const app = new FakeApp(false);
    let shown = 0;
    const life = startLifecycle(app, { onSecondInstance: () => shown++, cleanup: async () => {}, log: silentLogger, setTimeout: () => 0 });
    expect(life.primary).toBe(false);
    expect(app.quits).toBe(1);
    expect(app.count('second-instance')).toBe(0);
  });

  it('the running Sluice opens its popover when launched again', () => {
    const app = new FakeApp(true);
    let shown = 0;
    startLifecycle(app, { onSecondInstance: () => shown++, cleanup: async () => {}, log: silentLogger, setTimeout: () => 0 });
    app.emitWith('second-instance');
    expect(shown).toBe(1);
  });

  it('keeps running with every window closed (it lives in the menu bar)', () => {
    const app = new FakeApp(true);
    startLifecycle(app, { onSecondInstance: () => {}, cleanup: async () => {}, log: silentLogger, setTimeout: () => 0 });
    expect(app.count('window-all-closed')).toBe(1);
  });

  it('closes the gateway and ledger before quitting, once', async () => {
    const app = new FakeApp(true);
    const gate = deferred();
    let cleanups = 0;
    const life = startLifecycle(app, {
      onSecondInstance: () => {},
      cleanup: () => {
        cleanups++;
        return gate.promise;
      },
      log: silentLogger,
      setTimeout: () => 0,
    });
    app.quit();
    expect(life.isQuitting()).toBe(true);
    expect(app.exited).toBe(false);
    app.quit(); // impatient user: a second Quit while cleaning up
    gate.resolve();
    await flush();
    expect(cleanups).toBe(1);
    expect(app.exited).toBe(true);
  });

  it('quits anyway when cleanup hangs', () => {
    const app = new FakeApp(true);
    const timers = new ManualTimers();
    startLifecycle(app, { onSecondInstance: () => {}, cleanup: () => new Promise<void>(() => {}), log: silentLogger, setTimeout: (fn, ms) => timers.setTimeout(fn, ms) });
    app.quit();
    expect(app.exited).toBe(false);
    timers.advance(CLEANUP_TIMEOUT_MS);
    expect(app.exited).toBe(true);
  });

  it('quits even when cleanup fails', async () => {
    const app = new FakeApp(true);
    startLifecycle(app, { onSecondInstance: () => {}, cleanup: async () => Promise.reject(new Error('socket stuck')), log: silentLogger, setTimeout: () => 0 });
    app.quit();
    await flush();
    expect(app.exited).toBe(true);
  });
});
