import { describe, expect, it } from 'vitest';
import { Panel, REOPEN_GUARD_MS } from '../../../electron/main/panel';
import { rendererUrl } from '../../../electron/main/renderer-url';
import { FakeWindow, ManualTimers } from '../fakes';

function setup() {
  const timers = new ManualTimers();
  const created: FakeWindow[] = [];
  let quitting = false;
  const loadErrors: unknown[] = [];
  const panel = new Panel({
    create: () => {
      const w = new FakeWindow([400, 600]);
      created.push(w);
      return w;
    },
    url: (focus) => rendererUrl('/app/dist/renderer/index.html', 'popover', focus),
    place: (size) => ({ x: 1000 - size.width / 2, y: 25 }),
    now: () => timers.now(),
    isQuitting: () => quitting,
    onLoadError: (e) => loadErrors.push(e),
  });
  return { panel, created, timers, quit: () => (quitting = true), loadErrors };
}

describe('the popover window', () => {
  it('is created once, hidden, with the popover page loaded ahead of the first click', () => {
    const { panel, created } = setup();
    panel.prepare();
    panel.prepare();
    expect(created).toHaveLength(1);
    expect(created[0]!.visible).toBe(false);
    expect(created[0]!.loaded).toEqual(['file:///app/dist/renderer/index.html?view=popover']);
  });

  it('shows at the placed position and takes focus', () => {
    const { panel, created } = setup();
    panel.show();
    const win = created[0]!;
    expect(win.positions).toEqual([{ x: 800, y: 25 }]);
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(1);
  });

  it('hides when it loses focus', () => {
    const { panel, created } = setup();
    panel.show();
    created[0]!.blur();
    expect(created[0]!.visible).toBe(false);
    expect(panel.isVisible()).toBe(false);
  });

  it('treats the tray click that caused the blur as "close", not "open again"', () => {
    const { panel, created, timers } = setup();
    panel.show();
    created[0]!.blur();
    timers.advance(50);
    panel.toggle();
    expect(created[0]!.visible).toBe(false);
    timers.advance(REOPEN_GUARD_MS);
    panel.toggle();
    expect(created[0]!.visible).toBe(true);
  });

  it('toggles closed when open, and open when closed', () => {
    const { panel, created } = setup();
    panel.toggle();
    expect(created[0]!.visible).toBe(true);
    panel.toggle();
    expect(created[0]!.visible).toBe(false);
  });

  it('opens on the item a notification points at, by changing only the hash', () => {
    const { panel, created } = setup();
    panel.show({ kind: 'task', id: 't/42' });
    expect(created[0]!.loaded.at(-1)).toBe('file:///app/dist/renderer/index.html?view=popover#focus=task:t%2F42');
    panel.show({ kind: 'budget' });
    expect(created[0]!.loaded.at(-1)).toBe('file:///app/dist/renderer/index.html?view=popover#focus=budget');
  });

  it('hides instead of closing when the page calls window.close() (Esc), so it reopens instantly', () => {
    const { panel, created } = setup();
    panel.show();
    expect(created[0]!.requestClose()).toBe(false);
    expect(created[0]!.visible).toBe(false);
    panel.show();
    expect(created).toHaveLength(1);
  });

  it('really closes while the app quits, and a later show builds a new window', () => {
    const { panel, created, quit } = setup();
    panel.show();
    quit();
    expect(created[0]!.requestClose()).toBe(true);
    expect(panel.window()).toBeNull();
    panel.show();
    expect(created).toHaveLength(2);
  });

  it('reports a page that fails to load instead of throwing', async () => {
    const timers = new ManualTimers();
    const errors: unknown[] = [];
    const win = new FakeWindow();
    win.loadURL = async () => {
      throw new Error('ERR_FILE_NOT_FOUND');
    };
    const panel = new Panel({ create: () => win, url: () => 'file:///x', place: () => ({ x: 0, y: 0 }), now: () => timers.now(), isQuitting: () => false, onLoadError: (e) => errors.push(e) });
    panel.prepare();
    await Promise.resolve();
    await Promise.resolve();
    expect(String(errors[0])).toContain('ERR_FILE_NOT_FOUND');
  });
});
