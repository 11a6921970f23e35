import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { err, ok, type DispatchPreview, type Result, type TaskAction, type TaskAnswer, type TaskRow, type Tier } from '../../../shared/contract';
import { usdToMicros } from '../../../shared/money';
import type { Core } from '../services';
import { agentNameFor, branchFor } from './ids';
import { noContext, promptWithBrief, type ContextProvider } from './context';
import { budgetBlock, limitOfRefusal, mayResume, pauseFor, type BudgetPause } from './budget-gate';
import { decideTool, policyFor, type PermissionPolicy, type ProjectPermissions } from './permissions/policy';
import { nodePathFs } from './permissions/paths';
import { TaskStore, type TaskDetail, type TaskRecord } from './task-store';
import { enqueueTask, projectDir, type DispatchRequest } from './enqueue';
import { controlStoredTask } from './control';
import { retryTask } from './retry';
import { commitMessage, discardTask, mergeTask, taskDiff, type TaskDiff } from './branch-ops';
import { addWorktree, commitAll, repoOf } from './worktree';
import { runEngine, type EngineOutcome, type EngineSpec, type QueryFn } from './engine';
import { agentEnv, sessionExists } from './engine-env';
import { beat, clearBeat, heldElsewhere, HEARTBEAT_MS, newOwner } from './ownership';
import { describeStep } from './step';
import { chooseModel, estimateTaskCost } from './model-choice';
import { BatchCoordinator } from '../coordinator/batches';
import { DeferredTasks, type BatchPort } from './deferred-tasks';
import { batchPlanOf, chooseDeferrableModel, deferrableMaxTokens, deferrablePromptTokens, estimateDeferrableCost } from './deferred-request';

export type { TaskDetail } from './task-store';

export interface RunnerOptions {
  /** The gateway agents talk to (`ANTHROPIC_BASE_URL`). */
  gatewayUrl: string;
  /** Agents at once; default the `concurrency` setting (read live). */
  concurrency?: number;
  /** The context brief put before a new task's prompt; default none. */
  context?: ContextProvider;
  /** The user's own `claude` executable (the SDK's `pathToClaudeCodeExecutable`); default the bundled one. */
  claudeExecutable?: string;
  /** Where Claude Code keeps the tasks' sessions; default `<dataDir>/claude`. */
  claudeConfigDir?: string;
  /** Where worktrees go; default `<dataDir>/worktrees` (never inside the user's checkout). */
  worktreeRoot?: string;
  /** The environment agents start from (credentials are withheld); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How often the queue is read for work dispatched by other processes; default 1000 ms. */
  pollMs?: number;
  /** Per-project permissions; default the ledger value `runner.permissions`. */
  permissions?: (project: string) => PermissionPolicy;
  /** The tools agents get; default file tools, Bash and the to-do list (no sub-agents, no web). */
  tools?: readonly string[];
  maxTurns?: number;
  /** Load the project's CLAUDE.md and .claude settings; default false. */
  projectSettings?: boolean;
  /** Resume tasks a restart interrupted without waiting for the user; default false. */
  resumeInterrupted?: boolean;
  /** The SDK's `query`, replaceable for tests of the engine wrapper. */
  query?: QueryFn;
  /**
   * Where deferrable tasks' requests are queued; default a coordinator on the same ledger (the host's own
   * ticking coordinator submits them, or any other process's).
   */
  batches?: BatchPort;
}

export const DEFAULT_TOOLS: readonly string[] = ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'TodoWrite', 'NotebookEdit'];
export const PERMISSIONS_KEY = 'runner.permissions';
const RESUME_PROMPT = 'Sluice paused this task and has now resumed it. Continue where you left off; do not redo work that is already done.';
const RECENT_MS = 24 * 60 * 60 * 1000;

