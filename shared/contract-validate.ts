/**
 * Runtime checks for every call's input. Inputs arrive from a renderer or a socket, so their static
 * types are a hope until these pass. Pure: no I/O, usable by the host, main's IPC handlers and tests.
 * Structure is checked here; meaning that needs state (a known agent, a sane budget) is checked by
 * whoever holds that state (settings rules live in `settings.ts`).
 */
import { CALL_NAMES, err, ok, type CallInput, type CallName, type DispatchInput, type Priority, type RequestFilter, type Result, type RoutingRules, type SettingsPatch, type TaskAction, type FinishAction, type Tier, type WireCall } from './contract';

class Invalid extends Error {}

type Rec = Record<string, unknown>;

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function rec(x: unknown, what: string, keys: readonly string[]): Rec {
  if (!isRec(x)) throw new Invalid(`${what} must be an object.`);
  const extra = Object.keys(x).filter((k) => !keys.includes(k));
  if (extra.length) throw new Invalid(`${what} has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}.`);
  return x;
}

function none(x: unknown): void {
  if (x === undefined || x === null || (isRec(x) && Object.keys(x).length === 0)) return;
  throw new Invalid('This call takes no input.');
}

function text(x: unknown, what: string, max: number): string {
  if (typeof x !== 'string' || x.trim() === '') throw new Invalid(`${what} must be non-empty text.`);
  if (x.length > max) throw new Invalid(`${what} is too long (at most ${max} characters).`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(x)) throw new Invalid(`${what} contains control characters.`);
  return x;
}

function matching(x: unknown, what: string, re: RegExp, example: string): string {
  if (typeof x !== 'string' || !re.test(x)) throw new Invalid(`${what} must look like ${example}.`);
  return x;
}

function int(x: unknown, what: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) throw new Invalid(`${what} must be a whole number from ${min} to ${max}.`);
  return x;
}

function num(x: unknown, what: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max) throw new Invalid(`${what} must be a number from ${min} to ${max}.`);
  return x;
}

function oneOf<T extends string>(x: unknown, what: string, values: readonly T[]): T {
  const found = values.find((v) => v === x);
  if (found === undefined) throw new Invalid(`${what} must be one of ${values.join(', ')}.`);
  return found;
}

function bool(x: unknown, what: string): boolean {
  if (typeof x !== 'boolean') throw new Invalid(`${what} must be true or false.`);
  return x;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const AGENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Ollama names: [host/][namespace/]model[:tag]. */
const OLLAMA_MODEL = /^[A-Za-z0-9][A-Za-z0-9._\-/:]{0,199}$/;
const ID = /^[A-Za-z0-9._:-]{1,100}$/;
const TIERS: readonly Tier[] = ['local', 'fast', 'strong'];
const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low'];
const ACTIONS: readonly TaskAction[] = ['pause', 'resume', 'cancel'];

function month(x: unknown): { month?: string } | void {
  if (x === undefined || x === null) return undefined;
  const o = rec(x, 'The spend query', ['month']);
  return o.month === undefined ? {} : { month: matching(o.month, 'month', MONTH, '2026-11') };
}

function requestFilter(x: unknown): RequestFilter {
  const o = rec(x ?? {}, 'The request filter', ['day', 'hour', 'month', 'model', 'agent', 'session', 'limit']);
  const f: RequestFilter = {};
  if (o.day !== undefined) f.day = matching(o.day, 'day', DAY, '2026-11-28');
  if (o.hour !== undefined) f.hour = int(o.hour, 'hour', 0, 23);
  if (o.month !== undefined) f.month = matching(o.month, 'month', MONTH, '2026-11');
  if (o.model !== undefined) f.model = text(o.model, 'model', 200);
  if (o.agent !== undefined) f.agent = text(o.agent, 'agent', 64);
  if (o.session !== undefined) f.session = text(o.session, 'session', 200);
  if (o.limit !== undefined) f.limit = int(o.limit, 'limit', 1, 1000);
  return f;
}

function agentCap(x: unknown): CallInput<'setAgentCap'> {
  const o = rec(x, 'The agent cap', ['name', 'dailyCapUsd']);
  return {
    name: matching(o.name, 'The agent name', AGENT, 'claude-1 (letters, digits, ".", "_" or "-")'),
    dailyCapUsd: o.dailyCapUsd === null ? null : num(o.dailyCapUsd, 'The daily cap in dollars', 0, 1_000_000),
  };
}

function routing(x: unknown): Partial<RoutingRules> {
  const o = rec(x, 'Routing rules', ['aliases', 'agentRules', 'background', 'tiers', 'downgradeTo', 'overloadFallback', 'responseCacheSeconds', 'sharePrefix', 'projects']);
  const r: Partial<RoutingRules> = {};
  if (o.aliases !== undefined) {
    if (!isRec(o.aliases)) throw new Invalid('Model aliases must map a model name to another.');
    const aliases: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.aliases)) aliases[text(k, 'An alias', 200)] = text(v, `The model for alias "${k}"`, 200);
    r.aliases = aliases;
  }
  if (o.agentRules !== undefined) {
    if (!Array.isArray(o.agentRules) || o.agentRules.length > 200) throw new Invalid('Agent rules must be a list (at most 200).');
    r.agentRules = o.agentRules.map((item: unknown) => {
      const a = rec(item, 'An agent rule', ['agent', 'model']);
      return { agent: text(a.agent, 'The rule\'s agent', 64), model: text(a.model, 'The rule\'s model', 200) };
    });
  }
  if (o.background !== undefined) {
    const b = rec(o.background, 'Background routing', ['enabled', 'maxTokens', 'tier']);
    r.background = {
      enabled: bool(b.enabled, 'Background routing\'s enabled'),
      maxTokens: int(b.maxTokens, 'Background routing\'s max tokens', 1, 1_000_000),
      tier: oneOf(b.tier, 'Background routing\'s tier', ['local', 'fast'] as const),
    };
  }
  if (o.tiers !== undefined) {
    const t = rec(o.tiers, 'Tiers', ['local', 'fast', 'strong']);
    r.tiers = {
      local: t.local === null || t.local === undefined ? null : text(t.local, 'The local model', 200),
      fast: text(t.fast, 'The fast model', 200),
      strong: text(t.strong, 'The strong model', 200),
    };
  }
  if (o.downgradeTo !== undefined) r.downgradeTo = oneOf(o.downgradeTo, 'downgradeTo', ['local', 'fast'] as const);
  if (o.overloadFallback !== undefined) r.overloadFallback = o.overloadFallback === null ? null : text(o.overloadFallback, 'The overload fallback model', 200);
  if (o.responseCacheSeconds !== undefined) r.responseCacheSeconds = int(o.responseCacheSeconds, 'The response cache time in seconds', 0, 86_400);
  if (o.sharePrefix !== undefined) r.sharePrefix = bool(o.sharePrefix, 'Sharing the tools prefix');
  if (o.projects !== undefined) {
    if (!isRec(o.projects) || Object.keys(o.projects).length > 500) throw new Invalid('Project tiers must map a project folder to { tier } (at most 500).');
    const projects: Record<string, { tier: Tier }> = {};
    for (const [k, v] of Object.entries(o.projects)) projects[text(k, 'A project folder', 4096)] = { tier: oneOf(rec(v, `The routing of ${k}`, ['tier']).tier, `The tier of ${k}`, TIERS) };
    r.projects = projects;
  }
  return r;
}

