import type { Point, Rect } from './ports';

export interface Size {
  width: number;
  height: number;
}

/** A tray with no usable bounds: Linux reports all zeros (menubar does the same check on `x`). */
export function hasBounds(tray: Rect): boolean {
  return tray.width > 0 && tray.height > 0;
}

/**
 * Where the popover goes: centred under the tray icon (or above it when the bar is at the bottom
 * of the screen, as Windows' taskbar usually is), then clamped so the whole window stays inside
 * the display's work area. Without tray bounds it hangs from `fallback` (the cursor).
 * Whole pixels: `setPosition` throws on fractions (menubar #233).
 */
export function popoverPosition(o: { tray: Rect; window: Size; workArea: Rect; fallback?: Point }): Point {
  const { window: win, workArea: area } = o;
  const point = o.fallback ?? { x: area.x + area.width, y: area.y };
  const anchor: Rect = hasBounds(o.tray) ? o.tray : { ...point, width: 0, height: 0 };
  const trayMiddle = anchor.y + anchor.height / 2;
  const barAtBottom = trayMiddle > area.y + area.height / 2;
  const x = anchor.x + anchor.width / 2 - win.width / 2;
  const y = barAtBottom ? anchor.y - win.height : anchor.y + anchor.height;
  return {
    x: Math.round(clamp(x, area.x, area.x + area.width - win.width)),
    y: Math.round(clamp(y, area.y, area.y + area.height - win.height)),
  };
}

/** The dispatch window: centred horizontally, a fifth of the way down, like Spotlight. */
export function spotlightPosition(o: { window: Size; workArea: Rect }): Point {
  const { window: win, workArea: area } = o;
  return {
    x: Math.round(clamp(area.x + (area.width - win.width) / 2, area.x, area.x + area.width - win.width)),
    y: Math.round(clamp(area.y + area.height / 5, area.y, area.y + area.height - win.height)),
  };
}

/** A window larger than the area is pinned to its top-left corner rather than pushed off-screen. */
function clamp(v: number, min: number, max: number): number {
  return Math.max(min, Math.min(v, max));
}
