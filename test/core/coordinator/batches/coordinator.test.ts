import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreEvent } from '../../../../shared/contract';
import { costOf, worstCaseCost } from '../../../../shared/pricing';
import { fromAnthropicUsage } from '../../../../shared/usage';
import { estimatePromptTokens } from '../../../../electron/core/gateway/messages-request';
import { BatchInputError } from '../../../../electron/core/coordinator/batches';
import { reservationsLeft, type Harness } from '../../../support/harness';
import type { FakeUsage } from '../../../fakes/anthropic';
import { BATCH_DELAY_MS, batchCreates, batchHarness, coordinator, ledgerRows, manualClock, prompt, type ManualClock } from './support';

let clock: ManualClock;
let h: Harness;

beforeEach(async () => {
  clock = manualClock();
  h = await batchHarness(clock);
});
afterEach(async () => {
  await h.close();
});

describe('BatchCoordinator: submit, poll, results', () => {
  it('submits deferred work in one batch and attributes each result to its task and agent', async () => {
    const alice = h.core.agents.get('alice')!;
    const bob = h.core.agents.create('bob').agent;
    const events: CoreEvent[] = [];
    h.core.events.subscribe((e) => events.push(e));
    h.anthropic.setResponder((req) => ({ type: 'message', text: `answer for ${req.headers['x-fake-batch-custom-id']}` }));
    const c = coordinator(h.core, clock);
    const a = c.defer({ agentId: alice.id, taskId: 'task-a', model: 'claude-sonnet-4-6', params: prompt('docstrings for a.ts'), reason: 'deferrable task' });
    const b = c.defer({ agentId: bob.id, taskId: 'task-b', model: 'claude-haiku-4-5', params: prompt('docstrings for b.ts'), reason: 'deferrable task' });
    const n = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('docstrings for c.ts'), reason: 'deferred by the budget policy' });

    expect(await c.tick()).toMatchObject({ windowOpen: true, submitted: 3, batchesCreated: 1, settled: 0 });
    expect(batchCreates(h)).toEqual([[{ custom_id: a.id, params: expect.anything() }, { custom_id: b.id, params: expect.anything() }, { custom_id: n.id, params: expect.anything() }]]);
    const running = c.list();
    expect(running.map((i) => i.state)).toEqual(['running', 'running', 'running']);
    expect(new Set(running.map((i) => i.batchId)).size).toBe(1);
    expect(running[0]!.reason).toMatch(/submitted in batch msgbatch_/);
    // The worst case of each item is held at batch prices while the batch runs.
    expect(h.core.enforcer.status().reservedMicros).toBe(running.reduce((s, i) => s + i.worstCaseMicros, 0));

    clock.t += BATCH_DELAY_MS / 2;
    expect(await c.tick()).toMatchObject({ settled: 0 });
    expect(ledgerRows(h.core)).toHaveLength(0);

    clock.t += BATCH_DELAY_MS;
    expect(await c.tick()).toMatchObject({ settled: 3, failed: 0, submitted: 0 });
    const rows = ledgerRows(h.core);
    expect(rows.map((r) => [r.task_id, r.agent_id, r.model_used, r.provider, r.batch, r.status])).toEqual([
      ['task-a', alice.id, 'claude-sonnet-4-6', 'anthropic', 1, 'ok'],
      ['task-b', bob.id, 'claude-haiku-4-5', 'anthropic', 1, 'ok'],
      [null, null, 'claude-sonnet-4-6', 'anthropic', 1, 'ok'],
    ]);
    for (const id of [a.id, b.id, n.id]) {
      const item = c.find(id)!;
      expect(item.state).toBe('done');
      expect(item.result?.type === 'succeeded' && item.result.message.content[0]).toMatchObject({ type: 'text', text: `answer for ${id}` });
    }
    expect(reservationsLeft(h.core)).toBe(0);
    const requestEvents = events.flatMap((e) => (e.type === 'request' ? [e.request] : []));
    expect(requestEvents.map((r) => [r.taskId, r.agent, r.batch])).toEqual([['task-a', 'alice', true], ['task-b', 'bob', true], [null, null, true]]);
    expect(requestEvents.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    // Spend moved, so the enforcer sends a (coalesced) budget event too; wait for it before the core closes.
    await vi.waitFor(() => expect(events.some((e) => e.type === 'budget')).toBe(true));
  });

  it('settles at exactly half of what the same usage costs through the gateway', async () => {
    const usage: FakeUsage = {
      input_tokens: 1000,
      output_tokens: 400,
      cache_creation_input_tokens: 600,
      cache_read_input_tokens: 2000,
      cache_creation: { ephemeral_5m_input_tokens: 600, ephemeral_1h_input_tokens: 0 },
    };
    const model = 'claude-sonnet-4-6';
    h.anthropic.enqueue({ type: 'message', usage });
    await h.client().messages.create({ model, max_tokens: 4096, messages: [{ role: 'user', content: 'write docstrings' }] });
    const c = coordinator(h.core, clock);
    h.anthropic.enqueue({ type: 'message', usage });
    c.defer({ agentId: h.core.agents.get('alice')!.id, model, params: prompt('write docstrings', 4096), reason: 'deferrable task' });
    await c.tick();
    clock.t += BATCH_DELAY_MS;
    await c.tick();

    const [standard, batched] = ledgerRows(h.core);
    expect(standard).toMatchObject({ batch: 0, model_used: model });
    expect(batched).toMatchObject({ batch: 1, model_used: model, input_tokens: 1000, output_tokens: 400 });
    expect(standard!.cost_micros).toBeGreaterThan(0);
    expect(batched!.cost_micros * 2).toBe(standard!.cost_micros);
    expect(batched!.cost_micros).toBe(costOf(fromAnthropicUsage(usage), h.core.catalog().lookup(model).price, { batch: true }));
  });

  it('keeps custom ids: deferring the same id twice queues it once', () => {
    const c = coordinator(h.core, clock);
    const first = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task', customId: 'task-42-docs' });
    const again = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task', customId: 'task-42-docs' });
    expect(first).toEqual({ id: 'task-42-docs' });
    expect(again).toEqual(first);
    expect(c.list()).toHaveLength(1);
  });

  it('refuses what can never be sent, in one sentence', () => {
    const c = coordinator(h.core, clock);
    const base = { agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' };
    expect(() => c.defer({ ...base, model: ' ' })).toThrow(BatchInputError);
    expect(() => c.defer({ ...base, customId: 'has spaces' })).toThrow(/cannot be a batch id/);
    expect(() => c.defer({ ...base, agentId: 999 })).toThrow(/no agent with id 999/);
    expect(() => c.defer({ ...base, params: { max_tokens: 10, messages: [] } })).toThrow(/at least one message/);
    expect(() => c.defer({ ...base, params: { max_tokens: 0, messages: [{ role: 'user', content: 'x' }] } })).toThrow(/max_tokens/);
    expect(c.list()).toHaveLength(0);
  });

  it('splits work that exceeds one batch into several', async () => {
    const c = coordinator(h.core, clock, { limits: { maxRequests: 2, maxBytes: 1_000_000 } });
    for (let i = 0; i < 5; i++) c.defer({ agentId: null, model: 'claude-haiku-4-5', params: prompt(`file ${i}`, 50), reason: 'deferrable task' });
    expect(await c.tick()).toMatchObject({ submitted: 5, batchesCreated: 3 });
    expect(batchCreates(h).map((b) => b.length)).toEqual([2, 2, 1]);
    clock.t += BATCH_DELAY_MS;
    expect(await c.tick()).toMatchObject({ settled: 5 });
  });

  it('ticks on its own between start() and stop()', async () => {
    h.anthropic.reset();
    const c = coordinator(h.core, clock, { intervalMs: 5 });
    const { id } = c.defer({ agentId: null, model: 'claude-haiku-4-5', params: prompt('hi', 50), reason: 'deferrable task' });
    c.start();
    await vi.waitFor(() => expect(c.find(id)?.state).toBe('running'));
    clock.t += BATCH_DELAY_MS;
    await vi.waitFor(() => expect(c.find(id)?.state).toBe('done'));
    await c.stop();
    const creates = batchCreates(h).length;
    await new Promise((r) => setTimeout(r, 30));
    expect(batchCreates(h).length).toBe(creates);
  });

  it('submits work deferred through another instance in this process soon, not a full interval later', async () => {
    h.anthropic.reset();
    const host = coordinator(h.core, clock, { intervalMs: 3_600_000 });
    host.start();
    await host.tick();
    const creates = batchCreates(h).length;
    const runner = coordinator(h.core, clock);
    const { id } = runner.defer({ agentId: null, model: 'claude-haiku-4-5', params: prompt('docstrings, please', 50), reason: 'deferrable task' });
    await vi.waitFor(
      () => {
        expect(batchCreates(h).length).toBe(creates + 1);
        expect(host.find(id)?.state).toBe('running');
      },
      { timeout: 10_000 },
    );
    await host.stop();
  });
});

