import fs from 'node:fs';
import path from 'node:path';
import { fileGraphFor } from '../graph/file-graph';
import { openRepositoryIndex, updateIndex } from '../indexer';
import { DEFAULT_WEIGHTS, rankFiles, type RankWeights } from '../rank/rank-files';
import { extractTaskSignals } from '../rank/task-signals';
import { countTokens } from '../tokens';
import type { BuildBriefInput, ContextBrief } from '../types';
import { renderFolderMap } from './folder-map';
import { DEFAULT_POLICY, packBrief, type Candidate, type PackPolicy } from './pack';
import { candidateFor } from './render-file';
import { headerSection } from './sections';

export const DEFAULT_BUDGET_TOKENS = 5000;

/** Knobs for the benchmark; callers use the defaults. */
export interface BriefTuning {
  weights?: RankWeights;
  policy?: PackPolicy;
}

function validate(input: BuildBriefInput): { root: string; budget: number } {
  const budget = input.budgetTokens ?? DEFAULT_BUDGET_TOKENS;
  if (!Number.isInteger(budget) || budget <= 0) throw new RangeError(`budget must be a positive integer of tokens, got ${budget}`);
  if (input.task.trim() === '') throw new RangeError('the task is empty: say what the agent should do');
  const root = path.resolve(input.repo);
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new RangeError(`no such folder: ${input.repo}`);
  }
  if (!st.isDirectory()) throw new RangeError(`not a folder: ${input.repo}`);
  try {
    fs.accessSync(root, fs.constants.R_OK | fs.constants.X_OK);
    fs.readdirSync(root);
  } catch {
    throw new RangeError(`cannot read folder: ${input.repo}`);
  }
  return { root, budget };
}

/**
 * The slice of `repo` that `task` needs, within `budgetTokens` (default 5,000) counted with
 * Claude's tokenizer: whole files for the most relevant, outlines and snippets for the next
 * ring, one line per folder for the rest. Updates the repository's index first (incremental).
 * Deterministic for the same repository state and task.
 */
export async function buildBrief(input: BuildBriefInput, tuning: BriefTuning = {}): Promise<ContextBrief> {
  const { root, budget } = validate(input);
  const index = openRepositoryIndex(root, { dataDir: input.dataDir });
  try {
    const stats = await updateIndex(index, { dataDir: input.dataDir });
    const t0 = performance.now();
    const signals = extractTaskSignals(input.task);
    const graph = fileGraphFor(index.db, index.id, index.version);
    const ranked = rankFiles(index.db, graph, signals, tuning.weights ?? DEFAULT_WEIGHTS);
    const ctx = { root, db: index.db, taskTerms: new Set(signals.terms.keys()), count: countTokens };
    function* candidates(): Generator<Candidate> {
      for (const f of ranked) {
        if (f.score <= 0) return;
        yield candidateFor(f, ctx);
      }
    }
    const packed = packBrief(
      headerSection(path.basename(root)),
      candidates(),
      budget,
      (shown, maxTokens) => renderFolderMap(ranked, shown, maxTokens, countTokens),
      countTokens,
      tuning.policy ?? DEFAULT_POLICY,
    );
    return {
      files: packed.sections.map((s) => ({ path: s.path, mode: s.mode, tokens: s.tokens })),
      totalTokens: packed.totalTokens,
      brief: packed.text,
      skipped: stats.skipped,
      timings: { indexMs: Math.round(stats.ms), briefMs: Math.round(performance.now() - t0) },
    };
  } finally {
    index.close();
  }
}
