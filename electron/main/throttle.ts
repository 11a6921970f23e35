export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * At most one call per `ms`: the first runs at once, later ones collapse into a single trailing
 * call with the latest value, so the last state is never lost.
 */
export function throttle<T>(fn: (value: T) => void, ms: number, timers: Timers): { (value: T): void; cancel(): void } {
  let lastRun = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;
  let pending: { value: T } | null = null;

  const flush = () => {
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    lastRun = timers.now();
    fn(value);
  };

  const throttled = (value: T) => {
    const since = timers.now() - lastRun;
    if (timer === null && since >= ms) {
      lastRun = timers.now();
      fn(value);
      return;
    }
    pending = { value };
    if (timer === null) timer = timers.setTimeout(flush, ms - since);
  };
  throttled.cancel = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    pending = null;
  };
  return throttled;
}