describe('BatchCoordinator: the off-peak window', () => {
  it('submits nothing outside the window and everything once it opens', async () => {
    expect(h.core.settings.update({ offPeak: { start: '22:00', end: '06:00' }, timeZone: 'Europe/Paris' }).ok).toBe(true);
    const c = coordinator(h.core, clock);
    const { id } = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });

    clock.t = Date.parse('2026-03-02T20:30:00Z'); // 21:30 in Paris
    expect(await c.tick()).toMatchObject({ windowOpen: false, submitted: 0 });
    expect(batchCreates(h)).toHaveLength(0);
    expect(c.find(id)).toMatchObject({ state: 'waiting', reason: 'deferrable task — waiting for the off-peak window 22:00–06:00 (Europe/Paris)' });
    expect(reservationsLeft(h.core)).toBe(0);

    clock.t = Date.parse('2026-03-02T21:05:00Z'); // 22:05 in Paris
    expect(await c.tick()).toMatchObject({ windowOpen: true, submitted: 1 });
    expect(batchCreates(h)).toEqual([[expect.objectContaining({ custom_id: id })]]);
  });

  it('still collects results of running batches outside the window', async () => {
    const c = coordinator(h.core, clock);
    const { id } = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });
    await c.tick();
    h.core.settings.update({ offPeak: { start: '01:00', end: '02:00' } });
    clock.t += BATCH_DELAY_MS;
    expect(await c.tick()).toMatchObject({ windowOpen: false, settled: 1 });
    expect(c.find(id)?.state).toBe('done');
  });
});

