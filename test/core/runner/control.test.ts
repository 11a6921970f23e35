import { beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../../electron/core/ledger/db';
import { TaskStore } from '../../../electron/core/runner/task-store';
import { controlStoredTask } from '../../../electron/core/runner/control';
import { enqueueTask } from '../../../electron/core/runner/enqueue';
import { DEFAULT_ROUTING } from '../../../shared/settings';
import os from 'node:os';

let store: TaskStore;
const nobody = { heldElsewhere: () => false, now: () => Date.parse('2026-11-28T12:00:00Z') };
const someoneElse = { ...nobody, heldElsewhere: () => true };

function task(): string {
  const r = enqueueTask(store, DEFAULT_ROUTING, { prompt: 'do it', project: os.tmpdir() });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.id;
}

beforeEach(() => {
  store = new TaskStore(openLedger(':memory:'), () => Date.parse('2026-11-28T12:00:00Z'));
});

describe('controlling a task through the ledger', () => {
  it('pauses and resumes a queued task at once', () => {
    const id = task();
    const p = controlStoredTask(store, id, 'pause', nobody);
    expect(p.ok && p.value).toMatchObject({ pending: false, task: { state: 'paused', pausedReason: 'user' } });
    const r = controlStoredTask(store, id, 'resume', nobody);
    expect(r.ok && r.value.task).toMatchObject({ state: 'queued', pausedReason: null });
  });

  it('leaves a request for the live process that runs the task', () => {
    const id = task();
    store.claim(id, '99999:abcd', 'queued');
    store.update(id, { state: 'running' });
    const p = controlStoredTask(store, id, 'pause', someoneElse);
    expect(p.ok && p.value).toMatchObject({ pending: true, task: { state: 'running', control: 'pause' } });
    const c = controlStoredTask(store, id, 'cancel', someoneElse);
    expect(c.ok && c.value.task.control).toBe('cancel');
  });

  it('acts directly on a task whose runner died', () => {
    const id = task();
    store.claim(id, '99999:abcd', 'queued');
    const c = controlStoredTask(store, id, 'cancel', nobody);
    expect(c.ok && c.value).toMatchObject({ pending: false, task: { state: 'cancelled', owner: null } });
  });

  it('refuses to resume a done or cancelled task, and resumes a failed one with a raised cap', () => {
    const id = task();
    store.update(id, { state: 'done' });
    const r = controlStoredTask(store, id, 'resume', nobody);
    expect(r.ok === false && r.error.code).toBe('conflict');
    const f = task();
    store.update(f, { state: 'failed', error: 'boom', finishedAt: '2026-11-28T11:00:00Z' });
    const again = controlStoredTask(store, f, 'resume', { ...nobody, capMicros: 3_000_000 });
    expect(again.ok && again.value.task).toMatchObject({ state: 'queued', error: null, finishedAt: null, capMicros: 3_000_000 });
    expect(controlStoredTask(store, 'tffffffffff', 'pause', nobody)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('the task store', () => {
  it('orders the queue by priority then age, and resolves unique id prefixes', () => {
    const a = enqueueTask(store, DEFAULT_ROUTING, { prompt: 'a', project: os.tmpdir(), priority: 'low' });
    const b = enqueueTask(store, DEFAULT_ROUTING, { prompt: 'b', project: os.tmpdir() });
    const c = enqueueTask(store, DEFAULT_ROUTING, { prompt: 'c', project: os.tmpdir(), priority: 'high' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('enqueue');
    expect(store.candidates().map((t) => t.prompt)).toEqual(['c', 'b', 'a']);
    expect(store.resolve(c.value.id.slice(0, 11))).toEqual({ ok: true, id: c.value.id });
    expect(store.resolve('t')).toMatchObject({ ok: false, message: expect.stringContaining('several') });
  });

  it('sums a task\'s tokens and cost from the ledger rows attributed to it', () => {
    const id = task();
    const ins = store.db.prepare(`INSERT INTO requests (started_at, finished_at, budget_day, hour, task_id, provider, model_requested, model_used,
      input_tokens, output_tokens, cache_write_5m_tokens, cache_read_tokens, cost_micros, status) VALUES (?, ?, '2026-11-28', 12, ?, 'anthropic', 'm', 'm', ?, ?, ?, ?, ?, 'ok')`);
    ins.run('2026-11-28T12:00:00Z', '2026-11-28T12:00:01Z', id, 10, 5, 100, 0, 1234);
    ins.run('2026-11-28T12:00:02Z', '2026-11-28T12:00:03Z', id, 1, 7, 0, 100, 66);
    ins.run('2026-11-28T12:00:02Z', '2026-11-28T12:00:03Z', 'tother000000', 1, 1, 1, 1, 999);
    const [row] = store.rows([store.get(id)!]);
    expect(row?.costMicros).toBe(1300);
    expect(row?.tokens).toEqual({ input: 11, output: 12, cacheWrite5m: 100, cacheWrite1h: 0, cacheRead: 100 });
  });
});
