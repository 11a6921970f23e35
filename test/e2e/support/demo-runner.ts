import { err, ok, type DispatchInput, type TaskRow } from '../../../shared/contract';
import type { RunnerPort } from '../../../electron/core/api/runner-port';
import type { EventBus } from '../../../electron/core/events';

const ZERO = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };

/**
 * A stand-in for the agent runner behind the `RunnerPort`: it keeps tasks in memory and emits `task`
 * events like the real one, so the dashboard's task rows and controls can be driven end to end.
 */
export class DemoRunner implements RunnerPort {
  readonly tasks: TaskRow[] = [];
  private seq = 0;

  constructor(private readonly events: EventBus) {}

  add(partial: Partial<TaskRow> & { prompt: string }): TaskRow {
    const now = new Date().toISOString();
    const t: TaskRow = {
      id: `task-${++this.seq}`,
      project: '/Users/ada/code/sluice',
      state: 'running',
      pausedReason: null,
      priority: 'normal',
      tier: 'strong',
      model: 'claude-sonnet-4-6',
      routeReason: 'as requested',
      currentStep: null,
      turns: 0,
      tokens: ZERO,
      costMicros: 0,
      capMicros: null,
      createdAt: now,
      startedAt: now,
      finishedAt: null,
      elapsedMs: 0,
      error: null,
      branch: null,
      contextTokens: null,
      ...partial,
    };
    this.tasks.push(t);
    this.events.emit({ type: 'task', task: t });
    return t;
  }

  update(id: string, patch: Partial<TaskRow>): TaskRow | null {
    const i = this.tasks.findIndex((t) => t.id === id);
    const cur = this.tasks[i];
    if (!cur) return null;
    const next = { ...cur, ...patch };
    this.tasks[i] = next;
    this.events.emit({ type: 'task', task: next });
    return next;
  }

  list(): TaskRow[] {
    return this.tasks.slice();
  }

  async dispatch(input: DispatchInput) {
    return ok(this.add({ prompt: input.prompt, project: input.project, state: 'queued', startedAt: null }));
  }

  async control(id: string, action: 'pause' | 'resume' | 'cancel') {
    const state = action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'cancelled';
    const t = this.update(id, { state, pausedReason: action === 'pause' ? 'user' : null });
    return t ? ok(t) : err('not_found', `No task ${id}.`);
  }

  /** Merge keeps the row (its branch is merged); discard drops the branch. */
  async finish(id: string, action: 'merge' | 'discard') {
    const t = this.update(id, { branch: action === 'discard' ? null : (this.tasks.find((x) => x.id === id)?.branch ?? null) });
    return t ? ok(t) : err('not_found', `No task ${id}.`);
  }

  async preview(input: DispatchInput) {
    return ok({ tier: input.tier ?? 'strong', model: 'claude-sonnet-4-6', reason: 'as requested', estimatedCostMicros: { low: 20_000, high: 400_000 }, contextTokens: 8_000 });
  }

  /** A retry on a stronger tier: a new queued task linked both ways to the original. */
  async retry(id: string, tier: 'local' | 'fast' | 'strong' = 'strong') {
    const original = this.tasks.find((t) => t.id === id);
    if (!original) return err('not_found', `No task ${id}.`);
    const retry = this.add({ prompt: original.prompt, project: original.project, state: 'queued', startedAt: null, tier, retryOf: id });
    this.update(id, { retriedBy: retry.id });
    return ok(retry);
  }

  /** Answers are kept beside the rows, as the ledger keeps them beside the task. */
  readonly answers = new Map<string, string>();

  async answer(id: string) {
    const t = this.tasks.find((x) => x.id === id);
    return t ? ok({ id, state: t.state, text: this.answers.get(id) ?? null }) : err('not_found', `No task ${id}.`);
  }

  async pauseAll() {
    let paused = 0;
    for (const t of this.tasks) {
      if (t.state === 'running' || t.state === 'queued') {
        this.update(t.id, { state: 'paused', pausedReason: 'user' });
        paused++;
      }
    }
    return ok({ paused });
  }

  async recentProjects() {
    return [...new Set(this.tasks.map((t) => t.project))];
  }
}
