/**
 * Folds Ollama's /api/pull progress lines into the contract's `PullProgress`: per-layer bytes, the
 * whole-model totals, and a download speed over a short window. Ollama sends a line every few
 * hundred KB, so updates are throttled for the UI; status changes always go through.
 */
import type { ProgressResponse } from 'ollama';
import type { PullLayer, PullProgress } from '../../../../shared/contract';

export interface PullTrackerOptions {
  pullId: string;
  model: string;
  now?: () => number;
  /** Least time between two progress reports that only move bytes. */
  minIntervalMs?: number;
  /** The window the speed is averaged over. */
  speedWindowMs?: number;
}

export class PullTracker {
  private readonly layers = new Map<string, PullLayer>();
  private readonly samples: { at: number; bytes: number }[] = [];
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly speedWindowMs: number;
  private status = 'starting';
  private state: PullProgress['state'] = 'running';
  private error: string | null = null;
  private lastReportAt = -Infinity;
  private lastReportedStatus = '';

  constructor(private readonly opts: PullTrackerOptions) {
    this.now = opts.now ?? Date.now;
    this.minIntervalMs = opts.minIntervalMs ?? 250;
    this.speedWindowMs = opts.speedWindowMs ?? 3_000;
  }

  /** Takes one progress line; returns the snapshot when it is worth reporting, else null. */
  update(line: ProgressResponse): PullProgress | null {
    const at = this.now();
    if (typeof line.status === 'string' && line.status !== '') this.status = line.status;
    if (typeof line.digest === 'string' && line.digest !== '') {
      const prev = this.layers.get(line.digest);
      const total = Math.max(prev?.total ?? 0, typeof line.total === 'number' ? line.total : 0);
      // Never let a layer go backwards: a retried chunk must not make the bar jump back.
      const completed = Math.min(total || Infinity, Math.max(prev?.completed ?? 0, typeof line.completed === 'number' ? line.completed : 0));
      this.layers.set(line.digest, { digest: line.digest, total, completed });
    }
    if (this.status === 'success') this.state = 'done';
    this.samples.push({ at, bytes: this.completedBytes() });
    while (this.samples.length > 2 && (this.samples[0]?.at ?? at) < at - this.speedWindowMs) this.samples.shift();

    const statusChanged = this.status !== this.lastReportedStatus;
    if (!statusChanged && this.state === 'running' && at - this.lastReportAt < this.minIntervalMs) return null;
    this.lastReportAt = at;
    this.lastReportedStatus = this.status;
    return this.snapshot();
  }

  fail(message: string): PullProgress {
    this.state = 'failed';
    this.error = message;
    return this.snapshot();
  }

  cancel(): PullProgress {
    this.state = 'cancelled';
    this.status = 'cancelled';
    return this.snapshot();
  }

  /** Done, failed or cancelled. */
  get finished(): boolean {
    return this.state !== 'running';
  }

  snapshot(): PullProgress {
    const layers = [...this.layers.values()].map((l) => ({ ...l }));
    return {
      pullId: this.opts.pullId,
      model: this.opts.model,
      status: this.status,
      layers,
      completedBytes: this.completedBytes(),
      totalBytes: layers.reduce((s, l) => s + l.total, 0),
      bytesPerSecond: this.state === 'running' ? this.speed() : 0,
      state: this.state,
      error: this.error,
    };
  }

  private completedBytes(): number {
    let sum = 0;
    for (const l of this.layers.values()) sum += l.completed;
    return sum;
  }

  private speed(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    return Math.round(((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }
}
