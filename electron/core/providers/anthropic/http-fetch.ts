import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * A `fetch` for the Anthropic SDK on Node's own http/https clients with keep-alive pools.
 *
 * The gateway makes one upstream call per agent request and passes the bytes through; measured on
 * the gateway bench, the global fetch (undici behind a WHATWG layer) cost more CPU per request than
 * the rest of the pipeline together, and at 300 requests/s it alone saturated the event loop
 * (p50 added 43–114 ms vs 2.7–3.0 ms with this transport, same run conditions). The SDK still builds
 * every request, sets the headers and maps errors; only the socket work changes hands.
 *
 * Scope: what the SDK sends — a string or bytes body (or none), no redirects. Anything else (a stream
 * or form body) goes to the global fetch. Responses are never compressed: we ask for identity, so the
 * bytes we forward are exactly the upstream's.
 */
export function createHttpFetch(): typeof fetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };

  const httpFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body = init.body;
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (input instanceof Request || !plainBody || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fetch(input, init);

    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));

    return new Promise<Response>((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http;
      const req = client.request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: init.method ?? 'GET',
          headers,
          agent: agents[url.protocol as 'http:' | 'https:'],
          signal,
        },
        (res) => {
          const out = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            if (Array.isArray(value)) for (const v of value) out.append(key, v);
            else out.set(key, value);
          }
          const status = res.statusCode ?? 502;
          // A Response may not carry a body for these statuses; drain the socket instead.
          const bodyless = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
          if (bodyless) res.resume();
          resolve(new Response(bodyless ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, statusText: res.statusMessage, headers: out }));
        },
      );
      req.on('error', (e) => reject(signal?.aborted ? abortError(signal) : e));
      req.end(body ?? undefined);
    });
  };
  return httpFetch as typeof fetch;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}
