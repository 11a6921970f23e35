import { syncLedger, type Db } from '../ledger/db';
import type { Priority, TaskRow, TaskState, Tier, TokensByKind } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';
import type { BudgetPause } from './budget-gate';

export type PausedReason = 'budget' | 'user' | 'restart';
export type Isolation = 'worktree' | 'in_place';
export type BranchState = 'open' | 'merged' | 'discarded';
/** `agent`: a Claude Code session in a worktree; `batch`: one request through the Message Batches API (a deferrable task). */
export type TaskMode = 'agent' | 'batch';

/** A task as the ledger holds it: the contract's TaskRow minus what is computed, plus the runner's own columns. */
export interface TaskRecord {
  id: string;
  agentId: number | null;
  prompt: string;
  project: string;
  state: TaskState;
  pausedReason: PausedReason | null;
  priority: Priority;
  tier: Tier | null;
  model: string | null;
  routeReason: string | null;
  capMicros: Micros | null;
  sessionId: string | null;
  branch: string | null;
  worktree: string | null;
  currentStep: string | null;
  turns: number;
  contextTokens: number | null;
  /** Files the context brief named, as paths relative to the project. */
  contextFiles: string[] | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  isolation: Isolation;
  repoRoot: string | null;
  baseCommit: string | null;
  branchState: BranchState | null;
  owner: string | null;
  control: 'pause' | 'cancel' | null;
  pause: BudgetPause | null;
  result: string | null;
  engineCostMicros: Micros | null;
  runMs: number;
  runStartedAt: string | null;
  /** The task this one retries on a stronger tier. */
  retryOf: string | null;
  mode: TaskMode;
  /** A deferrable task's current work_queue item (its id is also the batch `custom_id`). */
  batchItem: string | null;
}

interface DbRow {
  id: string;
  agent_id: number | null;
  prompt: string;
  project: string;
  state: TaskState;
  paused_reason: PausedReason | null;
  priority: Priority;
  tier: Tier | null;
  model: string | null;
  route_reason: string | null;
  cap_micros: number | null;
  session_id: string | null;
  branch: string | null;
  worktree: string | null;
  current_step: string | null;
  turns: number;
  context_tokens: number | null;
  context_files: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  isolation: Isolation;
  repo_root: string | null;
  base_commit: string | null;
  branch_state: BranchState | null;
  owner: string | null;
  control: 'pause' | 'cancel' | null;
  pause_json: string | null;
  result: string | null;
  engine_cost_micros: number | null;
  run_ms: number;
  run_started_at: string | null;
  retry_of: string | null;
  mode: TaskMode;
  batch_item: string | null;
}

/** Columns `update` may set, camelCase → column. */
const COLUMNS = {
  agentId: 'agent_id',
  state: 'state',
  pausedReason: 'paused_reason',
  model: 'model',
  tier: 'tier',
  routeReason: 'route_reason',
  capMicros: 'cap_micros',
  sessionId: 'session_id',
  branch: 'branch',
  worktree: 'worktree',
  currentStep: 'current_step',
  turns: 'turns',
  contextTokens: 'context_tokens',
  contextFiles: 'context_files',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  isolation: 'isolation',
  repoRoot: 'repo_root',
  baseCommit: 'base_commit',
  branchState: 'branch_state',
  owner: 'owner',
  control: 'control',
  pause: 'pause_json',
  result: 'result',
  engineCostMicros: 'engine_cost_micros',
  runMs: 'run_ms',
  runStartedAt: 'run_started_at',
  batchItem: 'batch_item',
} as const satisfies Partial<Record<keyof TaskRecord, string>>;

export type TaskPatch = Partial<Pick<TaskRecord, keyof typeof COLUMNS>>;

export interface TaskUsage {
  tokens: TokensByKind;
  costMicros: Micros;
  requests: number;
}

const ZERO_TOKENS: TokensByKind = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
const ACTIVE: readonly TaskState[] = ['queued', 'starting', 'running', 'paused'];
const PRIORITY_RANK = "CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END";

/** A task with what the list view leaves out: refusals, the worktree, the engine's own cost figure. */
export interface TaskDetail extends TaskRow {
  isolation: Isolation;
  worktree: string | null;
  branchState: BranchState | null;
  sessionId: string | null;
  result: string | null;
  /** What Claude Code reported as total_cost_usd, in µ$ (the ledger's `costMicros` is the exact one). */
  engineCostMicros: Micros | null;
  pause: BudgetPause | null;
  denials: { at: string; tool: string; target: string; reason: string }[];
}