function settingsPatch(x: unknown): SettingsPatch {
  const o = rec(x, 'The settings change', ['dailyBudgetUsd', 'dailyTokenLimit', 'thresholds', 'policy', 'timeZone', 'offPeak', 'concurrency', 'hotkey', 'routing']);
  const p: SettingsPatch = {};
  if (o.dailyBudgetUsd !== undefined) p.dailyBudgetUsd = o.dailyBudgetUsd === null ? null : num(o.dailyBudgetUsd, 'The daily budget', 0, 1_000_000);
  if (o.dailyTokenLimit !== undefined) p.dailyTokenLimit = o.dailyTokenLimit === null ? null : int(o.dailyTokenLimit, 'The daily token limit', 1, Number.MAX_SAFE_INTEGER);
  if (o.thresholds !== undefined) {
    if (!Array.isArray(o.thresholds) || o.thresholds.length === 0 || o.thresholds.length > 10) throw new Invalid('Thresholds must be a list of 1–10 percentages.');
    p.thresholds = o.thresholds.map((t: unknown) => num(t, 'A threshold', 1, 100));
  }
  if (o.policy !== undefined) p.policy = oneOf(o.policy, 'The policy', ['queue', 'downgrade', 'reject'] as const);
  if (o.timeZone !== undefined) p.timeZone = text(o.timeZone, 'The time zone', 64);
  if (o.offPeak !== undefined) {
    if (o.offPeak === null) p.offPeak = null;
    else {
      const w = rec(o.offPeak, 'The off-peak window', ['start', 'end']);
      const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
      p.offPeak = { start: matching(w.start, 'The off-peak start', hhmm, '22:00'), end: matching(w.end, 'The off-peak end', hhmm, '07:00') };
    }
  }
  if (o.concurrency !== undefined) p.concurrency = int(o.concurrency, 'Concurrency', 1, 64);
  if (o.hotkey !== undefined) p.hotkey = text(o.hotkey, 'The hotkey', 64);
  if (o.routing !== undefined) p.routing = routing(o.routing);
  return p;
}

function apiKey(x: unknown): CallInput<'setApiKey'> {
  const o = rec(x, 'The API key change', ['key']);
  if (o.key === null) return { key: null };
  const key = text(o.key, 'The API key', 512).trim();
  if (/\s/.test(key)) throw new Invalid('The API key must not contain spaces.');
  return { key };
}

