import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/services';
import { reservationsLeft, type Harness } from '../../../support/harness';
import {
  apiError,
  BATCH_DELAY_MS,
  batchCreates,
  batchHarness,
  coordinator,
  coreOnSameLedger,
  interceptBatchCreate,
  ledgerRows,
  manualClock,
  prompt,
  type ManualClock,
} from './support';

let clock: ManualClock;
let h: Harness;
const extraCores: Core[] = [];

beforeEach(async () => {
  clock = manualClock();
  h = await batchHarness(clock);
});
afterEach(async () => {
  for (const c of extraCores.splice(0)) c.close();
  await h.close();
});

function sameLedger(o: Parameters<typeof coreOnSameLedger>[2] = {}): Core {
  const core = coreOnSameLedger(h, clock, o);
  extraCores.push(core);
  return core;
}

describe('BatchCoordinator across restarts', () => {
  it('deferred work waits in the ledger and a new process submits it', async () => {
    const first = coordinator(h.core, clock);
    h.core.settings.update({ offPeak: { start: '23:00', end: '23:30' } });
    const { id } = first.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });
    await first.tick();

    const later = coordinator(sameLedger(), clock);
    clock.t = Date.parse('2026-03-02T23:10:00Z');
    expect(await later.tick()).toMatchObject({ submitted: 1 });
    expect(batchCreates(h)).toEqual([[expect.objectContaining({ custom_id: id })]]);
  });

  it('settles results exactly once after a restart between submit and results', async () => {
    const before = coordinator(h.core, clock);
    const alice = h.core.agents.get('alice')!;
    const a = before.defer({ agentId: alice.id, taskId: 'task-a', model: 'claude-sonnet-4-6', params: prompt('a'), reason: 'deferrable task' });
    const b = before.defer({ agentId: alice.id, taskId: 'task-b', model: 'claude-haiku-4-5', params: prompt('b'), reason: 'deferrable task' });
    expect(await before.tick()).toMatchObject({ submitted: 2 });
    const held = h.core.enforcer.status().reservedMicros;
    expect(held).toBeGreaterThan(0);

    // The restarted process drops the old process's reservations at start-up…
    const core = sameLedger();
    expect(reservationsLeft(core)).toBe(0);
    const after = coordinator(core, clock);
    clock.t += BATCH_DELAY_MS / 2;
    expect(await after.tick()).toMatchObject({ settled: 0 });
    // …and the coordinator holds the running batch's worst case again.
    expect(core.enforcer.status().reservedMicros).toBe(held);

    clock.t += BATCH_DELAY_MS;
    expect(await after.tick()).toMatchObject({ settled: 2 });
    expect(await after.tick()).toMatchObject({ settled: 0 });
    expect(await coordinator(sameLedger(), clock).tick()).toMatchObject({ settled: 0, failed: 0 });
    expect(ledgerRows(core).map((r) => [r.task_id, r.agent_id, r.batch])).toEqual([['task-a', alice.id, 1], ['task-b', alice.id, 1]]);
    expect([after.find(a.id)?.state, after.find(b.id)?.state]).toEqual(['done', 'done']);
    expect(reservationsLeft(core)).toBe(0);
  });

  it('two processes polling the same ended batch settle each result once', async () => {
    const one = coordinator(h.core, clock);
    for (const t of ['t1', 't2', 't3']) one.defer({ agentId: null, taskId: t, model: 'claude-sonnet-4-6', params: prompt(t), reason: 'deferrable task' });
    await one.tick();
    const two = coordinator(sameLedger(), clock);
    clock.t += BATCH_DELAY_MS;
    const [r1, r2] = await Promise.all([one.tick(), two.tick()]);
    expect(r1.settled + r2.settled).toBe(3);
    expect(ledgerRows(h.core).map((r) => r.task_id).sort()).toEqual(['t1', 't2', 't3']);
    const spent = h.core.enforcer.status().spentMicros;
    expect(spent).toBe(ledgerRows(h.core).reduce((s, r) => s + r.cost_micros, 0));
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('takes over work from a process that died mid-submission, and the dead one cannot undo it', async () => {
    let release: (r: Response) => void = () => undefined;
    const hung = sameLedger({ fetch: interceptBatchCreate(1, () => new Promise<Response>((resolve) => (release = resolve))) });
    const dying = coordinator(hung, clock);
    const { id } = dying.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });
    const stuck = dying.tick();
    await new Promise((r) => setTimeout(r, 50));
    expect(dying.find(id)).toMatchObject({ state: 'running', reason: 'deferrable task — submitting', batchId: null });

    const survivor = coordinator(h.core, clock);
    expect(await survivor.tick()).toMatchObject({ submitted: 0 }); // a fresh claim is respected
    clock.t += 16 * 60 * 1000;
    expect(await survivor.tick()).toMatchObject({ submitted: 1 });
    const batchId = survivor.find(id)!.batchId;
    expect(batchId).toMatch(/^msgbatch_/);

    release(apiError(500, 'api_error', 'late answer'));
    await stuck;
    expect(survivor.find(id)).toMatchObject({ state: 'running', batchId });
    clock.t += BATCH_DELAY_MS;
    expect(await survivor.tick()).toMatchObject({ settled: 1 });
    expect(ledgerRows(h.core)).toHaveLength(1);
    expect(reservationsLeft(h.core)).toBe(0);
  });
});

describe('BatchCoordinator when submission fails', () => {
  it('puts the work back with the reason and submits it on a later tick', async () => {
    const core = sameLedger({ fetch: interceptBatchCreate(1, async () => apiError(529, 'overloaded_error', 'Overloaded')) });
    const c = coordinator(core, clock);
    const { id } = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });
    expect(await c.tick()).toMatchObject({ submitted: 0 });
    expect(c.find(id)).toMatchObject({ state: 'waiting' });
    expect(c.find(id)?.reason).toMatch(/did not take the batch \(529: Overloaded\); will try again/);
    expect(reservationsLeft(core)).toBe(0);
    expect(await c.tick()).toMatchObject({ submitted: 1 });
  });

  it('after a whole-batch refusal sends each request alone, so only a bad one fails', async () => {
    let calls = 0;
    const refuseFirstTwo = interceptBatchCreate(2, async () => {
      calls += 1;
      return apiError(400, 'invalid_request_error', calls === 1 ? 'requests: something is wrong' : 'requests.0: this one is wrong');
    });
    const c = coordinator(sameLedger({ fetch: refuseFirstTwo }), clock);
    const bad = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('bad'), reason: 'deferrable task' });
    const good = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('good'), reason: 'deferrable task' });
    expect(await c.tick()).toMatchObject({ submitted: 0 });
    expect(c.find(bad.id)?.reason).toMatch(/refused the batch .*each request will be sent alone/);
    expect(await c.tick()).toMatchObject({ submitted: 1, batchesCreated: 1 });
    expect(c.find(bad.id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/refused it \(400\): requests\.0: this one is wrong/) });
    expect(c.find(good.id)?.state).toBe('running');
    expect(ledgerRows(h.core)).toHaveLength(0);
  });

  it('waits with a reason when Sluice has no API key, and loses nothing', async () => {
    const keyless = coordinator(sameLedger({ env: {} }), clock);
    const { id } = keyless.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });
    expect(await keyless.tick()).toMatchObject({ submitted: 0 });
    expect(keyless.find(id)).toMatchObject({ state: 'waiting', reason: expect.stringMatching(/waiting for an Anthropic API key/) });
    expect(await coordinator(h.core, clock).tick()).toMatchObject({ submitted: 1 });
  });
});
