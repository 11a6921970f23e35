import type { MenuItemConstructorOptions } from 'electron';
import type { BudgetStatus } from '../../shared/contract';
import type { Platform, Rect } from './ports';
import { spendTitle, spendTooltip } from './spend-title';

export interface TrayPort<M> {
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: M | null): void;
  popUpContextMenu(menu?: M): void;
  getBounds(): Rect;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'right-click', listener: () => void): unknown;
}

export interface TrayActions {
  /** A click on the icon: open the popover, or close it if open. */
  toggle(): void;
  open(): void;
  dispatch(): void;
  pauseAll(): void;
  quit(): void;
}

/** The tray's context menu. The dispatch hotkey is shown beside its item, not registered by it. */
export function trayMenuTemplate(actions: TrayActions, dispatchHotkey: string | null): MenuItemConstructorOptions[] {
  return [
    { id: 'open', label: 'Open Sluice', click: () => actions.open() },
    {
      id: 'dispatch',
      label: 'Dispatch…',
      click: () => actions.dispatch(),
      ...(dispatchHotkey ? { accelerator: dispatchHotkey, registerAccelerator: false } : {}),
    },
    { type: 'separator' },
    { id: 'pause-all', label: 'Pause all agents', click: () => actions.pauseAll() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Sluice', click: () => actions.quit() },
  ];
}

/**
 * macOS and Windows: a click opens the popover and a right-click the menu (a context menu set on
 * the tray would take over the left click on macOS). Linux app indicators only show a menu, so
 * there the menu is attached and its first item opens the popover.
 */
export function attachesMenu(platform: Platform): boolean {
  return platform === 'linux';
}

/** The menu-bar item: icon, spend title, click and menu. */
export class TrayController<M> {
  private menu: M;

  constructor(
    private readonly tray: TrayPort<M>,
    private readonly buildMenu: (template: MenuItemConstructorOptions[]) => M,
    private readonly actions: TrayActions,
    private readonly platform: Platform,
  ) {
    this.menu = buildMenu(trayMenuTemplate(actions, null));
    tray.setToolTip('Sluice');
    if (attachesMenu(platform)) tray.setContextMenu(this.menu);
    tray.on('click', () => actions.toggle());
    tray.on('right-click', () => this.tray.popUpContextMenu(this.menu));
  }

  /** Rebuilds the menu so the Dispatch item shows the hotkey in force. */
  setHotkey(accelerator: string | null): void {
    this.menu = this.buildMenu(trayMenuTemplate(this.actions, accelerator));
    if (attachesMenu(this.platform)) this.tray.setContextMenu(this.menu);
  }

  showSpend(budget: BudgetStatus): void {
    // Titles beside the icon exist only in macOS's menu bar; elsewhere the tooltip carries it.
    if (this.platform === 'darwin') this.tray.setTitle(spendTitle(budget));
    this.tray.setToolTip(spendTooltip(budget));
  }

  bounds(): Rect {
    return this.tray.getBounds();
  }
}
