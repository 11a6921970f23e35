// What each work item starts with: the pruner's brief (pruned configurations), the whole repository
// (naive), or nothing beyond its own files (deferrable jobs, pruned).
import { buildBrief } from '../../../electron/core/pruner';
import { PriceCatalog } from '../../../electron/core/pricing/catalog';
import type { ContextBrief } from '../../../electron/core/runner/context';
import { BRIEF_TOKENS, STRONG, type Config } from './configs';
import { exists, wholeRepository } from './repo-text';
import type { WorkItem } from './workload';

export interface BriefRecall {
  id: string;
  project: string;
  gold: number;
  /** Share of the gold files that exist before the fix (a new file cannot be named). */
  reachable: number;
  /** Share of the gold files the 5k brief names. */
  brief: number;
  /** Share of the gold files in the naive run's whole-repository context. */
  whole: number;
  briefTokens: number;
}

export interface Contexts {
  contextFor(item: WorkItem, config: Config): ContextBrief | null;
  recall: BriefRecall[];
  /** Per project: tokens of the whole-repository context (the fake's count, chars / 4) and whether it was cut. */
  wholeSize: Map<string, { tokens: number; files: number; truncated: boolean }>;
  briefMs: number;
}

// Room kept for the engine prompt, the project brief, the conversation and the answer.
const RESERVE_TOKENS = 150_000;
// Characters per token assumed when capping: low, so the cut text fits under a real tokenizer too.
const CAP_CHARS_PER_TOKEN = 3;

export async function prepareContexts(items: readonly WorkItem[], dataDir: string): Promise<Contexts> {
  const window = PriceCatalog.builtIn().models().find((m) => m.id === STRONG)?.contextWindow ?? 200_000;
  const capChars = (window - RESERVE_TOKENS) * CAP_CHARS_PER_TOKEN;
  const whole = new Map<string, ContextBrief>();
  const wholeSize = new Map<string, { tokens: number; files: number; truncated: boolean }>();
  const briefs = new Map<string, ContextBrief>();
  const recall: BriefRecall[] = [];
  const t0 = performance.now();
  for (const item of items) {
    if (!whole.has(item.tree.root)) {
      const w = wholeRepository(item.tree, capChars);
      const tokens = Math.ceil(w.text.length / 4);
      whole.set(item.tree.root, { text: w.text, tokens, files: w.files });
      const prev = wholeSize.get(item.project);
      if (!prev || prev.tokens < tokens) wholeSize.set(item.project, { tokens, files: w.files.length, truncated: w.truncated });
    }
    if (item.kind === 'deferrable') continue;
    const b = await buildBrief({ repo: item.tree.root, task: item.prompt, budgetTokens: BRIEF_TOKENS, dataDir });
    const ctx: ContextBrief = { text: b.brief, tokens: b.totalTokens, files: b.files.map((f) => f.path) };
    briefs.set(item.id, ctx);
    if (item.kind === 'fix') {
      const share = (names: readonly string[]) => item.gold.filter((g) => names.includes(g)).length / item.gold.length;
      const wholeFiles = whole.get(item.tree.root)?.files ?? [];
      recall.push({
        id: item.id,
        project: item.project,
        gold: item.gold.length,
        reachable: item.gold.filter((g) => exists(item.tree, g)).length / item.gold.length,
        brief: share(ctx.files),
        whole: share(wholeFiles),
        briefTokens: b.totalTokens,
      });
    }
  }
  return {
    contextFor(item, config) {
      if (config.context === 'none') return null;
      if (config.context === 'whole') return whole.get(item.tree.root) ?? null;
      return item.kind === 'deferrable' ? null : (briefs.get(item.id) ?? null);
    },
    recall,
    wholeSize,
    briefMs: performance.now() - t0,
  };
}