interface ActiveRun {
  id: string;
  abort: AbortController;
  startedMs: number;
  startedIso: string;
  pauseRequested: boolean;
  /** Set when the runner itself stops: an aborted run is then interrupted, not cancelled. */
  stopping: boolean;
  budgetPause: BudgetPause | null;
  agentId: number | null;
  turnIds: Set<string>;
  stderr: string;
  finished: Promise<void>;
}

/**
 * The agent runner: a persistent queue in the ledger, at most N Claude Code agents at once, each in
 * its own worktree with its own gateway token, paused at a turn boundary when the budget runs out.
 */
export class Runner {
  readonly store: TaskStore;
  readonly owner = newOwner();
  private readonly active = new Map<string, ActiveRun>();
  private readonly emitTimers = new Map<string, NodeJS.Timeout>();
  private readonly context: ContextProvider;
  private readonly configDir: string;
  private readonly worktreeRoot: string;
  private timer: NodeJS.Timeout | null = null;
  private kickPending = false;
  private unsubscribe: (() => void) | null = null;
  private lastBeat = 0;
  private stopped = false;
  private dataVersion = -1;
  private lastSync = '';
  private readonly deferred: DeferredTasks;

  constructor(
    private readonly core: Core,
    private readonly o: RunnerOptions,
  ) {
    this.store = new TaskStore(core.db, () => core.clock.now());
    this.context = o.context ?? noContext;
    this.configDir = o.claudeConfigDir ?? path.join(core.config.dataDir, 'claude');
    this.worktreeRoot = o.worktreeRoot ?? path.join(core.config.dataDir, 'worktrees');
    this.deferred = new DeferredTasks(core, this.store, o.batches ?? new BatchCoordinator(core), this.context, (id) => this.emitNow(id));
  }

