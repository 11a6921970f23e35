import { err, ok, type CallInput, type CallName, type CallOutput, type Result, type Settings, type SluiceApi } from '../../../shared/contract';
import { validateInput } from '../../../shared/contract-validate';
import { usdToMicros } from '../../../shared/money';
import { OllamaUnavailableError } from '../providers/ollama/client';
import { AgentError } from '../ledger/agent-store';
import type { Core } from '../services';
import type { RunnerPort } from './runner-port';
import { PullRegistry } from './pulls';
import { savingsEstimate } from './savings';
import { projectFolders } from './project-folders';

export interface CoreApiOptions {
  /** The agent runner, when this host runs one; without it task calls answer `unavailable`. */
  runner?: RunnerPort | null;
}

const NO_RUNNER = 'The agent runner is not running in this host.';

/**
 * The contract implemented over the core's services — the one implementation behind Electron's IPC
 * handlers and `sluice serve`'s WebSocket. Every input is validated here (it comes from a renderer or
 * a socket), and nothing throws across the boundary: failures come back as `Result` errors.
 */
export function createCoreApi(core: Core, opts: CoreApiOptions = {}): SluiceApi {
  const runner = opts.runner ?? null;
  const pulls = new PullRegistry(core.ollama, core.events, () => core.localModels.refresh(), core.log);

  function guard<K extends CallName>(call: K, handler: (input: CallInput<K>) => Promise<Result<CallOutput<K>>> | Result<CallOutput<K>>): (input: CallInput<K>) => Promise<Result<CallOutput<K>>> {
    return async (input) => {
      const checked = validateInput(call, input);
      if (!checked.ok) return checked;
      try {
        return await handler(checked.value);
      } catch (e) {
        return failure(e, call);
      }
    };
  }

  function failure(e: unknown, call: CallName): Result<never> {
    if (e instanceof OllamaUnavailableError) return err('unavailable', e.message);
    if (e instanceof AgentError) return err('bad_input', e.message);
    const message = e instanceof Error ? e.message : String(e);
    core.log.log('error', 'contract call failed', { call, error: message });
    return err('internal', `Sluice could not complete ${call}: ${message}`);
  }

  function settings(): Settings {
    return { ...core.settings.get(), hasApiKey: core.apiKey() !== null };
  }

  return {
    getOverview: guard('getOverview', () => {
      const budget = core.enforcer.status();
      const { actual, baseline } = core.queries.savings(budget.day);
      return ok({
        budget,
        savings: savingsEstimate(actual, baseline, core.settings.get().routing.tiers.strong),
        agents: core.queries.agents(budget.day),
        tasks: runner ? runner.list() : [],
        unknownModelRequests: core.queries.unknownModelRequests(budget.day),
      });
    }),

    getSpend: guard('getSpend', (input) => ok(core.queries.spendReport(input?.month))),

    listRequests: guard('listRequests', (filter) => ok(core.queries.requests(filter))),

    listAgents: guard('listAgents', () => ok(core.queries.agents())),

    setAgentCap: guard('setAgentCap', ({ name, dailyCapUsd }) => {
      const agent = core.agents.get(name);
      if (!agent || agent.revokedAt) return err('not_found', `No agent named "${name}".`);
      core.agents.setCap(name, dailyCapUsd === null ? null : usdToMicros(dailyCapUsd));
      core.events.emit({ type: 'agents-changed' });
      const row = core.queries.agents().find((a) => a.name === name);
      return row ? ok(row) : err('not_found', `No agent named "${name}".`);
    }),

    getSettings: guard('getSettings', () => ok(settings())),

    updateSettings: guard('updateSettings', (patch) => {
      // The local tier must be a model Ollama has (when we can ask it): a typo would silently send work elsewhere.
      const local = patch.routing?.tiers?.local;
      const installed = core.localModels.get();
      if (local && installed && local !== core.settings.get().routing.tiers.local && !installed.some((m) => m.name === local || m.name === `${local}:latest`)) {
        return err('bad_input', `${local} is not installed in Ollama; pull it first (Models), or pick one of: ${installed.map((m) => m.name).join(', ') || 'none installed'}.`);
      }
      const projects = patch.routing?.projects ? projectFolders(patch.routing.projects, core.settings.get().routing.projects ?? {}) : null;
      if (projects && !projects.ok) return projects;
      const r = core.settings.update(projects ? { ...patch, routing: { ...patch.routing, projects: projects.value } } : patch);
      if (!r.ok) return err('bad_input', r.message);
      const next = settings();
      core.events.emit({ type: 'settings', settings: next });
      // A new limit or threshold moves the gauge at once, not at the next request.
      core.events.emit({ type: 'budget', budget: core.enforcer.status() });
      return ok(next);
    }),

    setApiKey: guard('setApiKey', ({ key }) => {
      core.secrets.setApiKey(key);
      core.events.emit({ type: 'settings', settings: settings() });
      return ok({ hasApiKey: core.apiKey() !== null });
    }),

    getOllamaStatus: guard('getOllamaStatus', async () => ok(await core.ollama.status())),

    listLocalModels: guard('listLocalModels', async () => {
      const [installed, loaded] = await Promise.all([core.ollama.list(), core.ollama.ps()]);
      return ok({ installed, loaded });
    }),

    pullModel: guard('pullModel', ({ name }) => ok({ pullId: pulls.runningFor(name) ?? pulls.start(name) })),

    cancelPull: guard('cancelPull', ({ pullId }) => ok({ cancelled: pulls.cancel(pullId) })),

    deleteModel: guard('deleteModel', async ({ name }) => {
      if (pulls.runningFor(name)) return err('conflict', `"${name}" is still downloading; cancel the pull first.`);
      const deleted = await core.ollama.remove(name);
      if (deleted) {
        await core.localModels.refresh();
        core.events.emit({ type: 'models-changed' });
      }
      return ok({ deleted });
    }),

    previewDispatch: guard('previewDispatch', (input) => (runner ? runner.preview(input) : err('unavailable', NO_RUNNER))),

    dispatchTask: guard('dispatchTask', (input) => (runner ? runner.dispatch(input) : err('unavailable', NO_RUNNER))),

    controlTask: guard('controlTask', ({ id, action }) => (runner ? runner.control(id, action) : err('unavailable', NO_RUNNER))),

    finishTask: guard('finishTask', ({ id, action }) => (runner ? runner.finish(id, action) : err('unavailable', NO_RUNNER))),

    rateTask: guard('rateTask', ({ id, good }) => {
      const t = runner?.list().find((x) => x.id === id);
      if (!t) return err('not_found', `No recent task "${id}" to rate.`);
      if (t.state !== 'done' && t.state !== 'failed') return err('conflict', 'Rate a task once it has finished.');
      if (!t.tier) return ok({ recorded: false });
      // false when a stronger verdict (a retry on a stronger tier) already stands for this task.
      const recorded = core.outcomes.record({ prompt: t.prompt, tier: t.tier === 'strong' ? 'strong' : 'weak', succeeded: good, at: core.clock.now(), taskId: t.id, source: 'rating' });
      return ok({ recorded });
    }),

    retryTask: guard('retryTask', ({ id, tier }) => (runner ? runner.retry(id, tier) : err('unavailable', NO_RUNNER))),

    getTaskAnswer: guard('getTaskAnswer', ({ id }) => (runner ? runner.answer(id) : err('unavailable', NO_RUNNER))),

    // Only the desktop shell can show a native dialog (electron/main/shell-api.ts); a browser types the path.
    pickProjectFolder: guard('pickProjectFolder', () => err('unavailable', 'A folder picker needs the desktop app; type or paste the project path.')),

    pauseAll: guard('pauseAll', () => (runner ? runner.pauseAll() : err('unavailable', NO_RUNNER))),

    recentProjects: guard('recentProjects', async () => (runner ? ok(await runner.recentProjects()) : err('unavailable', NO_RUNNER))),
  };
}
