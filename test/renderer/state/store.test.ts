import { describe, expect, it } from 'vitest';
import { ok } from '../../../shared/contract';
import { createAppStore } from '../../../renderer/src/state/store';
import type { ConnectionFeed, ConnectionState } from '../../../renderer/src/client/connection';
import { fakeCore } from '../support/fake-client';
import { budget, overview, pull, requestRow, task } from '../support/fixtures';
import { manualScheduler } from '../support/manual-scheduler';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function started(answers = {}) {
  const core = fakeCore({ getOverview: () => ok(overview()), recentProjects: () => ok([]), ...answers });
  const scheduler = manualScheduler();
  const notices: string[] = [];
  const store = createAppStore({ client: core.client, transport: 'ws', scheduler, notify: (n) => notices.push(n.title) });
  const stop = store.start();
  await flush();
  let updates = 0;
  store.subscribe(() => updates++);
  return { core, scheduler, store, stop, notices, updates: () => updates };
}

describe('the popover store', () => {
  it('applies a burst of live events in one update, and at most ten updates a second', async () => {
    const { core, scheduler, store, updates } = await started();
    for (let i = 0; i < 500; i++) core.emit({ type: 'task', task: task(i % 50, { turns: i }) });
    expect(updates()).toBe(0);
    scheduler.advance(0);
    expect(updates()).toBe(1);
    expect(store.getState().overview.data?.tasks).toHaveLength(50);
    // Ten seconds of 50 agents each reporting every 20 ms.
    for (let t = 0; t < 10_000; t += 20) {
      for (let a = 0; a < 50; a++) core.emit({ type: 'task', task: task(a, { turns: t }) });
      scheduler.advance(20);
    }
    expect(updates()).toBeLessThanOrEqual(1 + 101);
    expect(updates()).toBeGreaterThanOrEqual(90);
    expect(store.getState().overview.data?.tasks.find((x) => x.id === 't3')?.turns).toBe(9_980);
  });

  it('reloads the overview at most once a second while requests stream in', async () => {
    const { core, scheduler } = await started();
    const before = core.callsTo('getOverview').length;
    for (let t = 0; t < 3_000; t += 10) {
      core.emit({ type: 'request', request: requestRow(t) });
      scheduler.advance(10);
    }
    const reloads = core.callsTo('getOverview').length - before;
    expect(reloads).toBeGreaterThanOrEqual(2);
    expect(reloads).toBeLessThanOrEqual(4);
  });

  it('moves an agent’s spend as soon as its request settles', async () => {
    const { core, scheduler, store } = await started();
    core.emit({ type: 'request', request: requestRow(1, { agent: 'agent-2', costMicros: 5_000 }) });
    scheduler.advance(0);
    expect(store.getState().overview.data?.agents.find((a) => a.name === 'agent-2')).toMatchObject({ spentTodayMicros: 25_000, requestsToday: 3 });
  });

  it('notifies once per threshold event with the budget in the words', async () => {
    const { core, notices, store, scheduler } = await started();
    core.emit({ type: 'threshold', percent: 95, budget: budget({ spentMicros: 9_500_000, percent: 95, state: 'critical' }) });
    scheduler.advance(0);
    expect(notices).toEqual(['95% of today’s budget used']);
    expect(store.getState().lastThreshold).toEqual({ percent: 95, day: '2026-11-28' });
  });

  it('keeps pulls in the order they started and updates them in place', async () => {
    const { core, scheduler, store } = await started();
    core.emit({ type: 'pull', progress: pull({ pullId: 'a', model: 'one' }) });
    core.emit({ type: 'pull', progress: pull({ pullId: 'b', model: 'two' }) });
    core.emit({ type: 'pull', progress: pull({ pullId: 'a', model: 'one', state: 'done' }) });
    scheduler.advance(0);
    expect(store.getState().pulls.map((p) => [p.pullId, p.state])).toEqual([
      ['a', 'done'],
      ['b', 'running'],
    ]);
  });

  it('reloads what is on screen after the connection comes back', async () => {
    const core = fakeCore({ getOverview: () => ok(overview()), recentProjects: () => ok([]) });
    const listeners = new Set<(s: ConnectionState) => void>();
    let state: ConnectionState = 'connecting';
    const connection: ConnectionFeed = { current: () => state, subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) };
    const set = (s: ConnectionState) => {
      state = s;
      for (const l of listeners) l(s);
    };
    const store = createAppStore({ client: core.client, transport: 'ws', connection, scheduler: manualScheduler() });
    store.start();
    set('open');
    await flush();
    const first = core.callsTo('getOverview').length;
    expect(first).toBe(1);
    set('reconnecting');
    expect(store.getState().connection).toBe('reconnecting');
    set('open');
    await flush();
    expect(core.callsTo('getOverview').length).toBe(first + 1);
  });

  it('learns whether the host runs agents', async () => {
    const { store } = await started();
    expect(store.getState().runner).toBe('available');
  });

  it('stops listening when stopped', async () => {
    const { core, scheduler, stop, updates } = await started();
    stop();
    core.emit({ type: 'budget', budget: budget({ spentMicros: 1 }) });
    scheduler.advance(1_000);
    expect(updates()).toBe(0);
  });
});