export interface NewTask {
  id: string;
  prompt: string;
  project: string;
  priority: Priority;
  tier: Tier | null;
  model: string;
  routeReason: string;
  capMicros: Micros | null;
  sessionId: string;
  isolation: Isolation;
  retryOf?: string | null;
  mode?: TaskMode;
}

/** The runner's queries over `tasks`, `task_denials` and the task's rows in `requests`. */
export class TaskStore {
  constructor(
    readonly db: Db,
    private readonly now: () => number,
  ) {}

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  insert(t: NewTask): TaskRecord {
    const at = this.iso();
    this.db
      .prepare(
        `INSERT INTO tasks (id, prompt, project, state, priority, tier, model, route_reason, cap_micros, session_id, isolation, retry_of, mode, created_at, updated_at)
         VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.id, t.prompt, t.project, t.priority, t.tier, t.model, t.routeReason, t.capMicros, t.sessionId, t.isolation, t.retryOf ?? null, t.mode ?? 'agent', at, at);
    return this.get(t.id) as TaskRecord;
  }

  get(id: string): TaskRecord | null {
    const row = this.db.prepare<[string], DbRow>('SELECT * FROM tasks WHERE id = ?').get(id);
    return row ? toRecord(row) : null;
  }

  /** A full id, or a unique prefix of one (people type `t3fa`). */
  resolve(idOrPrefix: string): { ok: true; id: string } | { ok: false; message: string } {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(idOrPrefix)) return { ok: false, message: `"${idOrPrefix}" is not a task id.` };
    if (this.get(idOrPrefix)) return { ok: true, id: idOrPrefix };
    const rows = this.db.prepare<[string], { id: string }>("SELECT id FROM tasks WHERE id LIKE ? || '%' LIMIT 2").all(idOrPrefix);
    if (rows.length === 1) return { ok: true, id: (rows[0] as { id: string }).id };
    if (rows.length === 0) return { ok: false, message: `No task "${idOrPrefix}". \`sluice ps --all\` lists them.` };
    return { ok: false, message: `"${idOrPrefix}" matches several tasks; type more of the id.` };
  }

  /** Sets columns, bumping `updated_at`. With `whereState`, only if the task is still in one of them. */
  update(id: string, patch: TaskPatch, whereState?: readonly TaskState[]): boolean {
    const sets: string[] = ['updated_at = ?'];
    const values: unknown[] = [this.iso()];
    for (const [k, v] of Object.entries(patch) as [keyof typeof COLUMNS, unknown][]) {
      if (v === undefined) continue;
      sets.push(`${COLUMNS[k]} = ?`);
      values.push((k === 'pause' || k === 'contextFiles') && v !== null ? JSON.stringify(v) : v);
    }
    let where = 'id = ?';
    values.push(id);
    if (whereState) {
      where += ` AND state IN (${whereState.map(() => '?').join(', ')})`;
      values.push(...whereState);
    }
    return this.db.prepare(`UPDATE tasks SET ${sets.join(', ')} WHERE ${where}`).run(...values).changes > 0;
  }

  /** Takes a task for this runner, atomically: two hosts on one ledger never start the same task. */
  claim(id: string, owner: string, from: TaskState): boolean {
    const at = this.iso();
    return (
      this.db
        .prepare(
          `UPDATE tasks SET state = 'starting', owner = ?, control = NULL, paused_reason = NULL, error = NULL,
             started_at = COALESCE(started_at, ?), run_started_at = ?, updated_at = ?
           WHERE id = ? AND state = ?`,
        )
        .run(owner, at, at, at, id, from).changes > 0
    );
  }

  /** Queued tasks and tasks paused for budget, in the order they should run. */
  candidates(): TaskRecord[] {
    return this.db
      .prepare<[], DbRow>(
        `SELECT * FROM tasks WHERE mode = 'agent' AND (state = 'queued' OR (state = 'paused' AND paused_reason = 'budget'))
         ORDER BY ${PRIORITY_RANK}, created_at, id`,
      )
      .all()
      .map(toRecord);
  }

  /** Tasks that look started or running but are not held by `owner`. */
  heldByOthers(owner: string): TaskRecord[] {
    return this.db
      .prepare<[string], DbRow>("SELECT * FROM tasks WHERE mode = 'agent' AND state IN ('starting', 'running') AND (owner IS NULL OR owner != ?)")
      .all(owner)
      .map(toRecord);
  }

