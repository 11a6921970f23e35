import type { Size } from './geometry';
import type { Point, WindowPort } from './ports';
import type { Focus } from './renderer-url';

export interface PanelDeps {
  /** A new, hidden window (options from window-options.ts). */
  create(): WindowPort;
  /** The page to load, opened on `focus` when given. */
  url(focus: Focus | null): string;
  /** Where the window goes for its current size. */
  place(size: Size): Point;
  now(): number;
  /** True once the app is quitting: closing then really closes. */
  isQuitting(): boolean;
  onLoadError(error: unknown): void;
}

/**
 * A click on the tray icon blurs the open popover before the click arrives; within this window
 * the click means "close", not "open again" (menubar users reported the flicker).
 */
export const REOPEN_GUARD_MS = 300;

/**
 * A frameless panel (the popover, the dispatch window): created once and reused, shown where
 * `place` says, hidden when it loses focus, and hidden rather than destroyed when the page or the
 * user closes it (Esc calls `window.close()`), so it opens instantly next time.
 */
export class Panel {
  private win: WindowPort | null = null;
  private hiddenByBlurAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: PanelDeps) {}

  /** Creates and loads the window ahead of the first open. */
  prepare(): WindowPort {
    if (this.win && !this.win.isDestroyed()) return this.win;
    const win = this.deps.create();
    this.win = win;
    win.on('blur', () => {
      if (!win.isVisible()) return;
      this.hiddenByBlurAt = this.deps.now();
      win.hide();
    });
    win.on('close', (event) => {
      if (this.deps.isQuitting()) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      if (this.win === win) this.win = null;
    });
    win.loadURL(this.deps.url(null)).catch((e: unknown) => this.deps.onLoadError(e));
    return win;
  }

  show(focus: Focus | null = null): void {
    const win = this.prepare();
    const [width = 0, height = 0] = win.getSize();
    const at = this.deps.place({ width, height });
    win.setPosition(at.x, at.y);
    if (focus) win.loadURL(this.deps.url(focus)).catch((e: unknown) => this.deps.onLoadError(e));
    win.show();
    win.focus();
  }

  hide(): void {
    if (this.win && !this.win.isDestroyed() && this.win.isVisible()) this.win.hide();
  }

  toggle(): void {
    if (this.isVisible()) return this.hide();
    if (this.deps.now() - this.hiddenByBlurAt < REOPEN_GUARD_MS) return;
    this.show();
  }

  isVisible(): boolean {
    return this.win !== null && !this.win.isDestroyed() && this.win.isVisible();
  }

  /** The live window, if any (for sending events and checking IPC senders). */
  window(): WindowPort | null {
    return this.win && !this.win.isDestroyed() ? this.win : null;
  }
}
