import { describe, expect, it } from 'vitest';
import { popoverPosition, spotlightPosition } from '../../../electron/main/geometry';
import { placeUnderTray } from '../../../electron/main/placement';
import { FakeScreen } from '../fakes';

// A 1440×900 MacBook display: 25 px menu bar at the top, 70 px Dock at the bottom.
const mac = { bounds: { x: 0, y: 0, width: 1440, height: 900 }, workArea: { x: 0, y: 25, width: 1440, height: 805 } };
const win = { width: 400, height: 600 };

describe('popover geometry', () => {
  it('centres the popover under the tray icon, just below the menu bar', () => {
    const tray = { x: 1000, y: 0, width: 24, height: 24 };
    expect(popoverPosition({ tray, window: win, workArea: mac.workArea })).toEqual({ x: 812, y: 25 });
  });

  it('keeps the popover inside the work area when the icon sits near the right edge', () => {
    const tray = { x: 1400, y: 0, width: 24, height: 24 };
    const at = popoverPosition({ tray, window: win, workArea: mac.workArea });
    expect(at.x + win.width).toBe(1440);
    expect(at.x).toBe(1040);
  });

  it('keeps the popover inside the work area near the left edge', () => {
    const tray = { x: 10, y: 0, width: 24, height: 24 };
    expect(popoverPosition({ tray, window: win, workArea: mac.workArea }).x).toBe(0);
  });

  it('opens above the icon when the bar is at the bottom of the screen (Windows taskbar)', () => {
    const area = { x: 0, y: 0, width: 1920, height: 1040 };
    const tray = { x: 1700, y: 1044, width: 32, height: 32 };
    expect(popoverPosition({ tray, window: win, workArea: area })).toEqual({ x: 1516, y: 440 });
  });

  it('rounds to whole pixels, because setPosition rejects fractions (menubar #233)', () => {
    const tray = { x: 1000.5, y: 0, width: 23, height: 22.5 };
    const at = popoverPosition({ tray, window: { width: 401, height: 600 }, workArea: { x: 0, y: 24.5, width: 1440, height: 805 } });
    expect(Number.isInteger(at.x)).toBe(true);
    expect(Number.isInteger(at.y)).toBe(true);
  });

  it('pins a window taller than the work area to its top instead of pushing it off screen', () => {
    const tray = { x: 600, y: 0, width: 24, height: 24 };
    const area = { x: 0, y: 25, width: 800, height: 500 };
    expect(popoverPosition({ tray, window: win, workArea: area }).y).toBe(25);
  });

  it('works on a secondary display to the left of the main one (negative coordinates)', () => {
    const area = { x: -1920, y: 25, width: 1920, height: 1055 };
    const tray = { x: -300, y: 0, width: 24, height: 24 };
    expect(popoverPosition({ tray, window: win, workArea: area })).toEqual({ x: -488, y: 25 });
  });

  it('hangs from the cursor when the tray reports no bounds (Linux)', () => {
    const area = { x: 0, y: 32, width: 1920, height: 1048 };
    const at = popoverPosition({ tray: { x: 0, y: 0, width: 0, height: 0 }, window: win, workArea: area, fallback: { x: 1800, y: 10 } });
    expect(at).toEqual({ x: 1520, y: 32 });
  });

  it('places the dispatch window centred, a fifth of the way down, like Spotlight', () => {
    expect(spotlightPosition({ window: { width: 640, height: 420 }, workArea: mac.workArea })).toEqual({ x: 400, y: 186 });
  });
});

describe('placing the popover on the right display', () => {
  const external = { bounds: { x: 1440, y: 0, width: 2560, height: 1440 }, workArea: { x: 1440, y: 25, width: 2560, height: 1415 } };

  it('uses the work area of the display that holds the tray icon', () => {
    const screen = new FakeScreen([mac, external]);
    const at = placeUnderTray(screen, { x: 3900, y: 0, width: 24, height: 24 }, win);
    expect(at).toEqual({ x: 3600, y: 25 });
  });

  it('falls back to the display under the cursor when the tray has no bounds', () => {
    const screen = new FakeScreen([mac, external]);
    screen.cursor = { x: 2000, y: 5 };
    const at = placeUnderTray(screen, { x: 0, y: 0, width: 0, height: 0 }, win);
    expect(at).toEqual({ x: 1800, y: 25 });
  });
});
