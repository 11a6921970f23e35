import { describe, expect, it } from 'vitest';
import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import {
  CONTENT_SECURITY_POLICY,
  hardenContents,
  isAllowedExternalUrl,
  permissionAllowed,
  secureWebPreferences,
  withContentSecurityPolicy,
  type HardenableContents,
} from '../../../electron/main/security';
import { dispatchWindowOptions, popoverWindowOptions } from '../../../electron/main/window-options';
import { silentLogger } from '../../../electron/core/log';
import { Emitter } from '../fakes';

class FakeContents extends Emitter implements HardenableContents {
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  /** What Electron does before a renderer-initiated navigation: true if it went ahead. */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url: string): boolean {
    let prevented = false;
    this.emitWith(event, { preventDefault: () => (prevented = true) }, url);
    return !prevented;
  }
  open(url: string): WindowOpenHandlerResponse {
    const details: HandlerDetails = { url, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'default' } };
    return this.openHandler!(details);
  }
}

function hardened() {
  const contents = new FakeContents();
  const opened: string[] = [];
  hardenContents(contents, { openExternal: async (url) => void opened.push(url), log: silentLogger });
  return { contents, opened };
}

describe("Electron's security checklist", () => {
  it.each([
    ['popover', popoverWindowOptions('/app/preload.cjs', false)],
    ['dispatch window', dispatchWindowOptions('/app/preload.cjs', true)],
  ])('the %s is sandboxed, isolated and has no node', (_name, options) => {
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
    expect(options.frame).toBe(false);
    expect(options.show).toBe(false);
  });

  it('keeps the preferences the same for every window', () => {
    expect(secureWebPreferences('/p')).toEqual(popoverWindowOptions('/p', false).webPreferences);
  });

  it('blocks navigation, redirects and webviews', () => {
    const { contents } = hardened();
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(false);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(false);
    expect(contents.navigate('will-attach-webview', '')).toBe(false);
  });

  it('denies every new window, opening an allowed https link in the browser instead', () => {
    const { contents, opened } = hardened();
    expect(contents.open('https://ollama.com/download')).toEqual({ action: 'deny' });
    expect(contents.open('https://console.anthropic.com/settings/keys')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://ollama.com/download', 'https://console.anthropic.com/settings/keys']);
  });

  it.each([
    'http://ollama.com/download',
    'file:///Applications/Calculator.app',
    'smb://attacker.example/share',
    'javascript:alert(1)',
    'https://evil.example/phish',
    'https://ollama.com.evil.example/',
    'https://user:pass@github.com/',
    'x-apple.systempreferences:com.apple.preference.security',
    'not a url',
  ])('never hands %s to the operating system', (url) => {
    const { contents, opened } = hardened();
    expect(contents.open(url)).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('accepts subdomains of the allowed sites', () => {
    expect(isAllowedExternalUrl('https://www.github.com/anthropics')).toBe(true);
  });

  it('denies permissions the page asks for, except writing to the clipboard', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial', 'usb']) expect(permissionAllowed(p)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write')).toBe(true);
  });

  it('sends a strict Content-Security-Policy with the page, replacing any other', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'Content-Type': ['text/html'] });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});
