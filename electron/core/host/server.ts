import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo, Socket } from 'node:net';
import { hostAllowed } from '../gateway/auth';
import { sendError } from '../gateway/errors';
import type { Logger } from '../log';
import { LeanHttp, REQUEST_TIMEOUT, type LeanHead, type LeanHandler } from './lean-http';

/** The UI side of the host (static renderer + WebSocket contract), plugged in by the composition root. */
export interface UiHandler {
  handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
}

export interface HostOptions {
  port: number;
  /** 127.0.0.1 unless the user explicitly configures otherwise. */
  bindHost?: string;
  /** Extra Host names to accept when the user binds beyond loopback. */
  allowedHosts?: readonly string[];
  gateway: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /**
   * The gateway's fast path: the handler for a request it can serve on a lean connection (see
   * lean-http.ts), or null to let Node's server and `gateway` take it.
   */
  lean?: (head: LeanHead) => LeanHandler | null;
  ui?: UiHandler | null;
  health: () => Record<string, unknown>;
  log: Logger;
  /** Slow-loris guards (ms). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface RunningHost {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export async function startHost(o: HostOptions): Promise<RunningHost> {
  const bindHost = o.bindHost ?? '127.0.0.1';
  let port = o.port;
  const headersTimeoutMs = o.headersTimeoutMs ?? 15_000;
  const requestTimeoutMs = o.requestTimeoutMs ?? 120_000;
  const keepAliveTimeoutMs = 65_000;
  const server = http.createServer({
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (default 30 s): slow-loris clients would linger.
    connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
  });
  // Every connection starts on the lean path, which hands it to Node's own listener at the first
  // request it does not serve itself.
  const nodeListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const lean = new LeanHttp({
    pick: (head) => (o.lean && hostAllowed(head.headers.host, port, o.allowedHosts) ? o.lean(head) : null),
    handOff: (socket) => {
      for (const l of nodeListeners) l.call(server, socket);
    },
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs,
  });
  server.on('connection', (socket: Socket) => lean.accept(socket));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req.headers.host, port, o.allowedHosts) || !o.ui?.handleUpgrade(req, socket, head, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end(REQUEST_TIMEOUT);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, 400, 'invalid_request_error', 'Malformed request URL.');
      return;
    }
    if (!hostAllowed(req.headers.host, port, o.allowedHosts)) {
      req.resume();
      sendError(res, 403, 'permission_error', `Sluice only answers requests addressed to 127.0.0.1 or localhost (Host "${String(req.headers.host ?? '')}" refused, to prevent DNS rebinding).`);
      return;
    }
    try {
      if (url.pathname === '/' && req.method === 'HEAD') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end();
        return;
      }
      if (url.pathname === '/health' || url.pathname === '/healthz') {
        const body = JSON.stringify({ ok: true, ...o.health() });
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      if (await o.gateway(req, res, url)) return;
      if (o.ui && (await o.ui.handleRequest(req, res, url))) return;
      req.resume();
      sendError(res, 404, 'not_found_error', `Nothing at ${url.pathname}. The gateway lives under /v1/, health at /health.`);
    } catch (e) {
      o.log.log('error', 'host failure', { error: (e as Error).message });
      sendError(res, 500, 'api_error', 'Sluice: internal error.');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        lean.close();
        server.closeAllConnections();
      }),
  };
}
