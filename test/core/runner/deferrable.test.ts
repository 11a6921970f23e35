import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../electron/core/services';
import { BatchCoordinator } from '../../../electron/core/coordinator/batches';
import { TaskStore, type TaskRecord } from '../../../electron/core/runner/task-store';
import { enqueueTask, type DispatchRequest } from '../../../electron/core/runner/enqueue';
import { DeferredTasks } from '../../../electron/core/runner/deferred-tasks';
import { controlStoredTask } from '../../../electron/core/runner/control';
import type { ContextProvider } from '../../../electron/core/runner/context';
import { costOf } from '../../../shared/pricing';
import { fromAnthropicUsage } from '../../../shared/usage';
import { reservationsLeft, type Harness } from '../../support/harness';
import type { RecordedRequest } from '../../fakes/anthropic';
import { BATCH_DELAY_MS, batchCreates, batchHarness, coreOnSameLedger, ledgerRows, manualClock, type ManualClock } from '../coordinator/batches/support';
import { runSluice, type CliResult } from '../../support/cli';

const BRIEF = 'src/math.ts\nexport function add(a: number, b: number) { return a + b; }';
const briefOf: ContextProvider = { brief: async () => ({ text: BRIEF, tokens: 40, files: ['src/math.ts'] }) };
const USAGE = { input_tokens: 2_000, output_tokens: 600, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } };

/** A process's view of deferrable tasks: its ledger, a coordinator and the runner's deferrable part. */
interface Side {
  core: Core;
  store: TaskStore;
  batches: BatchCoordinator;
  deferred: DeferredTasks;
  changed: string[];
}

let clock: ManualClock;
let h: Harness;
let project: string;
const extraCores: Core[] = [];

function side(core: Core, context: ContextProvider = briefOf): Side {
  const store = new TaskStore(core.db, () => clock.t);
  const batches = new BatchCoordinator(core, clock);
  const changed: string[] = [];
  return { core, store, batches, changed, deferred: new DeferredTasks(core, store, batches, context, (id) => changed.push(id)) };
}