  /** Deferrable tasks not finished yet, in the order they should be queued. */
  openBatchTasks(): TaskRecord[] {
    return this.db
      .prepare<[], DbRow>(`SELECT * FROM tasks WHERE mode = 'batch' AND state IN ('queued', 'starting', 'running', 'paused') ORDER BY ${PRIORITY_RANK}, created_at, id`)
      .all()
      .map(toRecord);
  }

  /** The id for a deferrable task's next attempt: the task id first, then `<id>-2`, `<id>-3`… */
  nextBatchItemId(id: string): string {
    const n = this.db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM work_queue WHERE kind = 'batch' AND task_id = ?").get(id)?.n ?? 0;
    return n === 0 ? id : `${id}-${n + 1}`;
  }

  /** Pause / cancel requests another process left for the tasks `owner` runs. */
  controls(owner: string): { id: string; control: 'pause' | 'cancel' }[] {
    return this.db
      .prepare<[string], { id: string; control: 'pause' | 'cancel' }>('SELECT id, control FROM tasks WHERE owner = ? AND control IS NOT NULL')
      .all(owner);
  }

  /** What the UI shows now: every unfinished task and those finished since `since`. */
  listCurrent(since: string, limit = 200): TaskRecord[] {
    return this.db
      .prepare<[string, number], DbRow>(
        `SELECT * FROM tasks WHERE state IN (${ACTIVE.map((s) => `'${s}'`).join(', ')}) OR COALESCE(finished_at, updated_at) >= ?
         ORDER BY created_at DESC, id LIMIT ?`,
      )
      .all(since, limit)
      .map(toRecord);
  }

  /** Tasks changed since `sinceIso` (by any process), oldest change first. */
  changedSince(sinceIso: string, limit = 200): TaskRecord[] {
    return this.db.prepare<[string, number], DbRow>('SELECT * FROM tasks WHERE updated_at >= ? ORDER BY updated_at LIMIT ?').all(sinceIso, limit).map(toRecord);
  }

  listAll(limit = 500): TaskRecord[] {
    return this.db.prepare<[number], DbRow>('SELECT * FROM tasks ORDER BY created_at DESC, id LIMIT ?').all(limit).map(toRecord);
  }

  recentProjects(limit = 10): string[] {
    return this.db
      .prepare<[number], { project: string }>('SELECT project FROM tasks GROUP BY project ORDER BY MAX(created_at) DESC LIMIT ?')
      .all(limit)
      .map((r) => r.project);
  }

  /** Exact spend and tokens of tasks, from the ledger rows the gateway attributed to them. */
  usage(ids: readonly string[]): Map<string, TaskUsage> {
    syncLedger(this.db);
    const out = new Map<string, TaskUsage>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare<string[], { task_id: string; i: number; o: number; w5: number; w1: number; r: number; cost: number; n: number }>(
        `SELECT task_id, SUM(input_tokens) AS i, SUM(output_tokens) AS o, SUM(cache_write_5m_tokens) AS w5,
           SUM(cache_write_1h_tokens) AS w1, SUM(cache_read_tokens) AS r, SUM(cost_micros) AS cost, COUNT(*) AS n
         FROM requests WHERE task_id IN (${ids.map(() => '?').join(', ')}) GROUP BY task_id`,
      )
      .all(...ids);
    for (const r of rows) {
      out.set(r.task_id, { tokens: { input: r.i, output: r.o, cacheWrite5m: r.w5, cacheWrite1h: r.w1, cacheRead: r.r }, costMicros: r.cost, requests: r.n });
    }
    return out;
  }

  costOf(id: string): Micros {
    return this.usage([id]).get(id)?.costMicros ?? 0;
  }

  /** Spend on budget days before `day`: a task's cap is for its whole life, the gateway's agent cap per day. */
  costBefore(id: string, day: string): Micros {
    syncLedger(this.db);
    return this.db.prepare<[string, string], { c: number | null }>('SELECT SUM(cost_micros) AS c FROM requests WHERE task_id = ? AND budget_day < ?').get(id, day)?.c ?? 0;
  }

  /** The gateway's budget refusals of this task since `sinceIso` (its 429s are recorded as `rejected`). */
  budgetRefusals(id: string, sinceIso: string): { error: string | null }[] {
    syncLedger(this.db);
    return this.db
      .prepare<[string, string], { error: string | null }>("SELECT error FROM requests WHERE task_id = ? AND status = 'rejected' AND started_at >= ? ORDER BY id DESC")
      .all(id, sinceIso);
  }

