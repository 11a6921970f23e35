import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AgentRow, CoreEvent, LoadedModel, LocalModel, OllamaStatus, Overview, PullProgress, RequestFilter, RequestRow, Result, Settings, SettingsPatch,
  SluiceClient, SpendReport, TaskAction, TaskAnswer, FinishAction, TaskRow, Tier,
} from '../../../shared/contract';
import type { ConnectionFeed, ConnectionState } from '../client/connection';
import type { Transport } from '../client/choose-client';
import { empty, loading, settled, type Remote } from './remote';
import { createBatcher, createThrottle, realScheduler, type Scheduler } from './scheduler';
import { thresholdNotice, type Notify } from './notify';
import { applyLiveUpdate, type LiveUpdate } from './live-updates';
import type { Focus } from './focus';

export type Tab = 'now' | 'spend' | 'models' | 'settings';

export interface Drill {
  title: string;
  filter: RequestFilter;
  rows: Remote<RequestRow[]>;
}

export interface ModelList {
  installed: LocalModel[];
  loaded: LoadedModel[];
}

export interface CacheBreak {
  session: string;
  agent: string | null;
  model: string;
  lostTokens: number;
  message: string;
  at: number;
}

export interface AppState {
  tab: Tab;
  transport: Transport;
  connection: ConnectionState;
  overview: Remote<Overview>;
  spend: Remote<SpendReport>;
  drill: Drill | null;
  ollama: Remote<OllamaStatus>;
  models: Remote<ModelList>;
  /** Pulls seen this session, oldest first. */
  pulls: PullProgress[];
  settings: Remote<Settings>;
  /** When each task's row arrived, so a running task's elapsed time can tick between updates. */
  taskSeenAt: Record<string, number>;
  /** The last threshold crossed while the UI was open (the in-app banner). */
  lastThreshold: { percent: number; day: string } | null;
  /** Sessions that lost their prompt cache lately (newest first, at most three). */
  cacheBreaks: CacheBreak[];
  /** Whether this host runs Sluice's own agents (learned from the first task call). */
  runner: 'unknown' | 'available' | 'unavailable';
  /** The item a notification pointed at, highlighted on Now. */
  focus: Focus | null;
}

export interface AppActions {
  setTab(tab: Tab): void;
  refreshOverview(): Promise<void>;
  refreshSpend(): Promise<void>;
  openDrill(title: string, filter: RequestFilter): Promise<void>;
  closeDrill(): void;
  refreshModels(): Promise<void>;
  pullModel(name: string): Promise<Result<{ pullId: string }>>;
  cancelPull(pullId: string): Promise<void>;
  dismissPull(pullId: string): void;
  deleteModel(name: string): Promise<Result<{ deleted: boolean }>>;
  refreshSettings(): Promise<void>;
  updateSettings(patch: SettingsPatch): Promise<Result<Settings>>;
  setApiKey(key: string | null): Promise<Result<{ hasApiKey: boolean }>>;
  setAgentCap(name: string, dailyCapUsd: number | null): Promise<Result<AgentRow>>;
  controlTask(id: string, action: TaskAction): Promise<Result<TaskRow>>;
  finishTask(id: string, action: FinishAction): Promise<Result<TaskRow>>;
  rateTask(id: string, good: boolean): Promise<Result<{ recorded: boolean }>>;
  /** The task again on a stronger tier (default strong); the new task arrives as a live row. */
  retryTask(id: string, tier?: Tier): Promise<Result<TaskRow>>;
  /** A task's answer, fetched when the user opens it (too large to travel with every task event). */
  taskAnswer(id: string): Promise<Result<TaskAnswer>>;
  pauseAll(): Promise<Result<{ paused: number }>>;
  dismissThreshold(): void;
  dismissCacheBreaks(): void;
  /** Opens Now on an item (from a notification); null clears the highlight. */
  focusOn(focus: Focus | null): void;
}

export type App = AppState & AppActions;
export type AppStore = StoreApi<App>;

export interface AppStoreDeps {
  client: SluiceClient;
  transport: Transport;
  connection?: ConnectionFeed;
  /** Browser notifications; Electron's main process notifies natively, so the popover passes none. */
  notify?: Notify;
  scheduler?: Scheduler;
  /** Least time between two live renders (ms). */
  renderIntervalMs?: number;
}