function dispatch(s: Side, input: Partial<DispatchRequest> = {}): TaskRecord {
  const r = enqueueTask(s.store, s.core.settings.get().routing, { prompt: 'Write JSDoc for every exported function', project, deferrable: true, ...input });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function task(s: Side, id: string): TaskRecord {
  return s.store.get(id) as TaskRecord;
}

function reopen(context: ContextProvider = briefOf): Side {
  const core = coreOnSameLedger(h, clock);
  extraCores.push(core);
  return side(core, context);
}

beforeEach(async () => {
  clock = manualClock();
  h = await batchHarness(clock);
  project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-deferrable-')));
});
afterEach(async () => {
  for (const c of extraCores.splice(0)) c.close();
  await h.close();
  fs.rmSync(project, { recursive: true, force: true });
});

describe('deferrable tasks', () => {
  it('answer with one batch request (prompt and brief, on the chosen model), attributed to the task and its agent, at exactly half the synchronous price', async () => {
    const seen: RecordedRequest[] = [];
    h.anthropic.setResponder((req) => {
      seen.push(req);
      return { type: 'message', text: '/** Adds two numbers. */', usage: USAGE };
    });
    const s = side(h.core);
    const t = dispatch(s, { tier: 'fast' });
    expect(t).toMatchObject({ state: 'queued', mode: 'batch', tier: 'fast', model: 'claude-haiku-5-5', worktree: null, branch: null });
    expect(s.store.rows([t])[0]).toMatchObject({ deferrable: true });

    await s.deferred.tick();
    const queued = task(s, t.id);
    expect(queued).toMatchObject({ state: 'queued', currentStep: 'waiting to be submitted', contextTokens: 40, contextFiles: ['src/math.ts'], batchItem: t.id });
    const agent = h.core.agents.getById(queued.agentId as number);
    expect(agent).toMatchObject({ name: `task-${t.id}`, kind: 'task' });
    // The task's agent exists for attribution only: no live token.
    expect(agent?.revokedAt).not.toBeNull();
    expect(s.batches.find(t.id)).toMatchObject({ state: 'waiting', taskId: t.id, agentId: agent?.id, model: 'claude-haiku-5-5', deferredBecause: 'deferrable task' });

    expect(await s.batches.tick()).toMatchObject({ submitted: 1 });
    await s.deferred.tick();
    expect(task(s, t.id)).toMatchObject({ state: 'running', currentStep: expect.stringMatching(/^submitted in batch msgbatch_/) });
    expect(batchCreates(h)).toEqual([[expect.objectContaining({ custom_id: t.id })]]);

    clock.t += BATCH_DELAY_MS;
    expect(await s.batches.tick()).toMatchObject({ settled: 1 });
    await s.deferred.tick();
    const done = task(s, t.id);
    expect(done).toMatchObject({ state: 'done', result: '/** Adds two numbers. */', error: null, currentStep: null });
    expect(done.runMs).toBe(BATCH_DELAY_MS);

    // What went to Anthropic: the fixed system prompt, then one user turn with the brief first.
    const body = seen[0]?.body as { model: string; max_tokens: number; system: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('claude-haiku-5-5');
    expect(body.system).toMatch(/single reply/);
    expect(body.messages).toEqual([{ role: 'user', content: `<context_brief>\n${BRIEF}\n</context_brief>\n\nWrite JSDoc for every exported function` }]);
    const maxOutput = h.core.catalog().models().find((m) => m.id === 'claude-haiku-5-5')?.maxOutput ?? Infinity;
    expect(body.max_tokens).toBe(Math.min(32_000, maxOutput));

    // The same request sent at once, through the gateway (streamed: the SDK refuses 32k tokens without), costs twice as much.
    await h.client().messages.stream({ model: body.model, max_tokens: body.max_tokens, system: body.system, messages: [{ role: 'user', content: body.messages[0]!.content }] }).finalMessage();
    // The gateway settles the stream just after the caller has its last byte (see settleSoon).
    await vi.waitFor(() => expect(ledgerRows(h.core)).toHaveLength(2));
    const [batched, sync] = ledgerRows(h.core);
    expect(batched).toMatchObject({ task_id: t.id, agent_id: agent?.id, batch: 1, status: 'ok', input_tokens: 2_000, output_tokens: 600 });
    expect(sync).toMatchObject({ task_id: null, batch: 0, input_tokens: 2_000, output_tokens: 600 });
    expect(batched!.cost_micros * 2).toBe(sync!.cost_micros);
    expect(batched!.cost_micros).toBe(costOf(fromAnthropicUsage(USAGE), h.core.catalog().lookup('claude-haiku-5-5').price, { batch: true }));
    const row = s.store.rows([done])[0];
    expect(row).toMatchObject({ state: 'done', costMicros: batched!.cost_micros, tokens: { input: 2_000, output: 600 } });
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('show why they wait (the off-peak window, then the budget) and lose nothing when the ledger is reopened', async () => {
    h.anthropic.setResponder(() => ({ type: 'message', text: 'the answer' }));
    h.core.settings.update({ offPeak: { start: '22:00', end: '06:00' }, dailyBudgetUsd: 0.01 });
    const first = side(h.core);
    const t = dispatch(first, { tier: 'strong' });
    await first.deferred.tick();
    await first.batches.tick();
    await first.deferred.tick();
    expect(task(first, t.id)).toMatchObject({ state: 'queued', currentStep: 'waiting for the off-peak window 22:00–06:00 (UTC)' });

    // In the window, the worst case (32k output tokens at batch price) does not fit a $0.01 budget.
    clock.t = Date.parse('2026-03-02T23:00:00Z');
    expect(await first.batches.tick()).toMatchObject({ submitted: 0, waitingForBudget: 1 });
    await first.deferred.tick();
    const waiting = task(first, t.id);
    expect(waiting).toMatchObject({ state: 'paused', pausedReason: 'budget', currentStep: null });
    expect(waiting.error).toMatch(/^waiting for budget: /);
    expect(first.store.rows([waiting])[0]?.error).toBe(waiting.error);
    expect(batchCreates(h)).toEqual([]);

    // A new process on the same ledger finds the task and its request as they were…
    const later = reopen();
    expect(task(later, t.id)).toMatchObject({ state: 'paused', pausedReason: 'budget', batchItem: t.id });
    later.core.settings.update({ dailyBudgetUsd: 5 });
    expect(await later.batches.tick()).toMatchObject({ submitted: 1 });
    await later.deferred.tick();
    expect(task(later, t.id).state).toBe('running');
    // …and another one settles it once.
    const third = reopen();
    clock.t += BATCH_DELAY_MS;
    expect(await third.batches.tick()).toMatchObject({ settled: 1 });
    expect(await later.batches.tick()).toMatchObject({ settled: 0 });
    await third.deferred.tick();
    await later.deferred.tick();
    expect(task(later, t.id)).toMatchObject({ state: 'done', result: 'the answer' });
    expect(ledgerRows(later.core).map((r) => [r.task_id, r.batch])).toEqual([[t.id, 1]]);
    expect(later.batches.list()).toHaveLength(1);
  });

  it('queue the request once when a restart comes between naming the item and deferring it', async () => {
    const stuck = side(h.core, { brief: () => new Promise(() => {}) });
    const t = dispatch(stuck);
    void stuck.deferred.tick();
    await new Promise((r) => setImmediate(r));
    expect(task(stuck, t.id)).toMatchObject({ state: 'queued', batchItem: t.id, currentStep: 'building the context brief' });
    expect(stuck.batches.list()).toHaveLength(0);

    const after = reopen();
    await after.deferred.tick();
    await after.deferred.tick();
    expect(after.batches.list().map((i) => [i.id, i.taskId, i.state])).toEqual([[t.id, t.id, 'waiting']]);
    expect(task(after, t.id)).toMatchObject({ state: 'queued', contextTokens: 40 });
  });

  it('fail with the reason the batch gave, and a resume is a new attempt under a new item', async () => {
    h.anthropic.setResponder(() => ({ type: 'error', status: 400, message: 'messages: text content blocks must be non-empty' }));
    const s = side(h.core);
    const t = dispatch(s);
    await s.deferred.tick();
    await s.batches.tick();
    clock.t += BATCH_DELAY_MS;
    expect(await s.batches.tick()).toMatchObject({ failed: 1 });
    await s.deferred.tick();
    expect(task(s, t.id)).toMatchObject({ state: 'failed', error: 'invalid_request_error: messages: text content blocks must be non-empty', result: null });
    expect(ledgerRows(s.core)[0]).toMatchObject({ task_id: t.id, status: 'error', cost_micros: 0 });

    h.anthropic.setResponder(() => ({ type: 'message', text: 'second time lucky' }));
    const resumed = controlStoredTask(s.store, t.id, 'resume', { heldElsewhere: () => false, now: () => clock.t });
    expect(resumed.ok).toBe(true);
    expect(task(s, t.id)).toMatchObject({ state: 'queued', batchItem: null, error: null });
    await s.deferred.tick();
    expect(task(s, t.id).batchItem).toBe(`${t.id}-2`);
    await s.batches.tick();
    clock.t += BATCH_DELAY_MS;
    await s.batches.tick();
    await s.deferred.tick();
    expect(task(s, t.id)).toMatchObject({ state: 'done', result: 'second time lucky' });
    expect(s.batches.list().map((i) => [i.id, i.state])).toEqual([[`${t.id}-2`, 'done'], [t.id, 'failed']]);
  });

  it('cancel while waiting (nothing is submitted or billed), refuse to cancel once in a batch, never pause', async () => {
    const s = side(h.core);
    const control = (id: string, action: 'pause' | 'cancel') => controlStoredTask(s.store, id, action, { heldElsewhere: () => false, now: () => clock.t });
    const waiting = dispatch(s);
    await s.deferred.tick();
    expect(control(waiting.id, 'pause')).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/does not pause/) } });
    expect(control(waiting.id, 'cancel').ok).toBe(true);
    expect(task(s, waiting.id).state).toBe('cancelled');
    expect(s.batches.find(waiting.id)?.state).toBe('cancelled');

    const sent = dispatch(s, { prompt: 'Summarise the README' });
    await s.deferred.tick();
    expect(await s.batches.tick()).toMatchObject({ submitted: 1 });
    expect(batchCreates(h)).toEqual([[expect.objectContaining({ custom_id: sent.id })]]);
    // Still "queued" in the task row until the next round: the queue item decides, atomically.
    expect(control(sent.id, 'cancel')).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/already in a batch at Anthropic \(msgbatch_\w+\); .*within 24 h/) } });
    await s.deferred.tick();
    expect(task(s, sent.id).state).toBe('running');
  });

  it('queue nothing for a task cancelled while its brief is built', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = side(h.core, { brief: async () => (await gate, { text: BRIEF, tokens: 40, files: [] }) });
    const t = dispatch(s);
    const round = s.deferred.tick();
    await new Promise((r) => setImmediate(r));
    expect(controlStoredTask(s.store, t.id, 'cancel', { heldElsewhere: () => false, now: () => clock.t }).ok).toBe(true);
    release();
    await round;
    expect(s.batches.list()).toEqual([]);
    expect(task(s, t.id).state).toBe('cancelled');
  });

  it('are refused on a local model, and go to the fast tier when the words alone would pick local', () => {
    const s = side(h.core);
    s.core.settings.update({ routing: { tiers: { local: 'qwen3-coder:30b', fast: 'claude-haiku-5-5', strong: 'claude-sonnet-5-5' } } });
    const bad = enqueueTask(s.store, s.core.settings.get().routing, { prompt: 'Rename foo to bar', project, deferrable: true, tier: 'local' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/not on a local model/) } });
    const inPlace = enqueueTask(s.store, s.core.settings.get().routing, { prompt: 'Rename foo to bar', project, deferrable: true, inPlace: true });
    expect(inPlace).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const auto = dispatch(s, { prompt: 'Rename the variable foo to bar in src/a.ts' });
    expect(auto).toMatchObject({ tier: 'fast', model: 'claude-haiku-5-5', routeReason: expect.stringMatching(/\(batches run at Anthropic, not locally\)$/) });
  });
});

