import type { DispatchInput, DispatchPreview, FinishAction, Result, TaskAction, TaskAnswer, TaskRow, Tier } from '../../../shared/contract';

/**
 * What the contract needs from the agent runner. The runner is optional in a host (a CLI command has
 * none), so the API depends on this port rather than on the runner itself. Errors come back as values;
 * a throw is treated as an internal error.
 */
export interface RunnerPort {
  dispatch(input: DispatchInput): Promise<Result<TaskRow>>;
  control(id: string, action: TaskAction): Promise<Result<TaskRow>>;
  /** Merges a finished task's branch into its checkout, or discards the branch and its worktree. */
  finish(id: string, action: FinishAction): Promise<Result<TaskRow>>;
  preview(input: DispatchInput): Promise<Result<DispatchPreview>>;
  /** Dispatches a finished fast- or local-tier task again on a stronger tier (default strong), linked to it. */
  retry(id: string, tier?: Tier): Promise<Result<TaskRow>>;
  /** A task's answer text (a deferrable task's reply, an agent's final message), from the ledger. */
  answer(id: string): Promise<Result<TaskAnswer>>;
  /** Pauses every queued or running task; resolves with how many it paused. */
  pauseAll(): Promise<Result<{ paused: number }>>;
  /** Project folders tasks were dispatched to, most recent first. */
  recentProjects(): Promise<string[]>;
  /** Tasks worth showing now: queued, starting, running, paused, and ones finished recently. */
  list(): TaskRow[];
}
