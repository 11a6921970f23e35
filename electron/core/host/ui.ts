import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { err, type CoreEvent, type SluiceApi, type WireMessage } from '../../../shared/contract';
import { parseWireCall } from '../../../shared/contract-validate';
import type { UiHandler } from './server';
import { silentLogger, type Logger } from '../log';
import { invoke } from '../api/invoke';

export interface UiHandlerOptions {
  api: SluiceApi;
  subscribe: (listener: (event: CoreEvent) => void) => () => void;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** The dashboard secret: shown once in the URL, then carried by an HttpOnly cookie. */
  token: string;
  port: () => number;
  log?: Logger;
}

export type DashboardHandler = UiHandler & {
  dashboardUrl(baseUrl: string): string;
  /** Closes every WebSocket (an open browser tab would otherwise keep the server from closing). */
  close(): void;
};

/** Beyond this much unsent data a slow tab misses per-request events; it refetches what it shows. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

/**
 * The web dashboard of `sluice serve`: the built renderer at `/` and the contract over a WebSocket at
 * `/ws`. The host has already refused foreign Host headers (DNS rebinding); here the token guards
 * the page and the socket, and the Origin check stops other sites' pages from opening the socket
 * with the user's cookie.
 */
export function createUiHandler(o: UiHandlerOptions): DashboardHandler {
  const log = o.log ?? silentLogger;
  const cookieName = () => `sluice_ui_${o.port()}`;
  const authed = (req: IncomingMessage) => sameSecret(cookieValue(req.headers.cookie, cookieName()), o.token);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const sockets = new Set<WebSocket>();

  function connected(ws: WebSocket): void {
    sockets.add(ws);
    const send = (m: WireMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const unsubscribe = o.subscribe((event) => {
      if (event.type === 'request' && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
      send({ event });
    });
    ws.on('message', (data, isBinary) => {
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        parsed = undefined;
      }
      const msg = parseWireCall(parsed);
      if (!msg.ok) {
        if (msg.id === null) ws.close(1007, msg.message.slice(0, 120));
        else send({ id: msg.id, result: err('bad_input', msg.message) });
        return;
      }
      const { id, call, input } = msg.value;
      invoke(o.api, call, input).then(
        (result) => send({ id, result }),
        (e: unknown) => {
          log.log('error', 'dashboard call failed', { call, error: (e as Error).message });
          send({ id, result: err('internal', `Sluice could not complete ${call}.`) });
        },
      );
    });
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    dashboardUrl: (baseUrl) => `${baseUrl.replace(/\/+$/, '')}/?token=${encodeURIComponent(o.token)}`,

    close() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      wss.close();
    },

    async handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const headers = securityHeaders(req.headers.host);
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const token = url.searchParams.get('token');
        if (token !== null) {
          if (!sameSecret(token, o.token)) {
            simplePage(res, 401, headers, 'This dashboard link is out of date', 'Open the link that `sluice serve` printed when it started (the token changes on every start).');
            return true;
          }
          // The token leaves the address bar (and history) at once; the cookie carries it from now on.
          res.writeHead(303, {
            ...headers,
            location: '/',
            'set-cookie': `${cookieName()}=${encodeURIComponent(o.token)}; HttpOnly; SameSite=Strict; Path=/`,
            'cache-control': 'no-store',
          });
          res.end();
          return true;
        }
        if (!authed(req)) {
          simplePage(res, 401, headers, 'Open the dashboard from its link', 'Sluice’s dashboard is protected by a token. Use the Dashboard link that `sluice serve` printed in your terminal.');
          return true;
        }
        if (!(await staticFileExists(o.staticDir, 'index.html'))) {
          simplePage(res, 200, headers, 'The dashboard is not built yet', 'Run `npm run build` in the Sluice folder, then reload this page.');
          return true;
        }
        return serveStatic(req, res, o.staticDir, 'index.html', headers);
      }
      if (url.pathname === '/ws') {
        simplePage(res, 426, headers, 'WebSocket only', 'This address speaks WebSocket.');
        return true;
      }
      return serveStatic(req, res, o.staticDir, url.pathname, headers);
    },

    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean {
      if (url.pathname !== '/ws' || !authed(req)) return false;
      // Browsers always send Origin on WebSocket handshakes; a page from another site gets refused here.
      if (req.headers.origin !== `http://${req.headers.host ?? ''}`) return false;
      wss.handleUpgrade(req, socket, head, connected);
      return true;
    },
  };
}

// ── the token ─────────────────────────────────────────────────────────────────────────────────
/** Constant-time comparison, also over different lengths (hashing first evens them out). */
function sameSecret(given: string | null, expected: string): boolean {
  if (given === null || given === '') return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

// ── headers and pages ───────────────────────────────────────────────────────────────────────────
/** No inline script or style, no third party; the only socket is our own. */
function securityHeaders(host: string | undefined): OutgoingHttpHeaders {
  const ws = host ? ` ws://${host}` : '';
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self'${ws}`,
      "manifest-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A one-message page for the cases where the app itself cannot load. */
function simplePage(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, title: string, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="color-scheme" content="light dark"><title>Sluice — ${escapeHtml(title)}</title></head>
<body style="font:15px/1.5 system-ui,-apple-system,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem">
<h1 style="font-size:1.2rem">${escapeHtml(title)}</h1><p>${escapeHtml(body).replace(/`([^`]+)`/g, '<code>$1</code>')}</p></body></html>`;
  // This page alone carries inline style (no stylesheet exists when the build is missing).
  const csp = `${String(headers['content-security-policy'])}; style-src 'unsafe-inline'`.replace("style-src 'self'; ", '');
  res.writeHead(status, { ...headers, 'content-security-policy': csp, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

// ── static files ────────────────────────────────────────────────────────────────────────────────
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file under `root` for a URL path, or null when the path tries to leave it. */
function resolveInside(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const base = path.resolve(root);
  const full = path.resolve(base, `.${path.posix.normalize(`/${rel}`)}`);
  return full.startsWith(base + path.sep) ? full : null;
}

async function staticFileExists(root: string, rel: string): Promise<boolean> {
  const full = resolveInside(root, rel);
  if (!full) return false;
  return fs.promises.stat(full).then((s) => s.isFile(), () => false);
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, urlPath: string, headers: OutgoingHttpHeaders): Promise<boolean> {
  const full = resolveInside(root, urlPath);
  if (!full) return false;
  const type = TYPES[path.extname(full).toLowerCase()];
  if (!type) return false;
  let body: Buffer;
  try {
    body = await fs.promises.readFile(full);
  } catch {
    return false;
  }
  // Vite puts a content hash in every asset name under /assets/, so those never change.
  const immutable = urlPath.startsWith('/assets/');
  res.writeHead(200, {
    ...headers,
    'content-type': type,
    'content-length': body.length,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
