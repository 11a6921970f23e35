import type { BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './security';

/** Shared by both panels: frameless, hidden until placed, never in the taskbar or the window switcher. */
function panel(preload: string, width: number, height: number, dark: boolean): BrowserWindowConstructorOptions {
  return {
    width,
    height,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    // Painted before the page loads: matching the system theme avoids a white flash in dark mode.
    backgroundColor: dark ? '#1c1c1e' : '#ffffff',
    webPreferences: secureWebPreferences(preload),
  };
}

export const POPOVER_SIZE = { width: 400, height: 600 } as const;
export const DISPATCH_SIZE = { width: 640, height: 420 } as const;

export function popoverWindowOptions(preload: string, dark: boolean): BrowserWindowConstructorOptions {
  return { ...panel(preload, POPOVER_SIZE.width, POPOVER_SIZE.height, dark), title: 'Sluice' };
}

export function dispatchWindowOptions(preload: string, dark: boolean): BrowserWindowConstructorOptions {
  return { ...panel(preload, DISPATCH_SIZE.width, DISPATCH_SIZE.height, dark), title: 'Dispatch a task' };
}
