import { describe, expect, it } from 'vitest';
import { PullTracker } from '../../../../electron/core/providers/ollama/pull-progress';

function line(status: string, digest = '', total = 0, completed = 0) {
  return { status, digest, total, completed };
}

describe('PullTracker', () => {
  it('sums layers into model totals and reports the speed over its window', () => {
    let t = 0;
    const tr = new PullTracker({ pullId: 'p1', model: 'llama3.2:3b', now: () => t, minIntervalMs: 0, speedWindowMs: 10_000 });
    tr.update(line('pulling manifest'));
    t = 1000;
    tr.update(line('pulling aaa', 'sha256:aaa', 4000, 1000));
    t = 2000;
    const p = tr.update(line('pulling aaa', 'sha256:aaa', 4000, 3000));
    t = 3000;
    const q = tr.update(line('pulling bbb', 'sha256:bbb', 2000, 1000));
    expect(p).toMatchObject({ completedBytes: 3000, totalBytes: 4000, state: 'running' });
    expect(q).toMatchObject({
      pullId: 'p1',
      model: 'llama3.2:3b',
      status: 'pulling bbb',
      completedBytes: 4000,
      totalBytes: 6000,
      layers: [
        { digest: 'sha256:aaa', total: 4000, completed: 3000 },
        { digest: 'sha256:bbb', total: 2000, completed: 1000 },
      ],
      error: null,
    });
    // 4000 bytes in 3 s since the first sample at t=0.
    expect(q?.bytesPerSecond).toBe(1333);
  });

  it('never lets a layer or the total go backwards', () => {
    let t = 0;
    const tr = new PullTracker({ pullId: 'p', model: 'm', now: () => (t += 1000), minIntervalMs: 0 });
    tr.update(line('pulling aaa', 'sha256:aaa', 100, 80));
    const p = tr.update(line('pulling aaa', 'sha256:aaa', 100, 40));
    expect(p?.completedBytes).toBe(80);
  });

  it('throttles byte-only updates but always reports a new status', () => {
    let t = 0;
    const tr = new PullTracker({ pullId: 'p', model: 'm', now: () => t, minIntervalMs: 250 });
    expect(tr.update(line('pulling aaa', 'sha256:aaa', 100, 1))).not.toBeNull();
    t = 100;
    expect(tr.update(line('pulling aaa', 'sha256:aaa', 100, 2))).toBeNull();
    t = 200;
    expect(tr.update(line('verifying sha256 digest'))).not.toBeNull();
    t = 260;
    expect(tr.update(line('verifying sha256 digest'))).toBeNull();
    t = 500;
    expect(tr.update(line('verifying sha256 digest'))).not.toBeNull();
  });

  it('is done on success, with no speed left', () => {
    const tr = new PullTracker({ pullId: 'p', model: 'm', now: () => 0 });
    tr.update(line('pulling aaa', 'sha256:aaa', 10, 10));
    const p = tr.update(line('success'));
    expect(p).toMatchObject({ state: 'done', status: 'success', completedBytes: 10, bytesPerSecond: 0 });
    expect(tr.finished).toBe(true);
  });

  it('records a failure and a cancellation as end states', () => {
    const a = new PullTracker({ pullId: 'p', model: 'm' });
    expect(a.fail('pull model manifest: file does not exist')).toMatchObject({ state: 'failed', error: 'pull model manifest: file does not exist' });
    const b = new PullTracker({ pullId: 'p', model: 'm' });
    expect(b.cancel()).toMatchObject({ state: 'cancelled', status: 'cancelled', error: null });
  });
});