export function initialState(transport: Transport, connection: ConnectionState = 'open'): AppState {
  return {
    tab: 'now',
    transport,
    connection,
    overview: empty(),
    spend: empty(),
    drill: null,
    ollama: empty(),
    models: empty(),
    pulls: [],
    settings: empty(),
    taskSeenAt: {},
    lastThreshold: null,
    cacheBreaks: [],
    runner: 'unknown',
    focus: null,
  };
}

/**
 * The popover's state: a vanilla store (React binds to it in `store-context.tsx`). User actions
 * update it at once; everything live (core events, the reloads they trigger) goes through one
 * batcher, so however busy the agents are the popover renders at most ten times a second.
 */
export function createAppStore(deps: AppStoreDeps): AppStore & { start(): () => void } {
  const { client } = deps;
  const api = client.api;
  const scheduler = deps.scheduler ?? realScheduler;
  // Wired up inside the store's initializer (which runs synchronously below), used by start().
  let onEvent: (e: CoreEvent) => void = () => {};
  let stopLive: () => void = () => {};
  let onReconnect: () => void = () => {};
  const store = createStore<App>()((set, get) => {
    const live = createBatcher<LiveUpdate>((updates) => set((s) => updates.reduce<AppState>((acc, u) => ({ ...acc, ...applyLiveUpdate(acc, u, scheduler.now()) }), s)), scheduler, deps.renderIntervalMs ?? 100);

    const actions: AppActions = {
      setTab(tab) {
        set({ tab });
        if (tab === 'now' && !get().overview.data) void actions.refreshOverview();
        if (tab === 'spend' && (!get().spend.data || spendStale)) void actions.refreshSpend();
        if (tab === 'models') void actions.refreshModels();
        if (tab === 'settings') {
          void actions.refreshSettings();
          if (!get().overview.data) void actions.refreshOverview();
        }
      },
      async refreshOverview() {
        set((s) => ({ overview: loading(s.overview) }));
        const r = await api.getOverview();
        set((s) => ({ overview: settled(s.overview, r), ...(r.ok ? { taskSeenAt: seen(r.value.tasks) } : {}) }));
      },
      async refreshSpend() {
        spendStale = false;
        set((s) => ({ spend: loading(s.spend) }));
        const r = await api.getSpend();
        set((s) => ({ spend: settled(s.spend, r) }));
      },
      async openDrill(title, filter) {
        set({ drill: { title, filter, rows: { data: null, loading: true, error: null } } });
        const r = await api.listRequests({ limit: 200, ...filter });
        // A newer drill replaced this one while it loaded: drop the stale answer.
        if (get().drill?.filter !== filter) return;
        set((s) => (s.drill ? { drill: { ...s.drill, rows: settled(s.drill.rows, r) } } : {}));
      },
      closeDrill() {
        set({ drill: null });
      },
      async refreshModels() {
        set((s) => ({ ollama: loading(s.ollama), models: loading(s.models) }));
        const status = await api.getOllamaStatus();
        set((s) => ({ ollama: settled(s.ollama, status) }));
        if (status.ok && !status.value.running) {
          set((s) => ({ models: { data: s.models.data, loading: false, error: { code: 'unavailable', message: status.value.hint ?? 'Ollama is not running.' } } }));
          return;
        }
        const list = await api.listLocalModels();
        set((s) => ({ models: settled(s.models, list) }));
      },
      async pullModel(name) {
        const r = await api.pullModel({ name });
        if (r.ok && !get().pulls.some((p) => p.pullId === r.value.pullId)) {
          const starting: PullProgress = { pullId: r.value.pullId, model: name, status: 'starting', layers: [], completedBytes: 0, totalBytes: 0, bytesPerSecond: 0, state: 'running', error: null };
          set((s) => ({ pulls: [...s.pulls, starting] }));
        }
        return r;
      },
      async cancelPull(pullId) {
        await api.cancelPull({ pullId });
      },
      dismissPull(pullId) {
        set((s) => ({ pulls: s.pulls.filter((p) => p.pullId !== pullId) }));
      },
      async deleteModel(name) {
        const r = await api.deleteModel({ name });
        if (r.ok) {
          set((s) => (s.models.data ? { models: { ...s.models, data: { ...s.models.data, installed: s.models.data.installed.filter((m) => m.name !== name) } } } : {}));
        }
        return r;
      },
      async refreshSettings() {
        set((s) => ({ settings: loading(s.settings) }));
        const r = await api.getSettings();
        set((s) => ({ settings: settled(s.settings, r) }));
      },
      async updateSettings(patch) {
        const r = await api.updateSettings(patch);
        if (r.ok) set((s) => ({ settings: { ...s.settings, data: r.value, error: null } }));
        return r;
      },
      async setApiKey(key) {
        const r = await api.setApiKey({ key });
        if (r.ok) set((s) => (s.settings.data ? { settings: { ...s.settings, data: { ...s.settings.data, hasApiKey: r.value.hasApiKey } } } : {}));
        return r;
      },
      async setAgentCap(name, dailyCapUsd) {
        const r = await api.setAgentCap({ name, dailyCapUsd });
        if (r.ok) live.push({ kind: 'agent', agent: r.value });
        return r;
      },
      async controlTask(id, action) {
        const r = await api.controlTask({ id, action });
        if (r.ok) live.push({ kind: 'event', event: { type: 'task', task: r.value } });
        return r;
      },
      rateTask(id, good) {
        return api.rateTask({ id, good });
      },
      async retryTask(id, tier) {
        const r = await api.retryTask(tier ? { id, tier } : { id });
        if (r.ok) live.push({ kind: 'event', event: { type: 'task', task: r.value } });
        return r;
      },
      taskAnswer(id) {
        return api.getTaskAnswer({ id });
      },
      async finishTask(id, action) {
        const r = await api.finishTask({ id, action });
        if (r.ok) live.push({ kind: 'event', event: { type: 'task', task: r.value } });
        return r;
      },
      async pauseAll() {
        const r = await api.pauseAll();
        if (r.ok) overviewThrottle.request();
        return r;
      },
      dismissThreshold() {
        set({ lastThreshold: null });
      },
      dismissCacheBreaks() {
        set({ cacheBreaks: [] });
      },
      focusOn(focus) {
        if (focus && get().tab !== 'now') actions.setTab('now');
        set({ focus, drill: focus ? null : get().drill });
      },
    };

    let spendStale = false;

    const overviewThrottle = createThrottle(
      () =>
        void api.getOverview().then((r) => {
          if (r.ok) live.push({ kind: 'overview', overview: r.value });
        }),
      scheduler,
      1_000,
    );
    const spendThrottle = createThrottle(
      () =>
        void api.getSpend().then((r) => {
          if (r.ok) live.push({ kind: 'spend', spend: r.value });
        }),
      scheduler,
      1_500,
    );
    const modelsThrottle = createThrottle(
      () =>
        void api.listLocalModels().then((r) => {
          if (r.ok) live.push({ kind: 'models', models: r.value });
        }),
      scheduler,
      500,
    );

    onEvent = (e: CoreEvent) => {
      live.push({ kind: 'event', event: e });
      switch (e.type) {
        case 'threshold':
          deps.notify?.(thresholdNotice(e.percent, e.budget));
          break;
        case 'request':
        case 'agents-changed':
          overviewThrottle.request();
          if (get().tab === 'spend') spendThrottle.request();
          else spendStale = true;
          break;
        case 'models-changed':
          modelsThrottle.request();
          break;
        default:
          break;
      }
    };
    stopLive = () => {
      live.dispose();
      overviewThrottle.dispose();
      spendThrottle.dispose();
      modelsThrottle.dispose();
    };
    onReconnect = () => {
      // Events were missed while the socket was down: reload what is on screen.
      void actions.refreshOverview();
      if (get().spend.data) void actions.refreshSpend();
      if (get().tab === 'models') void actions.refreshModels();
      if (get().settings.data) void actions.refreshSettings();
    };

    return { ...initialState(deps.transport, deps.connection?.current() ?? 'open'), ...actions };
  });

  return Object.assign(store, {
    start() {
      const offEvents = client.subscribe((e) => onEvent(e));
      let lost = false;
      const offConnection =
        deps.connection?.subscribe((state) => {
          store.setState({ connection: state });
          if (state === 'open' && lost) onReconnect();
          if (state === 'reconnecting') lost = true;
          if (state === 'open') lost = false;
        }) ?? (() => {});
      void store.getState().refreshOverview();
      void client.api.recentProjects().then((r) => {
        store.setState({ runner: r.ok ? 'available' : r.error.code === 'unavailable' ? 'unavailable' : 'unknown' });
      });
      return () => {
        offEvents();
        offConnection();
        stopLive();
      };
    },
  });

  function seen(tasks: TaskRow[]): Record<string, number> {
    const at = scheduler.now();
    return Object.fromEntries(tasks.map((t) => [t.id, at]));
  }
}
