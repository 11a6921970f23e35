import type { CoreEvent } from '../../shared/contract';

export type Listener = (event: CoreEvent) => void;

/** The core's event stream (spend, thresholds, requests, tasks, pulls). Listeners never break the emitter. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  emit(event: CoreEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken subscriber (a closed socket, a UI bug) must not stop settlement.
      }
    }
  }
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
