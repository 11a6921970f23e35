import type { AgentRow, CoreEvent, Overview, PullProgress, SpendReport, TaskRow } from '../../../shared/contract';
import type { AppState, ModelList } from './store';

/** Everything that changes the popover without the user asking: core events and the reloads they cause. */
export type LiveUpdate =
  | { kind: 'event'; event: CoreEvent }
  | { kind: 'overview'; overview: Overview }
  | { kind: 'spend'; spend: SpendReport }
  | { kind: 'models'; models: ModelList }
  | { kind: 'agent'; agent: AgentRow };

/** Finished tasks stay in the list this long, so "done" is seen before the row goes. */
const KEEP_FINISHED = 200;

/** One live update folded into the state: pure, so a batch is a reduce and tests need no store. */
export function applyLiveUpdate(s: AppState, u: LiveUpdate, now: number): Partial<AppState> {
  switch (u.kind) {
    case 'overview':
      return { overview: { data: u.overview, loading: s.overview.loading, error: null }, taskSeenAt: seenAll(u.overview.tasks, now) };
    case 'spend':
      return { spend: { data: u.spend, loading: s.spend.loading, error: null } };
    case 'models':
      return { models: { data: u.models, loading: s.models.loading, error: null } };
    case 'agent':
      return withOverview(s, (o) => ({ ...o, agents: o.agents.map((a) => (a.name === u.agent.name ? u.agent : a)) }));
    case 'event':
      return applyEvent(s, u.event, now);
  }
}

function applyEvent(s: AppState, e: CoreEvent, now: number): Partial<AppState> {
  switch (e.type) {
    case 'budget':
      return withOverview(s, (o) => ({ ...o, budget: e.budget }));
    case 'threshold':
      return { ...withOverview(s, (o) => ({ ...o, budget: e.budget })), lastThreshold: { percent: e.percent, day: e.budget.day } };
    case 'request': {
      // The agent's spend moves now; the overview reload that follows brings savings and the rest.
      const r = e.request;
      if (!r.agent || r.status === 'rejected') return {};
      return withOverview(s, (o) => ({
        ...o,
        agents: o.agents.map((a) => (a.name === r.agent ? { ...a, spentTodayMicros: a.spentTodayMicros + r.costMicros, requestsToday: a.requestsToday + 1, lastSeen: r.at } : a)),
      }));
    }
    case 'task':
      return { ...withOverview(s, (o) => ({ ...o, tasks: upsertTask(o.tasks, e.task) })), taskSeenAt: { ...s.taskSeenAt, [e.task.id]: now } };
    case 'pull':
      return { pulls: upsertPull(s.pulls, e.progress) };
    case 'settings':
      return { settings: { ...s.settings, data: e.settings } };
    case 'cache-broken':
      return { cacheBreaks: [{ session: e.session, agent: e.agent, model: e.model, lostTokens: e.lostTokens, message: e.message, at: now }, ...s.cacheBreaks].slice(0, 3) };
    case 'models-changed':
    case 'agents-changed':
      return {};
    default:
      return unknownEvent(e);
  }
}

/** A new event type in the contract fails to compile here until the popover decides what it does. */
function unknownEvent(e: never): Partial<AppState> {
  void e;
  return {};
}

function withOverview(s: AppState, f: (o: Overview) => Overview): Partial<AppState> {
  return s.overview.data ? { overview: { ...s.overview, data: f(s.overview.data) } } : {};
}

function upsertTask(tasks: TaskRow[], t: TaskRow): TaskRow[] {
  const i = tasks.findIndex((x) => x.id === t.id);
  if (i === -1) return [...tasks, t].slice(-KEEP_FINISHED);
  const next = tasks.slice();
  next[i] = t;
  return next;
}

function upsertPull(pulls: PullProgress[], p: PullProgress): PullProgress[] {
  const i = pulls.findIndex((x) => x.pullId === p.pullId);
  if (i === -1) return [...pulls, p];
  const next = pulls.slice();
  next[i] = p;
  return next;
}

function seenAll(tasks: TaskRow[], now: number): Record<string, number> {
  return Object.fromEntries(tasks.map((t) => [t.id, now]));
}