  start(): this {
    this.recoverInterrupted();
    this.unsubscribe = this.core.events.subscribe((e) => {
      if (e.type === 'request' && e.request.taskId && this.active.has(e.request.taskId)) this.touch(e.request.taskId);
      else if (e.type === 'settings' || e.type === 'budget') this.kick();
    });
    this.timer = setInterval(() => this.tick(), this.o.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
    return this;
  }

  /** Stops taking work; running agents are stopped and their tasks marked interrupted (resumable). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    for (const run of this.active.values()) {
      run.stopping = true;
      run.abort.abort();
    }
    await Promise.all([...this.active.values()].map((r) => r.finished));
    await this.deferred.idle();
    for (const t of this.emitTimers.values()) clearTimeout(t);
    this.emitTimers.clear();
    clearBeat(this.core.settings, this.owner);
  }

  // ── the contract's calls ──────────────────────────────────────────────────────────────────────

  dispatch(input: DispatchRequest): Result<TaskRow> {
    const r = enqueueTask(this.store, this.core.settings.get().routing, input, (p) => this.core.outcomes.odds(p));
    if (!r.ok) return r;
    this.emitNow(r.value.id);
    this.kick();
    return ok(this.row(r.value.id) as TaskRow);
  }

  /** A finished fast- or local-tier task again on a stronger tier (`retry.ts`); both rows change (the link). */
  retry(id: string, tier?: Tier): Result<TaskRow> {
    const r = retryTask(this.store, this.core.settings.get().routing, (o) => this.core.outcomes.record(o), id, tier, this.core.clock.now());
    if (!r.ok) return r;
    this.emitNow(r.value.id);
    if (r.value.retryOf) this.emitNow(r.value.retryOf);
    this.kick();
    return ok(this.row(r.value.id) as TaskRow);
  }

  control(id: string, action: TaskAction, opts: { capUsd?: number } = {}): Result<TaskRow> {
    const resolved = this.store.resolve(id);
    if (!resolved.ok) return err('not_found', resolved.message);
    id = resolved.id;
    if (opts.capUsd !== undefined && (!Number.isFinite(opts.capUsd) || opts.capUsd <= 0)) return err('bad_input', 'The cap must be a dollar amount above 0.');
    const capMicros = opts.capUsd === undefined ? undefined : usdToMicros(opts.capUsd);
    const run = this.active.get(id);
    if (run) {
      if (capMicros !== undefined) this.store.update(id, { capMicros });
      if (action === 'cancel') run.abort.abort();
      else run.pauseRequested = action === 'pause';
      this.emitNow(id);
      return ok(this.row(id) as TaskRow);
    }
    const r = controlStoredTask(this.store, id, action, { capMicros, heldElsewhere: (owner) => heldElsewhere(owner), now: () => this.core.clock.now() });
    if (!r.ok) return r;
    this.emitNow(id);
    this.kick();
    return ok(this.row(id) as TaskRow);
  }

  preview(input: DispatchRequest, contextTokens = 0): Result<DispatchPreview> {
    if (input.deferrable) return this.previewDeferrable(input, contextTokens);
    const dir = projectDir(input.project);
    const choice = chooseModel({ ...input, project: dir.ok ? dir.value : input.project }, this.core.settings.get().routing, this.core.outcomes.odds(input.prompt ?? ''));
    if (!choice.ok) return err('bad_input', choice.message);
    const { tier, model, reason } = choice.choice;
    const price = this.core.catalog().lookup(model.replace(/^(ollama|local)\//, ''), tier === 'local' ? 'ollama' : 'anthropic').price;
    const estimatedCostMicros = tier === 'local' ? { low: 0, high: 0 } : estimateTaskCost(price, contextTokens);
    return ok({ tier, model, reason, estimatedCostMicros, contextTokens });
  }

  /** One request in a batch: its price (half the synchronous one) and when it is submitted. */
  private previewDeferrable(input: DispatchRequest, contextTokens: number): Result<DispatchPreview> {
    const dir = projectDir(input.project);
    const s = this.core.settings.get();
    const choice = chooseDeferrableModel({ ...input, project: dir.ok ? dir.value : input.project }, s.routing, this.core.outcomes.odds(input.prompt ?? ''));
    if (!choice.ok) return err('bad_input', choice.message);
    const { tier, model, reason } = choice.choice;
    const catalog = this.core.catalog();
    const maxTokens = deferrableMaxTokens(catalog.models().find((m) => m.id === catalog.resolveAlias(model))?.maxOutput);
    const cost = estimateDeferrableCost(catalog.lookup(model).price, deferrablePromptTokens(input.prompt ?? '', contextTokens), maxTokens);
    const batch = batchPlanOf(cost, this.core.clock.now(), s.timeZone, s.offPeak);
    return ok({ tier, model, reason, estimatedCostMicros: cost.batch, contextTokens, batch });
  }

  /** A task's answer (a deferrable task's reply, an agent's final message), by id or unique prefix. */
  answer(id: string): Result<TaskAnswer> {
    const resolved = this.store.resolve(id);
    if (!resolved.ok) return err('not_found', resolved.message);
    const t = this.store.get(resolved.id) as TaskRecord;
    return ok({ id: t.id, state: t.state, text: t.result });
  }

  /**
   * The preview with the context brief the task would get (its size, and the cost range with it).
   * A brief that takes longer than `timeoutMs` (a first index of a big repository) is left out.
   */
  async previewWithContext(input: DispatchRequest, timeoutMs = 3_000): Promise<Result<DispatchPreview>> {
    const prompt = typeof input.prompt === 'string' ? input.prompt.trim() : '';
    const dir = projectDir(input.project);
    if (prompt === '' || !dir.ok) return this.preview(input);
    let timer: NodeJS.Timeout | undefined;
    const brief = await Promise.race([
      this.context.brief({ repo: dir.value, task: prompt }).catch(() => null),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
    ]);
    clearTimeout(timer);
    return this.preview(input, brief?.tokens ?? 0);
  }

  pauseAll(): number {
    let paused = 0;
    for (const t of this.store.listCurrent(new Date(this.core.clock.now()).toISOString())) {
      if (t.state !== 'queued' && t.state !== 'starting' && t.state !== 'running') continue;
      if (this.control(t.id, 'pause').ok) paused++;
    }
    return paused;
  }

  recentProjects(): string[] {
    return this.store.recentProjects();
  }

  list(): TaskRow[] {
    return this.store.rows(this.store.listCurrent(new Date(this.core.clock.now() - RECENT_MS).toISOString()));
  }

  row(id: string): TaskRow | null {
    const t = this.store.get(id);
    return t ? (this.store.rows([t])[0] ?? null) : null;
  }

  detail(id: string): TaskDetail | null {
    return this.store.detail(id);
  }

  diff(id: string, opts: { patch?: boolean } = {}): Promise<Result<TaskDiff>> {
    return taskDiff(this.store, id, opts);
  }

  async merge(id: string): Promise<Result<TaskRow>> {
    const r = await mergeTask(this.store, id);
    if (!r.ok) return r;
    this.emitNow(id);
    return ok(this.row(id) as TaskRow);
  }

  async discard(id: string): Promise<Result<TaskRow>> {
    const r = await discardTask(this.store, id, () => this.core.clock.now());
    if (!r.ok) return r;
    this.emitNow(id);
    return ok(this.row(id) as TaskRow);
  }

  /** How many agents run now. */
  runningCount(): number {
    return this.active.size;
  }

  /** Whether this runner holds the task now (its end is recorded once this turns false). */
  isActive(id: string): boolean {
    return this.active.has(id);
  }

  // ── the queue ─────────────────────────────────────────────────────────────────────────────────

  private kick(): void {
    if (this.kickPending || this.stopped) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      this.tick();
    });
  }

  private tick(): void {
    if (this.stopped) return;
    try {
      const now = this.core.clock.now();
      if (now - this.lastBeat >= HEARTBEAT_MS) {
        this.lastBeat = now;
        beat(this.core.settings, this.owner, now);
      }
      this.syncForeign();
      this.applyForeignControls();
      this.recoverInterrupted();
      this.schedule();
      void this.deferred.tick().catch((e: unknown) => this.core.log.log('error', 'deferrable tasks: a round failed', { error: (e as Error).message }));
    } catch (e) {
      this.core.log.log('error', 'runner tick failed', { error: (e as Error).message });
    }
  }

  /**
   * Changes other processes made (`sluice dispatch`, `sluice pause` on a queued task) reach the UI as
   * events too. SQLite's `data_version` moves only when another connection commits, so this is free
   * while nobody else writes.
   */
  private syncForeign(): void {
    const version = this.core.db.pragma('data_version', { simple: true }) as number;
    if (version === this.dataVersion) return;
    const first = this.dataVersion === -1;
    this.dataVersion = version;
    const since = this.lastSync;
    // Overlap a little: another process's write may carry a timestamp from just before our last look.
    this.lastSync = new Date(this.core.clock.now() - 2000).toISOString();
    if (first) return;
    for (const t of this.store.changedSince(since)) if (!this.active.has(t.id)) this.emitNow(t.id);
  }

  /** `sluice pause|cancel ID` from another process leaves its request in the ledger. */
  private applyForeignControls(): void {
    for (const c of this.store.controls(this.owner)) {
      this.store.update(c.id, { control: null });
      const run = this.active.get(c.id);
      if (!run) continue;
      if (c.control === 'cancel') run.abort.abort();
      else run.pauseRequested = true;
      this.emitNow(c.id);
    }
  }

  /** Tasks a dead process was running: marked interrupted, resumable (their session is on disk). */
  private recoverInterrupted(): void {
    for (const t of this.store.heldByOthers(this.owner)) {
      if (heldElsewhere(t.owner)) continue;
      const runMs = t.runMs + (t.runStartedAt ? Math.max(0, this.core.clock.now() - Date.parse(t.runStartedAt)) : 0);
      const next = this.o.resumeInterrupted ? { state: 'queued' as const, pausedReason: null } : { state: 'paused' as const, pausedReason: 'restart' as const };
      if (this.store.update(t.id, { ...next, owner: null, control: null, currentStep: null, runMs, runStartedAt: null }, ['starting', 'running'])) {
        this.core.log.log('warn', 'a task was interrupted by a restart', { task: t.id });
        this.emitNow(t.id);
      }
    }
  }

  private concurrency(): number {
    return this.o.concurrency ?? this.core.settings.get().concurrency;
  }

  private schedule(): void {
    let free = this.concurrency() - this.active.size;
    if (free <= 0) return;
    const candidates = this.store.candidates();
    if (candidates.length === 0) return;
    const status = this.core.enforcer.status();
    const settings = this.core.settings.get();
    const now = this.core.clock.now();
    for (const t of candidates) {
      if (free <= 0) break;
      const gateTask = { id: t.id, costMicros: this.store.costOf(t.id), capMicros: t.capMicros };
      if (t.state === 'paused') {
        const go = t.pause ? mayResume(t.pause, status, gateTask, settings.offPeak, now) : { ok: budgetBlock(status, gateTask) === null };
        if (!go.ok) continue;
      } else {
        const block = budgetBlock(status, gateTask);
        if (block) {
          this.store.update(t.id, { state: 'paused', pausedReason: 'budget', pause: pauseFor(block, status, gateTask, new Date(now).toISOString()) }, ['queued']);
          this.emitNow(t.id);
          continue;
        }
      }
      if (!this.store.claim(t.id, this.owner, t.state)) continue;
      free--;
      this.launch(t.id);
    }
  }

  // ── one run ───────────────────────────────────────────────────────────────────────────────────

  private launch(id: string): void {
    const now = this.core.clock.now();
    let resolveFinished!: () => void;
    const run: ActiveRun = {
      id,
      abort: new AbortController(),
      startedMs: now,
      startedIso: new Date(now).toISOString(),
      pauseRequested: false,
      stopping: false,
      budgetPause: null,
      agentId: null,
      turnIds: new Set(),
      stderr: '',
      finished: new Promise<void>((r) => (resolveFinished = r)),
    };
    this.active.set(id, run);
    this.emitNow(id);
    void (async () => {
      let outcome: EngineOutcome;
      try {
        const spec = await this.prepare(id, run);
        outcome = run.abort.signal.aborted ? { kind: 'aborted' } : await runEngine(spec, this.hooksFor(id, run, spec.cwd), this.o.query);
      } catch (e) {
        outcome = run.abort.signal.aborted ? { kind: 'aborted' } : { kind: 'failed', message: (e as Error).message, costUsd: null };
      }
      try {
        await this.finish(id, run, outcome);
      } catch (e) {
        this.core.log.log('error', 'could not record the end of a task', { task: id, error: (e as Error).message });
      } finally {
        this.active.delete(id);
        resolveFinished();
        this.emitNow(id);
        this.kick();
      }
    })();
  }

  /** The worktree, the task's agent and token, the prompt (with its brief) or the resume. */
  private async prepare(id: string, run: ActiveRun): Promise<EngineSpec & { root: string }> {
    let t = this.store.get(id) as TaskRecord;
    if (t.isolation === 'worktree' && !t.worktree) {
      const repo = await repoOf(t.project);
      if (!repo) {
        this.store.update(id, { isolation: 'in_place' });
      } else {
        const worktree = path.join(this.worktreeRoot, id);
        await addWorktree(repo.root, worktree, branchFor(id), repo.head);
        this.store.update(id, { worktree, branch: branchFor(id), repoRoot: repo.root, baseCommit: repo.head, branchState: 'open' });
      }
      t = this.store.get(id) as TaskRecord;
    }
    const root = fs.realpathSync(t.worktree ?? t.project);
    let cwd = root;
    if (t.worktree && t.repoRoot) {
      // A project in a sub-folder of its repository works in the same sub-folder of the worktree.
      const sub = path.join(root, path.relative(t.repoRoot, t.project));
      if (sub.startsWith(root) && fs.existsSync(sub)) cwd = sub;
    }

    const name = agentNameFor(id);
    const day = this.core.enforcer.status().day;
    const capToday = t.capMicros === null ? null : Math.max(0, t.capMicros - this.store.costBefore(id, day));
    // A fresh token per run: the one an earlier (maybe crashed) process held is revoked with it.
    if (this.core.agents.get(name)?.revokedAt === null) this.core.agents.revoke(name);
    const { agent, token } = this.core.agents.create(name, { kind: 'task', dailyCapMicros: capToday });
    run.agentId = agent.id;
    this.store.update(id, { agentId: agent.id });

    const sessionId = t.sessionId ?? crypto.randomUUID();
    if (!t.sessionId) this.store.update(id, { sessionId });
    const resume = sessionExists(this.configDir, sessionId);
    let prompt = RESUME_PROMPT;
    if (!resume) {
      const brief = await this.context.brief({ repo: cwd, task: t.prompt }).catch((e: unknown) => {
        this.core.log.log('warn', 'the context brief failed; the task starts without it', { task: id, error: (e as Error).message });
        return null;
      });
      this.store.update(id, { contextTokens: brief?.tokens ?? 0, contextFiles: brief?.files ?? [] });
      prompt = promptWithBrief(t.prompt, brief);
    }
    fs.mkdirSync(this.configDir, { recursive: true, mode: 0o700 });
    return {
      root,
      prompt,
      cwd,
      model: t.model ?? this.core.settings.get().routing.tiers.strong,
      sessionId,
      resume,
      env: agentEnv({ base: this.o.env ?? process.env, gatewayUrl: this.o.gatewayUrl, token, taskId: id, configDir: this.configDir }),
      ...(this.o.claudeExecutable ? { executable: this.o.claudeExecutable } : {}),
      tools: this.o.tools ?? DEFAULT_TOOLS,
      maxTurns: this.o.maxTurns ?? 200,
      abort: run.abort,
      projectSettings: this.o.projectSettings ?? false,
      stderr: (chunk) => {
        run.stderr = (run.stderr + chunk).slice(-4000);
      },
    };
  }

  private policy(project: string): PermissionPolicy {
    if (this.o.permissions) return this.o.permissions(project);
    return policyFor(project, this.core.settings.getValue<Record<string, ProjectPermissions>>(PERMISSIONS_KEY));
  }

  private hooksFor(id: string, run: ActiveRun, cwd: string) {
    const t = this.store.get(id) as TaskRecord;
    const root = fs.realpathSync(t.worktree ?? t.project);
    const policy = this.policy(t.project);
    return {
      onInit: () => {
        if (this.store.update(id, { state: 'running' }, ['starting'])) this.emitNow(id);
      },
      onTurn: (messageId: string, tools: { name: string; input: Record<string, unknown> }[]) => {
        const fresh = !run.turnIds.has(messageId);
        run.turnIds.add(messageId);
        const cur = this.store.get(id);
        if (!cur) return;
        const step = describeStep(tools, root);
        // A turn without tools is the agent writing its answer: no step to show.
        this.store.update(id, { turns: cur.turns + (fresh ? 1 : 0), currentStep: step });
        this.touch(id);
      },
      decide: async (tool: string, input: Record<string, unknown>) => {
        const d = decideTool(tool, input, { root, cwd, policy, fs: nodePathFs });
        if (d.allow) return d;
        this.store.addDenial(id, tool, d.target, d.reason);
        this.core.log.log('info', 'the task policy refused a tool call', { task: id, tool, reason: d.reason });
        this.touch(id);
        return d;
      },
      boundary: async () => {
        if (run.pauseRequested) return 'user';
        await this.settled(run.agentId);
        const cur = this.store.get(id);
        const status = this.core.enforcer.status();
        const task = { id, costMicros: this.store.costOf(id), capMicros: cur?.capMicros ?? null };
        const block = budgetBlock(status, task);
        if (!block) return null;
        run.budgetPause = pauseFor(block, status, task, new Date(this.core.clock.now()).toISOString());
        return 'budget';
      },
    };
  }

  /** At a turn boundary the turn's request may still be settling in the gateway: wait for it (briefly). */
  private async settled(agentId: number | null): Promise<void> {
    if (agentId === null) return;
    const open = this.core.db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM reservations WHERE agent_id = ?');
    for (let i = 0; i < 250 && (open.get(agentId)?.n ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 20));
  }

  private async finish(id: string, run: ActiveRun, outcome: EngineOutcome): Promise<void> {
    const t = this.store.get(id) as TaskRecord;
    const nowMs = this.core.clock.now();
    const at = new Date(nowMs).toISOString();
    const common = {
      owner: null,
      control: null,
      currentStep: null,
      runStartedAt: null,
      runMs: t.runMs + Math.max(0, nowMs - run.startedMs),
      ...('costUsd' in outcome && outcome.costUsd !== null ? { engineCostMicros: usdToMicros(outcome.costUsd) } : {}),
    };
    const retire = () => {
      if (this.core.agents.get(agentNameFor(id))?.revokedAt === null) this.core.agents.revoke(agentNameFor(id));
    };
    switch (outcome.kind) {
      case 'done': {
        let error: string | null = null;
        if (t.worktree) await commitAll(t.worktree, commitMessage(t)).catch((e: unknown) => (error = `The work is in ${t.worktree} but could not be committed: ${(e as Error).message}`));
        this.store.update(id, { ...common, state: 'done', result: outcome.text, error, finishedAt: at, pause: null });
        retire();
        return;
      }
      case 'stopped': {
        if (outcome.reason === 'budget') this.store.update(id, { ...common, state: 'paused', pausedReason: 'budget', pause: run.budgetPause });
        else this.store.update(id, { ...common, state: 'paused', pausedReason: 'user' });
        return;
      }
      case 'api-error': {
        // "The gateway answered 429 for budget" is told apart from every other failure by the ledger:
        // the gateway records its budget refusals of this task as `rejected` rows.
        const refusal = this.store.budgetRefusals(id, run.startedIso)[0];
        if (refusal) {
          const message = refusal.error ?? outcome.message;
          const task = { id, costMicros: this.store.costOf(id), capMicros: t.capMicros };
          const pause = pauseFor(limitOfRefusal(message), this.core.enforcer.status(), task, at, message);
          this.store.update(id, { ...common, state: 'paused', pausedReason: 'budget', pause });
          return;
        }
        this.store.update(id, { ...common, state: 'failed', error: outcome.message, finishedAt: at });
        retire();
        return;
      }
      case 'aborted': {
        if (run.stopping) this.store.update(id, { ...common, state: 'paused', pausedReason: 'restart' });
        else {
          this.store.update(id, { ...common, state: 'cancelled', finishedAt: at, pause: null });
          retire();
        }
        return;
      }
      case 'failed': {
        const tail = run.stderr.trim().split('\n').slice(-3).join(' ');
        this.store.update(id, { ...common, state: 'failed', error: tail ? `${outcome.message} (${tail})` : outcome.message, finishedAt: at });
        retire();
        return;
      }
    }
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────

  private emitNow(id: string): void {
    const timer = this.emitTimers.get(id);
    if (timer) {
      clearTimeout(timer);
      this.emitTimers.delete(id);
    }
    const task = this.row(id);
    if (task) this.core.events.emit({ type: 'task', task });
  }

  /** Steps, turns and cost move often; the UI needs each task at most ten times a second. */
  private touch(id: string): void {
    if (this.emitTimers.has(id)) return;
    const timer = setTimeout(() => {
      this.emitTimers.delete(id);
      this.emitNow(id);
    }, 100);
    timer.unref();
    this.emitTimers.set(id, timer);
  }
}