describe('BatchCoordinator: the budget', () => {
  it('holds back what does not fit, says why, and submits it once the budget allows', async () => {
    h.core.settings.update({ dailyBudgetUsd: 0.01 });
    const c = coordinator(h.core, clock);
    const model = 'claude-opus-4-8';
    const bigParams = prompt('a long job', 4096); // up to 4096 × $25/MTok × 50% ≈ $0.05: over $0.01
    const big = c.defer({ agentId: null, model, params: bigParams, reason: 'deferred by the budget policy' });
    const small = c.defer({ agentId: null, model, params: prompt('a short job', 200), reason: 'deferrable task' });

    expect(await c.tick()).toMatchObject({ submitted: 1, waitingForBudget: 1 });
    expect(batchCreates(h)).toEqual([[expect.objectContaining({ custom_id: small.id })]]);
    const waiting = c.find(big.id)!;
    expect(waiting.state).toBe('waiting');
    expect(waiting.reason).toMatch(/^deferred by the budget policy — waiting for budget: .*daily budget of \$0\.01/);
    // Only the small item is reserved, and at batch prices: half its standard worst case.
    const price = h.core.catalog().lookup(model).price;
    const smallEstimate = estimatePromptTokens({ model, ...prompt('a short job', 200) }).tokens;
    expect(h.core.enforcer.status().reservedMicros).toBe(worstCaseCost(smallEstimate, 200, price, { batch: true }));
    expect(h.core.enforcer.status().reservedMicros * 2 - worstCaseCost(smallEstimate, 200, price)).toBeLessThanOrEqual(1);

    h.core.settings.update({ dailyBudgetUsd: 5 });
    expect(await c.tick()).toMatchObject({ submitted: 1, waitingForBudget: 0 });
    clock.t += BATCH_DELAY_MS;
    await c.tick();
    expect(c.list().map((i) => i.state)).toEqual(['done', 'done']);
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('respects an agent\'s daily cap', async () => {
    const capped = h.core.agents.create('frugal', { dailyCapMicros: 1_000 }).agent;
    const c = coordinator(h.core, clock);
    const { id } = c.defer({ agentId: capped.id, model: 'claude-opus-4-8', params: prompt('x', 4096), reason: 'deferrable task' });
    expect(await c.tick()).toMatchObject({ submitted: 0, waitingForBudget: 1 });
    expect(c.find(id)?.reason).toMatch(/waiting for budget: the daily cap .* for agent "frugal"/);
  });
});

describe('BatchCoordinator: failures', () => {
  it('records errored results as errors and releases their reservations', async () => {
    const c = coordinator(h.core, clock);
    h.anthropic.enqueue({ type: 'message' }, { type: 'error', status: 529 });
    const ok = c.defer({ agentId: null, taskId: 't-ok', model: 'claude-sonnet-4-6', params: prompt('fine'), reason: 'deferrable task' });
    const bad = c.defer({ agentId: null, taskId: 't-bad', model: 'claude-sonnet-4-6', params: prompt('unlucky'), reason: 'deferrable task' });
    await c.tick();
    expect(reservationsLeft(h.core)).toBe(2);
    clock.t += BATCH_DELAY_MS;
    expect(await c.tick()).toMatchObject({ settled: 1, failed: 1 });

    expect(c.find(ok.id)?.state).toBe('done');
    const failed = c.find(bad.id)!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/^overloaded_error: /);
    expect(failed.reason).toMatch(/failed: overloaded_error/);
    const [row] = ledgerRows(h.core, "task_id = 't-bad'");
    expect(row).toMatchObject({ status: 'error', batch: 1, cost_micros: 0, http_status: 529 });
    expect(row!.error).toMatch(/^overloaded_error/);
    expect(reservationsLeft(h.core)).toBe(0);
    expect(h.core.enforcer.status().reservedMicros).toBe(0);
  });

  it('records a canceled batch\'s requests as canceled', async () => {
    const c = coordinator(h.core, clock);
    const { id } = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });
    await c.tick();
    await h.core.anthropic.sdk().messages.batches.cancel(c.find(id)!.batchId!);
    expect(await c.tick()).toMatchObject({ failed: 1 });
    expect(c.find(id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/^canceled/) });
    expect(ledgerRows(h.core)).toEqual([expect.objectContaining({ status: 'error', cost_micros: 0 })]);
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('fails items whose batch the API no longer knows, and releases them', async () => {
    const c = coordinator(h.core, clock);
    const { id } = c.defer({ agentId: null, model: 'claude-sonnet-4-6', params: prompt('x'), reason: 'deferrable task' });
    await c.tick();
    h.anthropic.reset(); // the upstream forgets every batch
    expect(await c.tick()).toMatchObject({ failed: 1 });
    expect(c.find(id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/^lost: /) });
    expect(reservationsLeft(h.core)).toBe(0);
  });
});
