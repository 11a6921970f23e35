import type { IncomingMessage } from 'node:http';
import { GatewayError } from './errors';

/** Anthropic's own limit for a Messages request is 32 MB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    // The unread body would poison a kept-alive connection: ask the client to close it.
    throw new GatewayError(413, 'request_too_large', `Request body is ${declared} bytes; the limit is ${limit} bytes.`, { connection: 'close' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw new GatewayError(413, 'request_too_large', `Request body exceeds the limit of ${limit} bytes.`, { connection: 'close' });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON object body, with an error a person can act on for each way it can be wrong. */
export function parseJsonObject(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type.trim())) {
    throw new GatewayError(415, 'invalid_request_error', `Content-Type must be application/json (got "${type || 'none'}").`);
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new GatewayError(400, 'invalid_request_error', 'The request body is not valid UTF-8.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new GatewayError(400, 'invalid_request_error', `The request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError(400, 'invalid_request_error', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
