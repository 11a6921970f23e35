/**
 * Sluice's Ollama provider: the real `ollama` client (ollama-js) pointed at `OLLAMA_HOST`, with its
 * errors sorted into "not there / busy" (the router falls back) and "answered with an error".
 */
import { randomUUID } from 'node:crypto';
import { Ollama, type ChatRequest, type ChatResponse } from 'ollama';
import type { LoadedModel, LocalModel, OllamaStatus, PullProgress } from '../../../../shared/contract';
import { OllamaModelError, OllamaUnavailableError, classifyOllamaError } from './errors';
import { factsFromShow, toLoadedModel, toLocalModel, type ModelFacts } from './models';
import { PullTracker } from './pull-progress';
import type { OllamaChatRequest } from './request';

export { OllamaModelError, OllamaUnavailableError } from './errors';
export type { ModelFacts } from './models';
export type { OllamaChatRequest } from './request';
export type OllamaChatResponse = ChatResponse;

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export interface OllamaProvider {
  host: string;
  /** Whether Ollama answers, and its version. Never throws. */
  status(): Promise<OllamaStatus>;
  /** Installed models with context length and capabilities (from `show`, cached per digest). */
  list(): Promise<LocalModel[]>;
  /** Models loaded in memory now. */
  ps(): Promise<LoadedModel[]>;
  show(name: string): Promise<ModelFacts>;
  /** Resolves with the final progress (done, failed or cancelled); never rejects for a failed pull. */
  pull(name: string, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<PullProgress>;
  /** false when the model was not installed (404). */
  remove(name: string): Promise<boolean>;
  chat(req: OllamaChatRequest, signal?: AbortSignal): Promise<OllamaChatResponse>;
  chatStream(req: OllamaChatRequest, signal?: AbortSignal): AsyncIterable<OllamaChatResponse>;
}

export interface OllamaProviderOptions {
  /** `OLLAMA_HOST` as Ollama reads it ("127.0.0.1:11434", "http://host:port"…), default `DEFAULT_OLLAMA_HOST`. */
  host: string;
  fetch?: typeof fetch;
  /** Clock for pull speed and throttling. */
  now?: () => number;
  /** How long `status()` waits before calling Ollama not running. */
  statusTimeoutMs?: number;
}

/** Lets one call be cancelled: ollama-js only passes its own signal, and only for streams. */
function withSignal(f: typeof fetch, signal: AbortSignal): typeof fetch {
  return (input, init) => f(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

/**
 * Images go to ollama-js as bytes: given a string, its Node build first checks whether the string
 * is a path on disk and sends that file instead — a request must never be able to read our files.
 */
function toWire(req: OllamaChatRequest): ChatRequest {
  return {
    ...req,
    messages: req.messages.map((m) => {
      if (!m.images || m.images.length === 0) return { ...m };
      const images: Uint8Array[] = [];
      for (const img of m.images) images.push(typeof img === 'string' ? Buffer.from(img, 'base64') : img);
      return { ...m, images };
    }),
  };
}

function notRunningHint(host: string): string {
  return `Ollama is not running at ${host}. Start it with \`ollama serve\` or open the Ollama app.`;
}

export function createOllamaProvider(opts: OllamaProviderOptions): OllamaProvider {
  const host = opts.host.trim() === '' ? DEFAULT_OLLAMA_HOST : opts.host.trim();
  const baseFetch = opts.fetch ?? globalThis.fetch;
  const now = opts.now ?? Date.now;
  const statusTimeoutMs = opts.statusTimeoutMs ?? 2_000;
  const clientFor = (signal?: AbortSignal): Ollama => new Ollama({ host, fetch: signal ? withSignal(baseFetch, signal) : baseFetch });
  const shared = clientFor();
  const factsByDigest = new Map<string, ModelFacts>();

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw classifyOllamaError(e, host);
    }
  }

  async function show(name: string): Promise<ModelFacts> {
    return factsFromShow(await call(() => shared.show({ model: name })));
  }

  return {
    host,

    async status() {
      try {
        const v = await call(() => clientFor(AbortSignal.timeout(statusTimeoutMs)).version());
        return { running: true, version: typeof v.version === 'string' ? v.version : null, host, hint: null };
      } catch (e) {
        if (e instanceof OllamaModelError) {
          return { running: false, version: null, host, hint: `Something at ${host} answered HTTP ${e.status}, not as Ollama. Check OLLAMA_HOST.` };
        }
        if (e instanceof Error && e.name === 'TimeoutError') {
          return { running: false, version: null, host, hint: `Nothing answered at ${host} within ${statusTimeoutMs / 1000} s. Start Ollama with \`ollama serve\` or check OLLAMA_HOST.` };
        }
        return { running: false, version: null, host, hint: notRunningHint(host) };
      }
    },

    async list() {
      const tags = await call(() => shared.list());
      return Promise.all(
        (tags.models ?? []).map(async (tag) => {
          const key = tag.digest || tag.name;
          let facts = factsByDigest.get(key) ?? null;
          if (!facts) {
            try {
              facts = await show(tag.name);
              factsByDigest.set(key, facts);
            } catch (e) {
              // One unreadable model must not hide the others; Ollama going away must still surface.
              if (e instanceof OllamaUnavailableError) throw e;
            }
          }
          return toLocalModel(tag, facts);
        }),
      );
    },

    async ps() {
      const res = await call(() => shared.ps());
      return (res.models ?? []).map(toLoadedModel);
    },

    show,

    async pull(name, onProgress, signal) {
      const tracker = new PullTracker({ pullId: randomUUID(), model: name, now });
      const report = (p: PullProgress): void => {
        try {
          onProgress(p);
        } catch {
          // A listener's failure is not the download's.
        }
      };
      let final: PullProgress;
      if (signal?.aborted) final = tracker.cancel();
      else {
        report(tracker.snapshot());
        try {
          const stream = await clientFor(signal).pull({ model: name, stream: true });
          for await (const line of stream) {
            const p = tracker.update(line);
            if (p && p.state === 'running') report(p);
          }
          final = tracker.finished ? tracker.snapshot() : tracker.fail('Ollama stopped before the pull finished');
        } catch (e) {
          if (signal?.aborted) final = tracker.cancel();
          else final = tracker.fail(classifyOllamaError(e, host).message);
        }
      }
      report(final);
      return final;
    },

    async remove(name) {
      try {
        await call(() => shared.delete({ model: name }));
        return true;
      } catch (e) {
        if (e instanceof OllamaModelError && e.status === 404) return false;
        throw e;
      }
    },

    chat(req, signal) {
      return call(() => clientFor(signal).chat({ ...toWire(req), stream: false }));
    },

    async *chatStream(req, signal) {
      const stream = await call(() => clientFor(signal).chat({ ...toWire(req), stream: true }));
      let done = false;
      try {
        for await (const part of stream) {
          if (part.done) done = true;
          yield part;
        }
      } catch (e) {
        throw classifyOllamaError(e, host);
      } finally {
        // The caller stopped reading (or we failed): close the HTTP stream so Ollama stops generating.
        if (!done) stream.abort();
      }
    },
  };
}
