import type { SkippedPath } from './repo/skip-rules';

export type { SkippedPath, SkipReason } from './repo/skip-rules';

export interface BriefFile {
  /** Relative to the repository root, forward slashes; always a file that exists. */
  path: string;
  mode: 'whole' | 'outline' | 'snippet';
  /** Tokens of this file's section of the brief. */
  tokens: number;
}

/** The slice of a repository a task needs, as the agent receives it. */
export interface ContextBrief {
  files: BriefFile[];
  /** Tokens of `brief`, counted with Claude's tokenizer; never above the budget. */
  totalTokens: number;
  brief: string;
  /** What the index left out (binaries, vendored and generated code, lock files, huge files). */
  skipped?: SkippedPath[];
  timings: { indexMs: number; briefMs: number };
}

export interface BuildBriefInput {
  repo: string;
  task: string;
  /** Default 5,000. */
  budgetTokens?: number;
  /** Default `resolveDataDir()`; the index lives in `<dataDir>/index/`. */
  dataDir?: string;
}
