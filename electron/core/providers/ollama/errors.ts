/**
 * Ollama failures in two kinds the router can act on: Ollama is not there or too busy (fall back to
 * the cloud), or Ollama answered with an error about this request (report it).
 */

/** Connection refused, host unknown, stream cut, or 503 "server busy": the router falls back on it. */
export class OllamaUnavailableError extends Error {
  override name = 'OllamaUnavailableError';
}

/** Ollama answered with an HTTP error (404 model not found, 400 bad request…) or an error inside the stream. */
export class OllamaModelError extends Error {
  override name = 'OllamaModelError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Codes Node's fetch (undici) puts on `cause` when there is no server to talk to. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    if ('code' in cur && typeof cur.code === 'string' && UNREACHABLE.has(cur.code)) return cur.code;
    cur = 'cause' in cur ? cur.cause : null;
  }
  return null;
}

/** ollama-js throws `ResponseError` (not exported) with `status_code` for HTTP errors. */
function statusOf(e: unknown): number | null {
  if (e && typeof e === 'object' && 'status_code' in e && typeof e.status_code === 'number') return e.status_code;
  return null;
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}

/** Maps whatever ollama-js or fetch threw to one of our two classes; aborts pass through untouched. */
export function classifyOllamaError(e: unknown, host: string): Error {
  if (e instanceof OllamaUnavailableError || e instanceof OllamaModelError) return e;
  if (isAbort(e)) return e instanceof Error ? e : new Error(String(e));
  const message = e instanceof Error ? e.message : String(e);
  const status = statusOf(e);
  if (status === 503) return new OllamaUnavailableError(`Ollama at ${host} is busy: ${message}`);
  if (status !== null) return new OllamaModelError(message, status);
  const code = causeCode(e);
  if (code !== null || (e instanceof TypeError && message === 'fetch failed')) {
    return new OllamaUnavailableError(`Ollama is not reachable at ${host}${code ? ` (${code})` : ''}`);
  }
  // ollama-js's own words when the NDJSON stream ends without `done`: the server went away mid-answer.
  if (message === 'Did not receive done or success response in stream.') {
    return new OllamaUnavailableError(`Ollama at ${host} closed the stream before it finished`);
  }
  // Everything else is an `{"error": …}` line inside a stream (e.g. the runner crashed): Ollama's 500.
  return new OllamaModelError(message, 500);
}
