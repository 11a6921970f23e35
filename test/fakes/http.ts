// Plumbing shared by the fake Anthropic and Ollama servers: request recording, body reading,
// JSON replies and a listen/close pair that never leaves a socket open behind a test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  rawBody: string;
  /** `rawBody` parsed as JSON, or `undefined` when it is empty or not JSON. */
  body: unknown;
  /** Epoch ms (from the fake's clock) when the body finished arriving. */
  at: number;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An id shaped like the real ones (`msg_01…`, `req_01…`): prefix, "01", then base62. */
export function fakeId(prefix: string, length = 22): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE62[b % 62];
  return `${prefix}01${out}`;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

export class BodyTooLarge extends Error {}

/** Reads the whole body. Past `limit` bytes it keeps draining but reports BodyTooLarge, as a proxy would. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

export function record(req: IncomingMessage, rawBody: string, at: number): RecordedRequest {
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  let body: unknown;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody) as unknown;
    } catch {
      body = undefined;
    }
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, rawBody, body, at };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Binds to 127.0.0.1 on a random port. `close` also cuts keep-alive and half-finished streams. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onError: (err: unknown, res: ServerResponse) => void,
): Promise<Listening> {
  const server: Server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => onError(err, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
