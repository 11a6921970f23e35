import path from 'node:path';
import type { Platform } from './ports';

export interface ShellPaths {
  /** dist/renderer/index.html: the only page Sluice's windows show. */
  rendererIndex: string;
  /** The sandboxed preload, bundled to CommonJS. */
  preload: string;
  trayIcon: string;
}

/**
 * Files the shell loads. In a packaged app `appPath` is …/app.asar and the tray icons sit beside it
 * in Resources (electron-builder's extraResources); under `npm start` they come from build/tray.
 */
export function shellPaths(o: { appPath: string; resourcesPath: string; isPackaged: boolean; platform: Platform }): ShellPaths {
  // Template images are black with alpha, tinted by macOS for light and dark menu bars; other
  // desktops show colours as they are, so they get a light glyph for the usual dark panels.
  const icon = o.platform === 'darwin' ? 'TrayIconTemplate.png' : 'TrayIcon.png';
  return {
    rendererIndex: path.join(o.appPath, 'dist', 'renderer', 'index.html'),
    preload: path.join(o.appPath, 'dist-electron', 'preload', 'index.cjs'),
    trayIcon: o.isPackaged ? path.join(o.resourcesPath, 'tray', icon) : path.join(o.appPath, 'build', 'tray', icon),
  };
}
