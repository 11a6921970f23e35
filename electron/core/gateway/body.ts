import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { GatewayError } from './errors';
import { readAll } from '../providers/anthropic/upstream-post';

/** Anthropic's own limit for a Messages request is 32 MB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    // The unread body would poison a kept-alive connection: ask the client to close it.
    return Promise.reject(new GatewayError(413, 'request_too_large', `Request body is ${declared} bytes; the limit is ${limit} bytes.`, { connection: 'close' }));
  }
  return readAll(req, 'the client closed the connection before the end of its request', {
    bytes: limit,
    tooLarge: () => new GatewayError(413, 'request_too_large', `Request body exceeds the limit of ${limit} bytes.`, { connection: 'close' }),
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON object body, with an error a person can act on for each way it can be wrong. */
export function parseJsonObject(headers: IncomingHttpHeaders, body: Buffer): Record<string, unknown> {
  const type = String(headers['content-type'] ?? '');
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
