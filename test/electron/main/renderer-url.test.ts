import { describe, expect, it } from 'vitest';
import { isRendererUrl, rendererUrl } from '../../../electron/main/renderer-url';
import { shellPaths } from '../../../electron/main/paths';

describe('the renderer page', () => {
  const index = '/Applications/Sluice.app/Contents/Resources/app.asar/dist/renderer/index.html';

  it('selects the view with ?view= and the focused item with the hash', () => {
    expect(rendererUrl(index, 'dispatch')).toBe(`file://${index}?view=dispatch`);
    expect(rendererUrl(index, 'popover', { kind: 'task', id: 'a b#c' })).toBe(`file://${index}?view=popover#focus=task:a%20b%23c`);
  });

  it('escapes a path with spaces and still recognises it', () => {
    const spaced = '/Users/Ana Lopez/Sluice Dev/dist/renderer/index.html';
    const url = rendererUrl(spaced, 'popover');
    expect(url).toContain('Ana%20Lopez');
    expect(isRendererUrl(url, spaced)).toBe(true);
  });

  it('recognises only our own file', () => {
    expect(isRendererUrl(`file://${index}?view=popover#x`, index)).toBe(true);
    expect(isRendererUrl(`file://${index.replace('index.html', 'evil.html')}`, index)).toBe(false);
    expect(isRendererUrl(`http://127.0.0.1:4680${index}`, index)).toBe(false);
    expect(isRendererUrl(`file://other-host${index}`, index)).toBe(false);
    expect(isRendererUrl('', index)).toBe(false);
  });
});

describe('the shell files', () => {
  it('loads the tray icon from Resources in a packaged app and from build/ under npm start', () => {
    const packaged = shellPaths({ appPath: '/A/Sluice.app/Contents/Resources/app.asar', resourcesPath: '/A/Sluice.app/Contents/Resources', isPackaged: true, platform: 'darwin' });
    expect(packaged).toEqual({
      rendererIndex: '/A/Sluice.app/Contents/Resources/app.asar/dist/renderer/index.html',
      preload: '/A/Sluice.app/Contents/Resources/app.asar/dist-electron/preload/index.cjs',
      trayIcon: '/A/Sluice.app/Contents/Resources/tray/TrayIconTemplate.png',
    });
    expect(shellPaths({ appPath: '/src/sluice', resourcesPath: '/x', isPackaged: false, platform: 'linux' }).trayIcon).toBe('/src/sluice/build/tray/TrayIcon.png');
  });
});
