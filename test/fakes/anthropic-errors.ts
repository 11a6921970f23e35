// Error bodies exactly as the errors docs show them:
// {"type":"error","error":{"type":"...","message":"..."},"request_id":"req_..."}
import type { ServerResponse } from 'node:http';
import { sendJson } from './http';

/** HTTP status → error.type, per the docs; other 4xx are invalid_request_error, other 5xx api_error. */
export function errorTypeFor(status: number): string {
  switch (status) {
    case 400: return 'invalid_request_error';
    case 401: return 'authentication_error';
    case 402: return 'billing_error';
    case 403: return 'permission_error';
    case 404: return 'not_found_error';
    case 413: return 'request_too_large';
    case 429: return 'rate_limit_error';
    case 500: return 'api_error';
    case 504: return 'timeout_error';
    case 529: return 'overloaded_error';
    default: return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

const DEFAULT_MESSAGES: Record<string, string> = {
  invalid_request_error: 'Invalid request',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

export interface ErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

export function errorBody(status: number, requestId: string, errorType?: string, message?: string): ErrorBody {
  const type = errorType ?? errorTypeFor(status);
  return { type: 'error', error: { type, message: message ?? DEFAULT_MESSAGES[type] ?? 'Error' }, request_id: requestId };
}

export function sendError(
  res: ServerResponse,
  requestId: string,
  status: number,
  opts: { errorType?: string; message?: string; retryAfter?: number } = {},
): void {
  const headers: Record<string, string> = { 'request-id': requestId };
  if (opts.retryAfter !== undefined) headers['retry-after'] = String(opts.retryAfter);
  sendJson(res, status, errorBody(status, requestId, opts.errorType, opts.message), headers);
}
