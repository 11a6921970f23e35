import type { HandlerDetails, WebPreferences, WindowOpenHandlerResponse } from 'electron';
import type { Logger } from '../core/log';

/** Electron's security checklist, applied to every window Sluice opens. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/**
 * The page is static and talks to main only over IPC, so it needs its own files and nothing else.
 * Inline styles are allowed because React and recharts write `style` attributes on SVG; scripts
 * are not. The renderer's index.html carries the same policy in a meta tag: Electron documents
 * that headers cannot reach file:// pages, although recent versions deliver them.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // The renderer sets styles through the DOM only (no inline attributes), so no 'unsafe-inline'.
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Response headers with the CSP added (replacing any policy already there). */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/** Sites the UI links to (setup help, the Anthropic console, Ollama's model library). */
export const EXTERNAL_HOSTS: readonly string[] = [
  'ollama.com',
  'github.com',
  'docs.anthropic.com',
  'console.anthropic.com',
  'docs.claude.com',
  'platform.claude.com',
  'support.claude.com',
];

/** Only https links to the hosts above leave the app (never file:, smb:, custom schemes…). */
export function isAllowedExternalUrl(raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/**
 * Clipboard writes let the UI copy a gateway token or a command; every other permission (camera,
 * geolocation, notifications from the page, …) is refused: main shows notifications itself.
 */
export function permissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/** The events of a webContents that the hardening touches. */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
}

/**
 * Called for every webContents the app creates: the page may not navigate, redirect, embed a
 * webview or open windows. A link to an allowed https site opens in the user's browser instead.
 * Main's own `loadURL` calls do not emit `will-navigate`, so they still work.
 */
export function hardenContents(contents: HardenableContents, deps: { openExternal: (url: string) => Promise<void>; log: Logger }): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    deps.log.log('warn', 'blocked a navigation', { url: url.slice(0, 200) });
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    deps.log.log('warn', 'blocked a redirect', { url: url.slice(0, 200) });
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) {
      deps.openExternal(url).catch((e: unknown) => deps.log.log('warn', 'could not open a link', { url, error: String(e) }));
    } else {
      deps.log.log('warn', 'refused to open a window', { url: url.slice(0, 200) });
    }
    return { action: 'deny' };
  });
}
