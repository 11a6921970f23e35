import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { TrayController, trayMenuTemplate, type TrayActions, type TrayPort } from '../../../electron/main/tray';
import { spendTitle, spendTooltip } from '../../../electron/main/spend-title';
import type { Platform, Rect } from '../../../electron/main/ports';
import { Emitter } from '../fakes';
import { budget } from '../rows';

interface FakeMenu {
  items: MenuItemConstructorOptions[];
}

class FakeTray extends Emitter implements TrayPort<FakeMenu> {
  title = '';
  tooltip = '';
  contextMenu: FakeMenu | null = null;
  poppedUp: FakeMenu[] = [];
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.contextMenu = menu;
  }
  popUpContextMenu(menu?: FakeMenu): void {
    if (menu) this.poppedUp.push(menu);
  }
  getBounds(): Rect {
    return { x: 1000, y: 0, width: 24, height: 24 };
  }
}

function setup(platform: Platform) {
  const done: string[] = [];
  const actions: TrayActions = {
    toggle: () => done.push('toggle'),
    open: () => done.push('open'),
    dispatch: () => done.push('dispatch'),
    pauseAll: () => done.push('pauseAll'),
    quit: () => done.push('quit'),
  };
  const tray = new FakeTray();
  const controller = new TrayController<FakeMenu>(tray, (items) => ({ items }), actions, platform);
  return { tray, controller, done };
}

function click(menu: FakeMenu | undefined | null, id: string): void {
  const item = menu?.items.find((i) => i.id === id);
  if (!item?.click) throw new Error(`no item ${id}`);
  item.click(...([] as unknown as Parameters<NonNullable<MenuItemConstructorOptions['click']>>));
}

describe('the menu-bar item', () => {
  it('offers Open, Dispatch…, Pause all agents and Quit', () => {
    const labels = trayMenuTemplate({ toggle() {}, open() {}, dispatch() {}, pauseAll() {}, quit() {} }, null).map((i) => i.label ?? `(${i.type})`);
    expect(labels).toEqual(['Open Sluice', 'Dispatch…', '(separator)', 'Pause all agents', '(separator)', 'Quit Sluice']);
  });

  it('wires each menu item to its action (macOS: the menu pops up on right-click)', () => {
    const { tray, done } = setup('darwin');
    expect(tray.contextMenu).toBeNull();
    tray.emitWith('right-click');
    const menu = tray.poppedUp[0];
    for (const id of ['open', 'dispatch', 'pause-all', 'quit']) click(menu, id);
    expect(done).toEqual(['open', 'dispatch', 'pauseAll', 'quit']);
  });

  it('toggles the popover on a click of the icon', () => {
    const { tray, done } = setup('darwin');
    tray.emitWith('click');
    expect(done).toEqual(['toggle']);
  });

  it('attaches the menu on Linux, where app indicators only show menus', () => {
    const { tray, done } = setup('linux');
    click(tray.contextMenu, 'open');
    expect(done).toEqual(['open']);
  });

  it('shows the dispatch hotkey beside Dispatch…, without registering it a second time', () => {
    const { tray, controller } = setup('linux');
    controller.setHotkey('CommandOrControl+Shift+Space');
    const item = tray.contextMenu?.items.find((i) => i.id === 'dispatch');
    expect(item).toMatchObject({ accelerator: 'CommandOrControl+Shift+Space', registerAccelerator: false });
  });

  it("shows today's spend as the title on macOS and in the tooltip everywhere", () => {
    const mac = setup('darwin');
    mac.controller.showSpend(budget({ spentMicros: 3_420_000, limitMicros: 10_000_000, percent: 34.2 }));
    expect(mac.tray.title).toBe('$3.42');
    expect(mac.tray.tooltip).toBe('Sluice: $3.42 of $10.00 today (34%)');
    const linux = setup('linux');
    linux.controller.showSpend(budget({ spentMicros: 3_420_000 }));
    expect(linux.tray.title).toBe('');
    expect(linux.tray.tooltip).toContain('$3.42');
  });

  it('shows sub-cent spend rather than $0.00, and says when there is no budget', () => {
    expect(spendTitle(budget({ spentMicros: 4_200 }))).toBe('$0.0042');
    expect(spendTooltip(budget({ spentMicros: 1_000_000, limitMicros: null }))).toBe('Sluice: $1.00 spent today (no daily budget)');
  });
});