  addDenial(id: string, tool: string, target: string, reason: string): void {
    this.db.prepare('INSERT INTO task_denials (task_id, at, tool, target, reason) VALUES (?, ?, ?, ?, ?)').run(id, this.iso(), tool, target.slice(0, 500), reason);
  }

  denials(id: string): { at: string; tool: string; target: string; reason: string }[] {
    return this.db
      .prepare<[string], { at: string; tool: string; target: string; reason: string }>('SELECT at, tool, target, reason FROM task_denials WHERE task_id = ? ORDER BY id')
      .all(id);
  }

  /** The latest retry of each of `ids`, if any. */
  retries(ids: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare<string[], { id: string; retry_of: string }>(`SELECT id, retry_of FROM tasks WHERE retry_of IN (${ids.map(() => '?').join(', ')}) ORDER BY created_at, id`)
      .all(...ids);
    for (const r of rows) out.set(r.retry_of, r.id);
    return out;
  }

  toRow(rec: TaskRecord, usage: TaskUsage | undefined, retriedBy: string | null = null): TaskRow {
    const running = rec.state === 'starting' || rec.state === 'running';
    const live = running && rec.runStartedAt ? Math.max(0, this.now() - Date.parse(rec.runStartedAt)) : 0;
    return {
      id: rec.id,
      prompt: rec.prompt,
      project: rec.project,
      state: rec.state,
      pausedReason: rec.state === 'paused' ? rec.pausedReason : null,
      priority: rec.priority,
      tier: rec.tier,
      model: rec.model,
      routeReason: rec.routeReason,
      currentStep: rec.currentStep,
      turns: rec.turns,
      tokens: usage?.tokens ?? { ...ZERO_TOKENS },
      costMicros: usage?.costMicros ?? 0,
      capMicros: rec.capMicros,
      createdAt: rec.createdAt,
      startedAt: rec.startedAt,
      finishedAt: rec.finishedAt,
      elapsedMs: rec.runMs + live,
      error: rec.error ?? (rec.state === 'paused' ? (rec.pause?.message ?? null) : null),
      branch: rec.branch,
      contextTokens: rec.contextTokens,
      contextFiles: rec.contextFiles,
      retryOf: rec.retryOf,
      retriedBy,
      deferrable: rec.mode === 'batch',
    };
  }

  detail(id: string): TaskDetail | null {
    const t = this.get(id);
    const row = t ? this.rows([t])[0] : undefined;
    if (!t || !row) return null;
    return {
      ...row,
      isolation: t.isolation,
      worktree: t.worktree,
      branchState: t.branchState,
      sessionId: t.sessionId,
      result: t.result,
      engineCostMicros: t.engineCostMicros,
      pause: t.pause,
      denials: this.denials(id),
    };
  }

  rows(recs: readonly TaskRecord[]): TaskRow[] {
    const ids = recs.map((r) => r.id);
    const usage = this.usage(ids);
    const retries = this.retries(ids);
    return recs.map((r) => this.toRow(r, usage.get(r.id), retries.get(r.id) ?? null));
  }
}

function toRecord(r: DbRow): TaskRecord {
  return {
    id: r.id,
    agentId: r.agent_id,
    prompt: r.prompt,
    project: r.project,
    state: r.state,
    pausedReason: r.paused_reason,
    priority: r.priority,
    tier: r.tier,
    model: r.model,
    routeReason: r.route_reason,
    capMicros: r.cap_micros,
    sessionId: r.session_id,
    branch: r.branch,
    worktree: r.worktree,
    currentStep: r.current_step,
    turns: r.turns,
    contextTokens: r.context_tokens,
    contextFiles: r.context_files ? (JSON.parse(r.context_files) as string[]) : null,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
    isolation: r.isolation,
    repoRoot: r.repo_root,
    baseCommit: r.base_commit,
    branchState: r.branch_state,
    owner: r.owner,
    control: r.control,
    pause: r.pause_json ? (JSON.parse(r.pause_json) as BudgetPause) : null,
    result: r.result,
    engineCostMicros: r.engine_cost_micros,
    runMs: r.run_ms,
    runStartedAt: r.run_started_at,
    retryOf: r.retry_of ?? null,
    mode: r.mode ?? 'agent',
    batchItem: r.batch_item ?? null,
  };
}
