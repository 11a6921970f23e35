/**
 * The few Electron objects the shell's logic touches, narrowed to what it calls. `index.ts` passes
 * the real ones (the compiler checks they fit); tests pass typed fakes. Nothing here imports
 * Electron at runtime, so every module that uses these types runs under plain Node.
 */
import type { Rectangle } from 'electron';

export type Rect = Rectangle;
export interface Point {
  x: number;
  y: number;
}
export type Platform = NodeJS.Platform;

/** What the shell does with a window's page. */
export interface WebContentsPort {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface WindowPort {
  readonly webContents: WebContentsPort;
  show(): void;
  hide(): void;
  focus(): void;
  isVisible(): boolean;
  isDestroyed(): boolean;
  getSize(): number[];
  setPosition(x: number, y: number): void;
  loadURL(url: string): Promise<void>;
  on(event: 'blur', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
}

export interface DisplayPort {
  workArea: Rect;
}

export interface ScreenPort {
  getDisplayMatching(rect: Rect): DisplayPort;
  getDisplayNearestPoint(point: Point): DisplayPort;
  getCursorScreenPoint(): Point;
}