function modelName(x: unknown, what: string): { name: string } {
  const o = rec(x, what, ['name']);
  return { name: matching(o.name, 'The model name', OLLAMA_MODEL, 'llama3.2:3b or qwen3-coder:30b') };
}

function dispatch(x: unknown): DispatchInput {
  const o = rec(x, 'The task', ['prompt', 'project', 'model', 'tier', 'capUsd', 'priority', 'deferrable']);
  const d: DispatchInput = { prompt: text(o.prompt, 'The task', 100_000), project: text(o.project, 'The project folder', 4096) };
  if (o.model !== undefined) d.model = text(o.model, 'The model', 200);
  if (o.tier !== undefined) d.tier = oneOf(o.tier, 'The tier', TIERS);
  if (o.capUsd !== undefined) d.capUsd = num(o.capUsd, 'The task\'s cap in dollars', 0.000001, 1_000_000);
  if (o.priority !== undefined) d.priority = oneOf(o.priority, 'The priority', PRIORITIES);
  if (o.deferrable !== undefined) d.deferrable = bool(o.deferrable, 'Deferrable');
  if (d.deferrable && d.tier === 'local') throw new Invalid('A deferrable task runs in an Anthropic message batch: the local tier cannot take it.');
  return d;
}

function taskControl(x: unknown): CallInput<'controlTask'> {
  const o = rec(x, 'The task action', ['id', 'action']);
  return { id: matching(o.id, 'The task id', ID, 'a task id'), action: oneOf(o.action, 'The action', ACTIONS) };
}

const FINISH: readonly FinishAction[] = ['merge', 'discard'];

function taskFinish(x: unknown): CallInput<'finishTask'> {
  const o = rec(x, 'The task action', ['id', 'action']);
  return { id: matching(o.id, 'The task id', ID, 'a task id'), action: oneOf(o.action, 'The action', FINISH) };
}

function taskRating(x: unknown): CallInput<'rateTask'> {
  const o = rec(x, 'The rating', ['id', 'good']);
  return { id: matching(o.id, 'The task id', ID, 'a task id'), good: bool(o.good, 'good') };
}

function taskRetry(x: unknown): CallInput<'retryTask'> {
  const o = rec(x, 'The retry', ['id', 'tier']);
  const id = matching(o.id, 'The task id', ID, 'a task id');
  return o.tier === undefined ? { id } : { id, tier: oneOf(o.tier, 'The tier', TIERS) };
}

const VALIDATORS: { [K in CallName]: (input: unknown) => CallInput<K> } = {
  getOverview: none,
  getSpend: month,
  listRequests: requestFilter,
  listAgents: none,
  setAgentCap: agentCap,
  getSettings: none,
  updateSettings: settingsPatch,
  setApiKey: apiKey,
  getOllamaStatus: none,
  listLocalModels: none,
  pullModel: (x) => modelName(x, 'The pull'),
  cancelPull: (x) => ({ pullId: matching(rec(x, 'The cancel', ['pullId']).pullId, 'The pull id', ID, 'a pull id') }),
  deleteModel: (x) => modelName(x, 'The delete'),
  previewDispatch: dispatch,
  dispatchTask: dispatch,
  controlTask: taskControl,
  finishTask: taskFinish,
  rateTask: taskRating,
  retryTask: taskRetry,
  getTaskAnswer: (x) => ({ id: matching(rec(x, 'The task', ['id']).id, 'The task id', ID, 'a task id') }),
  pickProjectFolder: none,
  pauseAll: none,
  recentProjects: none,
};

/** The input of `call`, checked: its typed value, or a `bad_input` error a person can act on. */
export function validateInput<K extends CallName>(call: K, input: unknown): Result<CallInput<K>> {
  try {
    return ok(VALIDATORS[call](input));
  } catch (e) {
    if (e instanceof Invalid) return err('bad_input', e.message);
    throw e;
  }
}

export function isCallName(x: unknown): x is CallName {
  return CALL_NAMES.some((n) => n === x);
}

/** A browser's message on the WebSocket: `{ id, call, input? }`, or a reason it is not one. */
export function parseWireCall(x: unknown): { ok: true; value: WireCall } | { ok: false; id: number | null; message: string } {
  if (!isRec(x)) return { ok: false, id: null, message: 'A message must be a JSON object {id, call, input}.' };
  const id = typeof x.id === 'number' && Number.isSafeInteger(x.id) && x.id >= 0 ? x.id : null;
  if (id === null) return { ok: false, id: null, message: 'A message needs a numeric id.' };
  if (!isCallName(x.call)) return { ok: false, id, message: `Unknown call "${String(x.call).slice(0, 60)}".` };
  return { ok: true, value: { id, call: x.call, input: x.input } };
}
