import { randomUUID } from 'node:crypto';
import type { PullProgress } from '../../../shared/contract';
import type { OllamaProvider } from '../providers/ollama/client';
import type { EventBus } from '../events';
import type { Logger } from '../log';

/**
 * Running model pulls, one AbortController each. The pull id is ours (not the provider's) so the
 * caller has it before the first byte arrives; every progress report is re-labelled with it.
 */
export class PullRegistry {
  private readonly running = new Map<string, { model: string; controller: AbortController; done: Promise<PullProgress> }>();

  constructor(
    private readonly ollama: OllamaProvider,
    private readonly events: EventBus,
    private readonly onFinished: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** The id of a pull of `model` already under way, so a double click does not download twice. */
  runningFor(model: string): string | null {
    for (const [id, p] of this.running) if (p.model === model) return id;
    return null;
  }

  start(model: string): string {
    const pullId = randomUUID();
    const controller = new AbortController();
    const done = this.ollama
      .pull(model, (p) => this.events.emit({ type: 'pull', progress: { ...p, pullId } }), controller.signal)
      .then((final) => ({ ...final, pullId }))
      .catch((e: unknown): PullProgress => {
        // The provider reports failures as a final progress; a throw here is a bug, still shown as a failed pull.
        const failed: PullProgress = { pullId, model, status: 'failed', layers: [], completedBytes: 0, totalBytes: 0, bytesPerSecond: 0, state: 'failed', error: (e as Error).message };
        this.events.emit({ type: 'pull', progress: failed });
        return failed;
      })
      .finally(() => {
        this.running.delete(pullId);
        this.onFinished().then(
          () => this.events.emit({ type: 'models-changed' }),
          (e: unknown) => this.log.log('warn', 'could not refresh local models after a pull', { error: (e as Error).message }),
        );
      });
    this.running.set(pullId, { model, controller, done });
    return pullId;
  }

  cancel(pullId: string): boolean {
    const p = this.running.get(pullId);
    if (!p) return false;
    p.controller.abort();
    return true;
  }

  /** Resolves when the pull ends (tests, shutdown). */
  settled(pullId: string): Promise<PullProgress> | null {
    return this.running.get(pullId)?.done ?? null;
  }

  cancelAll(): void {
    for (const p of this.running.values()) p.controller.abort();
  }
}
