import { describe, expect, it } from 'vitest';
import { throttle } from '../../../electron/main/throttle';
import { ManualTimers } from '../fakes';

describe('throttling the tray title', () => {
  it('shows the first update at once', () => {
    const timers = new ManualTimers();
    const seen: number[] = [];
    const t = throttle((v: number) => seen.push(v), 1000, timers);
    t(1);
    expect(seen).toEqual([1]);
  });

  it('collapses a burst into one trailing update with the latest value', () => {
    const timers = new ManualTimers();
    const seen: number[] = [];
    const t = throttle((v: number) => seen.push(v), 1000, timers);
    t(1);
    for (let v = 2; v <= 50; v++) {
      timers.advance(10);
      t(v);
    }
    expect(seen).toEqual([1]);
    timers.advance(1000);
    expect(seen).toEqual([1, 50]);
  });

  it('never runs more than once per interval under a steady stream', () => {
    const timers = new ManualTimers();
    const at: number[] = [];
    const t = throttle(() => at.push(timers.now()), 1000, timers);
    for (let i = 0; i < 500; i++) {
      t(i);
      timers.advance(20);
    }
    timers.advance(1000);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(at.length).toBeGreaterThanOrEqual(10);
  });

  it('drops a pending update when cancelled (on quit)', () => {
    const timers = new ManualTimers();
    const seen: number[] = [];
    const t = throttle((v: number) => seen.push(v), 1000, timers);
    t(1);
    t(2);
    t.cancel();
    timers.advance(5000);
    expect(seen).toEqual([1]);
    expect(timers.pending()).toBe(0);
  });
});
