/**
 * The one contract between the UI and the core. Electron main's IPC handlers, the preload bridge,
 * the WebSocket host of `sluice serve` and the renderer's client are all typed from `SluiceCalls`.
 * Errors cross it as values (`Result`), never as thrown exceptions.
 */
import type { Micros } from './money';

// ── results ────────────────────────────────────────────────────────────────────────────────────
export type ErrorCode = 'bad_input' | 'not_found' | 'unavailable' | 'forbidden' | 'conflict' | 'budget_exceeded' | 'internal';
export interface ContractError {
  code: ErrorCode;
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(code: ErrorCode, message: string): Result<T> => ({ ok: false, error: { code, message } });

// ── domain shapes ──────────────────────────────────────────────────────────────────────────────
export type BudgetPolicy = 'queue' | 'downgrade' | 'reject';
export type Tier = 'local' | 'fast' | 'strong';
export type Provider = 'anthropic' | 'ollama';

export interface TokensByKind {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export interface BudgetStatus {
  /** The budget day, YYYY-MM-DD in `timeZone`. */
  day: string;
  timeZone: string;
  /** null = no daily limit set. */
  limitMicros: Micros | null;
  spentMicros: Micros;
  reservedMicros: Micros;
  tokenLimit: number | null;
  tokensToday: number;
  /** spent / limit × 100, 0 when there is no limit. */
  percent: number;
  thresholds: number[];
  /** Thresholds already crossed today. */
  crossed: number[];
  policy: BudgetPolicy;
  /** ISO-8601 UTC instant of the next reset (midnight in `timeZone`). */
  resetsAt: string;
  state: 'ok' | 'warning' | 'critical' | 'exhausted';
}

export interface SavingsEstimate {
  actualMicros: Micros;
  /** What the same tokens would have cost on `baselineModel`, with no cache and no local routing. */
  baselineMicros: Micros;
  savedMicros: Micros;
  baselineModel: string;
  /** Plain-language assumptions behind the baseline, shown to the user. */
  assumptions: string[];
}

export interface SpendPoint {
  /** Stable key for drill-down (hour "13", day "2026-11-28", model id, agent name). */
  key: string;
  label: string;
  micros: Micros;
  requests: number;
  /** For agents and projects: cache-read tokens / all prompt tokens, 0..1. */
  cacheReadShare?: number;
}

export interface SpendReport {
  day: string;
  month: string;
  byHour: SpendPoint[];
  byDay: SpendPoint[];
  byModel: SpendPoint[];
  byAgent: SpendPoint[];
  bySession: SpendPoint[];
  /** Sluice's own tasks by project folder, today. */
  byProject?: SpendPoint[];
  tokens: TokensByKind;
  /** cache-read tokens / all prompt tokens today, 0..1. */
  cacheReadShare: number;
  /** Requests today priced conservatively because their model is not in the price list. */
  unknownModelRequests: number;
}

export interface RequestFilter {
  day?: string;
  hour?: number;
  month?: string;
  model?: string;
  agent?: string;
  session?: string;
  limit?: number;
}

export interface RequestRow {
  id: number;
  at: string;
  agent: string | null;
  session: string | null;
  taskId: string | null;
  provider: Provider;
  modelRequested: string;
  modelUsed: string;
  routeReason: string;
  tokens: TokensByKind;
  costMicros: Micros;
  latencyMs: number | null;
  status: 'ok' | 'error' | 'aborted' | 'rejected';
  error: string | null;
  priceFlag: 'ok' | 'unknown_model';
  batch: boolean;
}

export interface AgentRow {
  id: number;
  name: string;
  kind: 'external' | 'task';
  spentTodayMicros: Micros;
  requestsToday: number;
  dailyCapMicros: Micros | null;
  lastSeen: string | null;
  revoked: boolean;
}

export type TaskState = 'queued' | 'starting' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
export type Priority = 'high' | 'normal' | 'low';

export interface TaskRow {
  id: string;
  prompt: string;
  project: string;
  state: TaskState;
  /** Why a task waits: 'budget' (paused by the budget), 'user', 'restart' (interrupted by a restart). */
  pausedReason: 'budget' | 'user' | 'restart' | null;
  priority: Priority;
  tier: Tier | null;
  model: string | null;
  routeReason: string | null;
  currentStep: string | null;
  turns: number;
  tokens: TokensByKind;
  costMicros: Micros;
  capMicros: Micros | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  elapsedMs: number;
  error: string | null;
  branch: string | null;
  contextTokens: number | null;
  /** The files the task's context brief named (relative to its project); null before it started. */
  contextFiles?: string[] | null;
  /** The task this one retries on a stronger tier (`retryTask`). */
  retryOf?: string | null;
  /** The latest retry of this task on a stronger tier. */
  retriedBy?: string | null;
  /**
   * Single-shot work answered by one request in a Message Batch (no worktree, no agent session). While
   * it waits: `queued` (`currentStep` says for what), `paused` for budget, `running` once in a batch.
   */
  deferrable?: boolean;
}

export interface Overview {
  budget: BudgetStatus;
  savings: SavingsEstimate;
  agents: AgentRow[];
  tasks: TaskRow[];
  /** Flagged spend today (unknown model priced conservatively), so the UI can warn. */
  unknownModelRequests: number;
}

export interface OllamaStatus {
  running: boolean;
  version: string | null;
  host: string;
  /** When not running: how to start it, in one line. */
  hint: string | null;
}

export interface LocalModel {
  name: string;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  sizeBytes: number;
  contextLength: number | null;
  capabilities: string[];
  /** Context under 64k tokens: too small for coding agents. */
  tooSmallForAgents: boolean;
}

export interface LoadedModel {
  name: string;
  sizeBytes: number;
  vramBytes: number;
  expiresAt: string | null;
  contextLength: number | null;
}

export interface PullLayer {
  digest: string;
  total: number;
  completed: number;
}

export interface PullProgress {
  pullId: string;
  model: string;
  status: string;
  layers: PullLayer[];
  completedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  error: string | null;
}

export interface RoutingRules {
  /** Model name → model name, applied before anything else ("sonnet" → "claude-sonnet-4-6"). */
  aliases: Record<string, string>;
  /** Requests of an agent go to a model. */
  agentRules: { agent: string; model: string }[];
  /** Small background calls (no tools, small max_tokens) go to a cheaper tier. */
  background: { enabled: boolean; maxTokens: number; tier: 'local' | 'fast' };
  /** Which models fill each tier. `local` is an Ollama model name or null. */
  tiers: { local: string | null; fast: string; strong: string };
  /** Where `downgrade` sends requests at the budget limit. */
  downgradeTo: 'local' | 'fast';
  /** Where a request goes when Anthropic answers 529/overloaded for its model (null = the fast tier). */
  overloadFallback?: string | null;
  /** How long an identical deterministic (temperature 0) request is answered from Sluice's cache; 0 = off. */
  responseCacheSeconds?: number;
  /**
   * Share prompt prefixes through the cache: mark the end of `tools` for every agent, and put a project prefix
   * (instruction files + folder map) first in the system prompt of Sluice's own tasks. Default on.
   */
  sharePrefix?: boolean;
  /**
   * Per-project tier for dispatched tasks that ask for no tier or model, keyed by the project's absolute
   * folder (its subfolders too; the deepest match wins). A task's own tier or model still wins.
   */
  projects?: Record<string, ProjectRouting>;
}

export interface ProjectRouting {
  tier: Tier;
}

export interface Settings {
  dailyBudgetUsd: number | null;
  dailyTokenLimit: number | null;
  thresholds: number[];
  policy: BudgetPolicy;
  timeZone: string;
  /** Off-peak window in the budget's time zone, "HH:MM". */
  offPeak: { start: string; end: string } | null;
  concurrency: number;
  hotkey: string;
  routing: RoutingRules;
  /** Read-only: whether an Anthropic API key is configured. The key itself never crosses the contract. */
  hasApiKey: boolean;
}

export type SettingsPatch = Partial<Omit<Settings, 'hasApiKey' | 'routing'>> & { routing?: Partial<RoutingRules> };

export interface AgentCapInput {
  name: string;
  dailyCapUsd: number | null;
}

export interface DispatchInput {
  prompt: string;
  project: string;
  model?: string;
  tier?: Tier;
  capUsd?: number;
  priority?: Priority;
  /**
   * Run it as one request through the Message Batches API (50 % off, answered within 24 h) instead of an
   * agent: the prompt plus the project's context brief, no tools, no worktree. Not for local models.
   */
  deferrable?: boolean;
}

/** How a deferrable task would go: the batch price and when it is submitted. */
export interface BatchPlan {
  /** The same request sent at once; `DispatchPreview.estimatedCostMicros` is the batch price, half of it. */
  syncCostMicros: { low: Micros; high: Micros };
  /** `now` when no off-peak window is set or it is open, else at the window's start. */
  submit: 'now' | 'off-peak';
  /** One line for a person: when it is submitted and when the answer comes. */
  note: string;
}

/** A task's answer text: a deferrable task's reply, or the agent's final message. */
export interface TaskAnswer {
  id: string;
  state: TaskState;
  /** null while there is none yet. */
  text: string | null;
}

export interface DispatchPreview {
  tier: Tier;
  model: string;
  reason: string;
  estimatedCostMicros: { low: Micros; high: Micros };
  contextTokens: number;
  /** Only for a deferrable task. */
  batch?: BatchPlan;
}

export type TaskAction = 'pause' | 'resume' | 'cancel';
/** What to do with a finished task's branch: merge it into the checkout, or drop it and its worktree. */
export type FinishAction = 'merge' | 'discard';

// ── calls ──────────────────────────────────────────────────────────────────────────────────────
/** Every call of the contract: its input and its output. Add a call here and every side must follow. */
export interface SluiceCalls {
  getOverview: { input: void; output: Overview };
  getSpend: { input: { month?: string } | void; output: SpendReport };
  listRequests: { input: RequestFilter; output: RequestRow[] };
  listAgents: { input: void; output: AgentRow[] };
  setAgentCap: { input: AgentCapInput; output: AgentRow };
  getSettings: { input: void; output: Settings };
  updateSettings: { input: SettingsPatch; output: Settings };
  setApiKey: { input: { key: string | null }; output: { hasApiKey: boolean } };
  getOllamaStatus: { input: void; output: OllamaStatus };
  listLocalModels: { input: void; output: { installed: LocalModel[]; loaded: LoadedModel[] } };
  pullModel: { input: { name: string }; output: { pullId: string } };
  cancelPull: { input: { pullId: string }; output: { cancelled: boolean } };
  deleteModel: { input: { name: string }; output: { deleted: boolean } };
  previewDispatch: { input: DispatchInput; output: DispatchPreview };
  dispatchTask: { input: DispatchInput; output: TaskRow };
  controlTask: { input: { id: string; action: TaskAction }; output: TaskRow };
  finishTask: { input: { id: string; action: FinishAction }; output: TaskRow };
  /** The user's verdict on a finished task: teaches the router whether its tier was enough. */
  rateTask: { input: { id: string; good: boolean }; output: { recorded: boolean } };
  /**
   * Runs a finished, failed or cancelled fast- or local-tier task again on a stronger tier (default
   * strong), linked to the original; the original counts as a failure of its tier for the router.
   */
  retryTask: { input: { id: string; tier?: Tier }; output: TaskRow };
  /** The answer of a task (kept in the ledger; too large to travel with every task event). */
  getTaskAnswer: { input: { id: string }; output: TaskAnswer };
  pauseAll: { input: void; output: { paused: number } };
  recentProjects: { input: void; output: string[] };
  /** The desktop app's folder picker (null when the user cancels); `unavailable` in a browser. */
  pickProjectFolder: { input: void; output: { path: string | null } };
}

export type CallName = keyof SluiceCalls;
export type CallInput<K extends CallName> = SluiceCalls[K]['input'];
export type CallOutput<K extends CallName> = SluiceCalls[K]['output'];

/** The API as every side sees it: one async method per call, errors as values. */
export type SluiceApi = { [K in CallName]: (input: CallInput<K>) => Promise<Result<CallOutput<K>>> };

/** The runtime list of calls, checked against `SluiceCalls` so it cannot drift. */
export const CALL_NAMES = [
  'getOverview', 'getSpend', 'listRequests', 'listAgents', 'setAgentCap', 'getSettings', 'updateSettings',
  'setApiKey', 'getOllamaStatus', 'listLocalModels', 'pullModel', 'cancelPull', 'deleteModel',
  'previewDispatch', 'dispatchTask', 'controlTask', 'finishTask', 'rateTask', 'retryTask', 'getTaskAnswer', 'pauseAll', 'recentProjects', 'pickProjectFolder',
] as const satisfies readonly CallName[];
type MissingCalls = Exclude<CallName, (typeof CALL_NAMES)[number]>;
const _allCallsListed: MissingCalls extends never ? true : MissingCalls = true;
void _allCallsListed;

// ── events ─────────────────────────────────────────────────────────────────────────────────────
export type CoreEvent =
  | { type: 'budget'; budget: BudgetStatus }
  | { type: 'threshold'; percent: number; budget: BudgetStatus }
  | { type: 'request'; request: RequestRow }
  | { type: 'task'; task: TaskRow }
  | { type: 'pull'; progress: PullProgress }
  | { type: 'models-changed' }
  | { type: 'agents-changed' }
  | { type: 'settings'; settings: Settings }
  /** A session whose prompt-cache reads suddenly dropped to zero: it is paying full price for its context again. */
  | { type: 'cache-broken'; session: string; agent: string | null; model: string; lostTokens: number; message: string };

export type CoreEventType = CoreEvent['type'];

/** The client the renderer uses, whichever transport carries it (Electron IPC or WebSocket). */
export interface SluiceClient {
  api: SluiceApi;
  subscribe(listener: (event: CoreEvent) => void): () => void;
}

/** What Electron's preload exposes as `window.sluice`: one method per call, plus the event stream. */
export type SluiceBridge = SluiceApi & { onEvent(listener: (event: CoreEvent) => void): () => void };

// ── the WebSocket wire (`sluice serve`) ──────────────────────────────────────────────────────────
/** Browser → host: one call. `input` is absent for calls that take none. */
export interface WireCall {
  id: number;
  call: CallName;
  input?: unknown;
}
/** Host → browser: the answer to a call, or a pushed event. */
export type WireMessage = { id: number; result: Result<unknown> } | { event: CoreEvent };
