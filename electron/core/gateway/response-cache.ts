import crypto from 'node:crypto';

/** A complete upstream answer, kept as bytes so a replay is byte-identical to the original. */
export interface CapturedResponse {
  status: number;
  /** The upstream's headers the caller sees, as a flat name, value… list (`passThroughHeaders`). */
  headers: readonly string[];
  body: Buffer;
  /** The ledger cost of the original, for the baseline of what the replay saved. */
  baselineMicros: number;
  at: number;
}

/**
 * Identical requests share one upstream call: a request identical to one in flight waits for it
 * (dedupe), and a deterministic one (temperature 0) identical to one answered recently is answered
 * from memory. The key covers the model, the stream flag and every byte of the body that reaches
 * the upstream, so two requests share an answer only if the upstream would see the same request.
 */
export class ResponseCache {
  private readonly inflight = new Map<string, Promise<CapturedResponse | null>>();
  /** Requests waiting on each in-flight key. */
  private readonly waiters = new Map<string, number>();
  private readonly done = new Map<string, CapturedResponse>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  static key(model: string, body: Uint8Array, agentScope: string): string {
    // One-shot hash of the body (a Hash object per request was measurable); the names stay readable.
    return `${model}\0${agentScope}\0${crypto.hash('sha256', body, 'hex')}`;
  }

  cached(key: string, now: number, ttlMs: number): CapturedResponse | null {
    const hit = this.done.get(key);
    if (!hit) return null;
    if (now - hit.at > ttlMs) {
      this.evict(key);
      return null;
    }
    return hit;
  }

  waitFor(key: string): Promise<CapturedResponse | null> | null {
    const p = this.inflight.get(key);
    if (!p) return null;
    this.waiters.set(key, (this.waiters.get(key) ?? 0) + 1);
    return p;
  }

  /** Registers the leader of a key; call `finish` exactly once with its answer (or null on failure). */
  lead(key: string): { finish(r: CapturedResponse | null, keep: boolean): void; waited(): boolean } {
    let resolve!: (r: CapturedResponse | null) => void;
    this.inflight.set(key, new Promise((r) => (resolve = r)));
    return {
      // Whether anyone waits for this answer (else a stream need not be assembled for sharing).
      waited: () => (this.waiters.get(key) ?? 0) > 0,
      finish: (r, keep) => {
        this.inflight.delete(key);
        this.waiters.delete(key);
        if (r && keep && r.status === 200 && r.body.length < this.maxBytes / 8) {
          this.evict(key);
          this.done.set(key, r);
          this.bytes += r.body.length;
          while (this.bytes > this.maxBytes) this.evict(this.done.keys().next().value as string);
        }
        resolve(r);
      },
    };
  }

  private evict(key: string): void {
    const old = this.done.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.done.delete(key);
    }
  }
}
