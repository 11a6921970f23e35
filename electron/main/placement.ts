import { hasBounds, popoverPosition, spotlightPosition, type Size } from './geometry';
import type { Point, Rect, ScreenPort } from './ports';

/** Under the tray icon, on the display that holds it; without tray bounds (Linux), by the cursor. */
export function placeUnderTray(screen: ScreenPort, trayBounds: Rect, size: Size): Point {
  if (hasBounds(trayBounds)) {
    return popoverPosition({ tray: trayBounds, window: size, workArea: screen.getDisplayMatching(trayBounds).workArea });
  }
  const cursor = screen.getCursorScreenPoint();
  return popoverPosition({ tray: trayBounds, window: size, workArea: screen.getDisplayNearestPoint(cursor).workArea, fallback: cursor });
}

/** On the display the user is looking at: the one under the cursor. */
export function placeSpotlight(screen: ScreenPort, size: Size): Point {
  return spotlightPosition({ window: size, workArea: screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea });
}