describe('sluice answer', () => {
  const cli = (dataDir: string, args: string[]): Promise<CliResult> => runSluice({ dataDir, args });

  it('prints the whole answer once the batch is settled, and says why there is none before', async () => {
    const answer = 'line one\n'.repeat(200);
    h.anthropic.setResponder(() => ({ type: 'message', text: answer }));
    const s = side(h.core);
    const t = dispatch(s);
    await s.deferred.tick();
    const early = await cli(h.dataDir, ['answer', t.id]);
    expect(early).toMatchObject({ code: 1, out: '' });
    expect(early.err).toBe(`sluice answer: ${t.id} is queued (waiting to be submitted); no answer yet.\n`);

    await s.batches.tick();
    clock.t += BATCH_DELAY_MS;
    await s.batches.tick();
    await s.deferred.tick();
    const r = await cli(h.dataDir, ['answer', t.id.slice(0, 6)]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(answer);
    expect(r.err).toMatch(/\(batch\), \$\d+\.\d+/);
    expect(JSON.parse((await cli(h.dataDir, ['answer', t.id, '--json'])).out)).toEqual({ id: t.id, state: 'done', text: answer });
    const ps = await cli(h.dataDir, ['ps', t.id]);
    expect(ps.out).toContain('Batch:    deferrable');
    expect(ps.out).toContain(`(all of it: \`sluice answer ${t.id}\`)`);
  });
});
