import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCoreApi } from '../../../electron/core/api/core-api';
import type { RunnerPort } from '../../../electron/core/api/runner-port';
import { err, ok, type CoreEvent, type DispatchInput, type SluiceApi, type TaskRow } from '../../../shared/contract';
import { startHarness, type Harness } from '../../support/harness';
import { startFakeOllama } from '../../fakes/ollama';
import { createCore } from '../../../electron/core/services';

let h: Harness;
let api: SluiceApi;
let events: CoreEvent[];

beforeAll(async () => {
  h = await startHarness({ ollama: { pull: { layers: 2, bytesPerLayer: 2_000_000, stepDelayMs: 5 } } });
  api = createCoreApi(h.core);
  h.core.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  events = [];
  h.anthropic.reset();
});

async function request(o: { input: number; cacheRead?: number; output?: number; model?: string }): Promise<void> {
  h.anthropic.enqueue({ type: 'message', text: 'ok', usage: { input_tokens: o.input, output_tokens: o.output ?? 10, cache_read_input_tokens: o.cacheRead ?? 0 } });
  await h.client().messages.create({ model: o.model ?? 'claude-sonnet-4-6', max_tokens: 4096, messages: [{ role: 'user', content: 'hi' }] });
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.message}`);
  return r.value;
}

describe('the core API over a real core', () => {
  it('reports the overview from the ledger: budget, agents, savings with their assumptions', async () => {
    await request({ input: 10_000, cacheRead: 90_000 });
    const o = value(await api.getOverview());
    const sums = h.core.queries.savings(o.budget.day);
    expect(o.budget.spentMicros).toBe(h.core.enforcer.status().spentMicros);
    expect(o.savings).toMatchObject({ actualMicros: sums.actual, baselineMicros: sums.baseline, savedMicros: sums.baseline - sums.actual });
    // Cache reads are billed at a tenth, the baseline bills them in full: a real saving.
    expect(o.savings.savedMicros).toBeGreaterThan(0);
    expect(o.savings.baselineModel).toBe(h.core.settings.get().routing.tiers.strong);
    expect(o.savings.assumptions.join(' ')).toContain('as if nothing were cached');
    expect(o.agents.find((a) => a.name === 'alice')?.requestsToday).toBeGreaterThan(0);
    expect(o.tasks).toEqual([]);
  });

  it('serves the spend report and the requests behind a bar', async () => {
    await request({ input: 2_000 });
    const report = value(await api.getSpend());
    expect(report.byModel.map((p) => p.key)).toContain('claude-sonnet-4-6');
    const hour = report.byHour.find((p) => p.requests > 0);
    expect(hour).toBeDefined();
    const rows = value(await api.listRequests({ day: report.day, hour: Number(hour?.key), model: 'claude-sonnet-4-6' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.modelUsed === 'claude-sonnet-4-6' && r.agent === 'alice')).toBe(true);
  });

  it('refuses malformed input with bad_input and never reaches the core', async () => {
    for (const r of [
      await api.listRequests({ hour: 24 }),
      await api.listRequests({ day: '28/11/2026' }),
      await api.setAgentCap({ name: 'alice', dailyCapUsd: -1 }),
      await api.pullModel({ name: 'rm -rf /' }),
      await api.getSpend({ month: '2026-13' }),
      // Inputs arrive from a socket: wrong shapes must be caught at run time, whatever the types say.
      await api.updateSettings(JSON.parse('{"dailyBudgetUsd":"ten"}')),
      await api.updateSettings(JSON.parse('{"secret":1}')),
      await api.controlTask(JSON.parse('{"id":"t1","action":"explode"}')),
    ]) {
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    expect(h.ollama.requests.filter((r) => r.path === '/api/pull')).toEqual([]);
  });

  it('applies settings, refuses out-of-range values with the reason, and tells listeners', async () => {
    const s = value(await api.updateSettings({ dailyBudgetUsd: 12.5, thresholds: [90, 50] }));
    expect(s).toMatchObject({ dailyBudgetUsd: 12.5, thresholds: [50, 90], hasApiKey: true });
    expect(events.map((e) => e.type)).toEqual(['settings', 'budget']);
    expect(value(await api.getOverview()).budget.limitMicros).toBe(12_500_000);
    const bad = await api.updateSettings({ dailyBudgetUsd: 2_000_000 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    await api.updateSettings({ dailyBudgetUsd: null, thresholds: [50, 80, 95, 100] });
  });

  it('accepts only an installed Ollama model for the local tier', async () => {
    await h.core.localModels.refresh();
    const installed = h.core.localModels.get()?.[0]?.name;
    expect(installed).toBeTruthy();
    const tiers = h.core.settings.get().routing.tiers;
    const bad = await api.updateSettings({ routing: { tiers: { ...tiers, local: 'no-such-model:7b' } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringContaining('no-such-model:7b is not installed in Ollama') } });
    expect(value(await api.updateSettings({ routing: { tiers: { ...tiers, local: installed as string } } })).routing.tiers.local).toBe(installed);
    await api.updateSettings({ routing: { tiers } });
  });

  it('sets an agent’s cap, and says when the agent does not exist', async () => {
    const row = value(await api.setAgentCap({ name: 'alice', dailyCapUsd: 3 }));
    expect(row).toMatchObject({ name: 'alice', dailyCapMicros: 3_000_000 });
    expect(events).toContainEqual({ type: 'agents-changed' });
    expect(await api.setAgentCap({ name: 'nobody', dailyCapUsd: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await api.setAgentCap({ name: 'alice', dailyCapUsd: null });
  });

  it('lists local models and the loaded ones', async () => {
    const m = value(await api.listLocalModels());
    expect(m.installed.map((x) => x.name)).toEqual(['llama3.2:3b', 'qwen2.5-coder:7b']);
    expect(m.installed.find((x) => x.name === 'qwen2.5-coder:7b')?.tooSmallForAgents).toBe(true);
    expect(value(await api.getOllamaStatus())).toMatchObject({ running: true, version: '0.13.0' });
  });

  it('pulls a model with progress events under its pull id, then announces the new model list', async () => {
    const { pullId } = value(await api.pullModel({ name: 'phi4:14b' }));
    await waitFor(() => events.some((e) => e.type === 'models-changed'));
    const progress = events.flatMap((e) => (e.type === 'pull' ? [e.progress] : []));
    expect(progress.every((p) => p.pullId === pullId)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ state: 'done', model: 'phi4:14b' });
    expect(progress.at(-1)?.layers).toHaveLength(2);
    expect(progress.some((p) => p.state === 'running' && p.completedBytes > 0 && p.completedBytes < p.totalBytes)).toBe(true);
  });

  it('cancels a running pull', async () => {
    const slow = await startFakeOllama({ pull: { layers: 3, bytesPerLayer: 1_000_000, stepDelayMs: 200 } });
    const core = createCore({ config: { ...h.core.config, ollamaHost: slow.url }, env: {}, ledgerPath: ':memory:', defaultTimeZone: 'UTC' });
    const seen: CoreEvent[] = [];
    core.events.subscribe((e) => seen.push(e));
    const local = createCoreApi(core);
    try {
      const { pullId } = value(await local.pullModel({ name: 'big:70b' }));
      // A second click while it runs joins the same pull.
      expect(value(await local.pullModel({ name: 'big:70b' })).pullId).toBe(pullId);
      await waitFor(() => seen.some((e) => e.type === 'pull' && e.progress.status.startsWith('pulling ')));
      expect(value(await local.cancelPull({ pullId }))).toEqual({ cancelled: true });
      await waitFor(() => seen.some((e) => e.type === 'pull' && e.progress.state === 'cancelled'));
      expect(value(await local.cancelPull({ pullId }))).toEqual({ cancelled: false });
    } finally {
      core.close();
      await slow.close();
    }
  });

  it('deletes a model once, then reports it gone', async () => {
    expect(value(await api.deleteModel({ name: 'llama3.2:3b' }))).toEqual({ deleted: true });
    expect(events).toContainEqual({ type: 'models-changed' });
    expect(value(await api.deleteModel({ name: 'llama3.2:3b' }))).toEqual({ deleted: false });
    expect(value(await api.listLocalModels()).installed.map((m) => m.name)).not.toContain('llama3.2:3b');
  });

  it('reports Ollama down as a status with a hint, and model calls as unavailable', async () => {
    const core = createCore({ config: { ...h.core.config, ollamaHost: 'http://127.0.0.1:9' }, env: {}, ledgerPath: ':memory:', defaultTimeZone: 'UTC' });
    try {
      const local = createCoreApi(core);
      const status = value(await local.getOllamaStatus());
      expect(status.running).toBe(false);
      expect(status.hint).toContain('ollama serve');
      expect(await local.listLocalModels()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    } finally {
      core.close();
    }
  });

  it('keeps the API key write-only', async () => {
    const core = createCore({ config: h.core.config, env: {}, ledgerPath: ':memory:', defaultTimeZone: 'UTC', secrets: memorySecrets() });
    try {
      const local = createCoreApi(core);
      expect(value(await local.getSettings()).hasApiKey).toBe(false);
      expect(value(await local.setApiKey({ key: '  sk-ant-api03-abc  ' }))).toEqual({ hasApiKey: true });
      expect(core.apiKey()).toBe('sk-ant-api03-abc');
      expect(JSON.stringify(await local.getSettings())).not.toContain('sk-ant-api03-abc');
      expect(await local.setApiKey({ key: 'sk-ant with space' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
      expect(value(await local.setApiKey({ key: null }))).toEqual({ hasApiKey: false });
    } finally {
      core.close();
    }
  });

  it('answers task calls as unavailable when the host runs no agent runner', async () => {
    const input: DispatchInput = { prompt: 'fix it', project: '/tmp/repo' };
    for (const r of [await api.dispatchTask(input), await api.previewDispatch(input), await api.controlTask({ id: 't1', action: 'pause' }), await api.pauseAll(), await api.recentProjects()]) {
      expect(r).toEqual(err('unavailable', 'The agent runner is not running in this host.'));
    }
  });

  it('hands validated task calls to the runner and lists its tasks in the overview', async () => {
    const received: unknown[] = [];
    const row = { id: 't1', state: 'queued' } as const;
    const runner: RunnerPort = {
      dispatch: async (i) => (received.push(['dispatch', i]), ok(taskRow(row))),
      control: async (id, action) => (received.push(['control', id, action]), ok(taskRow({ ...row, state: 'paused' }))),
      finish: async (id, action) => (received.push(['finish', id, action]), ok(taskRow({ ...row, state: 'done' }))),
      preview: async (i) => (received.push(['preview', i]), ok({ tier: 'fast', model: 'claude-haiku-4-5', reason: 'small task', estimatedCostMicros: { low: 1, high: 2 }, contextTokens: 10 })),
      retry: async () => err('unavailable', 'x'),
      answer: async () => err('unavailable', 'x'),
      pauseAll: async () => ok({ paused: 1 }),
      recentProjects: async () => ['/tmp/repo'],
      list: () => [taskRow(row)],
    };
    const withRunner = createCoreApi(h.core, { runner });
    expect(value(await withRunner.dispatchTask({ prompt: 'fix it', project: '/tmp/repo', priority: 'high' })).id).toBe('t1');
    expect(await withRunner.dispatchTask(JSON.parse('{"prompt":"","project":"/tmp"}'))).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(value(await withRunner.controlTask({ id: 't1', action: 'pause' })).state).toBe('paused');
    expect(value(await withRunner.recentProjects())).toEqual(['/tmp/repo']);
    expect(value(await withRunner.getOverview()).tasks.map((t) => t.id)).toEqual(['t1']);
    expect(received).toEqual([
      ['dispatch', { prompt: 'fix it', project: '/tmp/repo', priority: 'high' }],
      ['control', 't1', 'pause'],
    ]);
  });

  it('merges through the runner and records the user\'s verdict on a finished task as a routing outcome', async () => {
    const done = taskRow({ id: 't9', state: 'done', tier: 'fast', prompt: 'Rename the config loader' });
    const finished: unknown[] = [];
    const runner: RunnerPort = {
      dispatch: async () => err('unavailable', 'x'),
      control: async () => err('unavailable', 'x'),
      finish: async (id, action) => (finished.push([id, action]), ok(done)),
      preview: async () => err('unavailable', 'x'),
      retry: async () => err('unavailable', 'x'),
      answer: async () => err('unavailable', 'x'),
      pauseAll: async () => ok({ paused: 0 }),
      recentProjects: async () => [],
      list: () => [done, taskRow({ id: 't10', state: 'running', tier: 'strong' })],
    };
    const withRunner = createCoreApi(h.core, { runner });
    expect(value(await withRunner.finishTask({ id: 't9', action: 'merge' })).id).toBe('t9');
    expect(finished).toEqual([['t9', 'merge']]);
    const before = h.core.outcomes.count();
    expect(value(await withRunner.rateTask({ id: 't9', good: false }))).toEqual({ recorded: true });
    expect(h.core.outcomes.count()).toBe(before + 1);
    expect(await withRunner.rateTask({ id: 't10', good: true })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await withRunner.rateTask({ id: 'nope', good: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await withRunner.finishTask(JSON.parse('{"id":"t9","action":"explode"}'))).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('turns a runner that throws into an internal error instead of a crash', async () => {
    const runner: RunnerPort = {
      dispatch: async () => {
        throw new Error('worktree locked');
      },
      control: async () => err('not_found', 'No task.'),
      finish: async () => err('not_found', 'No task.'),
      preview: async () => err('unavailable', 'x'),
      retry: async () => err('unavailable', 'x'),
      answer: async () => err('unavailable', 'x'),
      pauseAll: async () => ok({ paused: 0 }),
      recentProjects: async () => [],
      list: () => [],
    };
    expect(await createCoreApi(h.core, { runner }).dispatchTask({ prompt: 'x', project: '/tmp' })).toEqual(err('internal', 'Sluice could not complete dispatchTask: worktree locked'));
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function memorySecrets() {
  let key: string | null = null;
  return { getApiKey: () => key, setApiKey: (k: string | null) => void (key = k === null ? null : k.trim()) };
}

function taskRow(o: Partial<TaskRow> & { id: string }): TaskRow {
  return {
    prompt: 'fix it', project: '/tmp/repo', state: 'queued', pausedReason: null, priority: 'normal', tier: null, model: null, routeReason: null, currentStep: null, turns: 0,
    tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, costMicros: 0, capMicros: null, createdAt: '2026-11-28T00:00:00.000Z', startedAt: null,
    finishedAt: null, elapsedMs: 0, error: null, branch: null, contextTokens: null, ...o,
  };
}
