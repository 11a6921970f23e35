import type { OllamaProvider } from '../providers/ollama/client';
import type { LocalModelInfo } from '../router/route';
import type { Logger } from '../log';

/**
 * The router must decide synchronously, so it reads a snapshot of the installed local models that is
 * refreshed in the background (and on demand after a pull or delete). null = Ollama not reachable.
 */
export class LocalModelCache {
  private snapshot: LocalModelInfo[] | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly ollama: OllamaProvider,
    private readonly log: Logger,
    private readonly intervalMs = 30_000,
  ) {}

  get(): readonly LocalModelInfo[] | null {
    return this.snapshot;
  }

  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.inflight = (async () => {
      try {
        const models = await this.ollama.list();
        this.snapshot = models.map((m) => ({ name: m.name, contextLength: m.contextLength, capabilities: m.capabilities }));
      } catch (e) {
        if (this.snapshot !== null) this.log.log('info', 'Ollama not reachable', { error: (e as Error).message });
        this.snapshot = null;
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
