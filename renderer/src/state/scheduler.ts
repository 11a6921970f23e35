/** Time and timers, injected so tests can run batching and throttling without waiting. */
export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Collects updates and applies them together, at most once per `intervalMs`: live events may arrive
 * hundreds of times a second, but the popover redraws at most ten times.
 */
export function createBatcher<U>(apply: (updates: U[]) => void, scheduler: Scheduler, intervalMs = 100) {
  let queue: U[] = [];
  let timer: unknown = null;
  let lastFlush = -Infinity;
  const flush = () => {
    timer = null;
    lastFlush = scheduler.now();
    const batch = queue;
    queue = [];
    if (batch.length) apply(batch);
  };
  return {
    push(update: U): void {
      queue.push(update);
      if (timer !== null) return;
      // The first update after a quiet spell still waits a tick, so a burst lands in one render.
      timer = scheduler.setTimeout(flush, Math.max(0, lastFlush + intervalMs - scheduler.now()));
    },
    dispose(): void {
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
      queue = [];
    },
  };
}

/** Runs `fn` at most once per `ms`; calls in between collapse into one trailing run. */
export function createThrottle(fn: () => void, scheduler: Scheduler, ms: number) {
  let timer: unknown = null;
  let last = -Infinity;
  return {
    request(): void {
      if (timer !== null) return;
      timer = scheduler.setTimeout(() => {
        timer = null;
        last = scheduler.now();
        fn();
      }, Math.max(0, last + ms - scheduler.now()));
    },
    dispose(): void {
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
    },
  };
}
