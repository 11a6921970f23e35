import { trainDifficulty, type DifficultyExample, type DifficultyModel } from '../difficulty/model';
import { seededRandom } from '../difficulty/random';
import { areaUnder, rankFold, sampleCurve, shareNeeded, type CurvePoint, type RankedFold } from './curve';
import { RouteDataError, resolveColumn, type LabelledPrompt } from './dataset';
import { assignFolds, distinctPrompts } from './folds';

export interface EvaluateOptions {
  /** Column with the weak model's correctness (exact name, or a substring matching one column). */
  weakColumn: string;
  strongColumn: string;
  /** @default 5 */
  folds?: number;
  /** Seeds the folds, the tie-breaks and training. @default 1 */
  seed?: number;
  /** Quality to keep, as a share of the strong model's accuracy. @default 0.95 */
  keep?: number;
  /** The router under test; trained afresh on each fold's training part. @default trainDifficulty */
  train?: (examples: DifficultyExample[], seed: number) => DifficultyModel;
}

export interface RouterEvaluation {
  /** 1 − the smallest strong share whose routed accuracy ≥ keep × the strong model's accuracy. */
  savedAt95: number;
  /** Pooled held-out cost–quality curve at every 1% of strong share. */
  curve: CurvePoint[];
  folds: number;
  /** The same figure for a router that picks at random, in expectation. */
  baselineRandom: number;
  /** The same figure for a router that knows the answers (RouteLLM's "optimal"): the ceiling. */
  baselineOracle: number;
  /** RouteLLM's average performance gap recovered over the whole curve. */
  apgr: number;
  weakAccuracy: number;
  strongAccuracy: number;
  qualityTarget: number;
  prompts: number;
  timing: { trainMs: number; scoreMs: number };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * k-fold cross-validation of a router on labelled prompts. Each fold's router is trained on the other
 * folds only, and scores only its own fold; identical prompts always share a fold. Each fold ranks its
 * prompts and routes the same share of them to strong; the folds' results are pooled per share.
 *
 * The figure is RouteLLM's call-performance threshold for an absolute target: RouteLLM reports the
 * strong-call share at which the routed accuracy reaches a given quality (interpolated on the
 * curve; its CPT(x%) targets weak + x·(strong − weak)), and headlines cost saved "at 95% of GPT-4's
 * performance", i.e. the target 0.95 × strong accuracy used here. On the MMLU data that target is
 * PGR ≈ 68%, and a random router saves 1 − (0.95·S − W)/(S − W) ≈ 32%.
 */
export function evaluateRouter(rows: readonly LabelledPrompt[], opts: EvaluateOptions): RouterEvaluation {
  const k = opts.folds ?? 5;
  const seed = opts.seed ?? 1;
  const keep = opts.keep ?? 0.95;
  const train = opts.train ?? ((examples: DifficultyExample[], s: number) => trainDifficulty(examples, { seed: s }));
  if (!Number.isInteger(k) || k < 2) throw new RouteDataError(`folds must be a whole number ≥ 2, got ${k}`);
  if (rows.length === 0) throw new RouteDataError('no prompts to evaluate');
  const columns = Object.keys(rows[0]?.correct ?? {});
  const weakColumn = resolveColumn(columns, opts.weakColumn, 'weak column');
  const strongColumn = resolveColumn(columns, opts.strongColumn, 'strong column');
  if (weakColumn === strongColumn) throw new RouteDataError(`the weak and strong columns are the same column ("${weakColumn}")`);
  const prompts = rows.map((r) => r.prompt);
  const distinct = distinctPrompts(prompts);
  if (distinct < k) throw new RouteDataError(`${k} folds need at least ${k} distinct prompts, the data has ${distinct}`);
  const label = (r: LabelledPrompt, c: string, i: number): boolean => {
    const v = r.correct[c];
    if (v === undefined) throw new RouteDataError(`row ${i + 1} has no value for "${c}"`);
    return v;
  };
  const weak = rows.map((r, i) => label(r, weakColumn, i));
  const strong = rows.map((r, i) => label(r, strongColumn, i));

  const foldOf = assignFolds(prompts, k, seed);
  const tieBreak = seededRandom(seed ^ 0x5eed);
  const ranked: RankedFold[] = [];
  let trainMs = 0;
  let scoreMs = 0;
  for (let f = 0; f < k; f++) {
    const examples: DifficultyExample[] = [];
    const heldOut: number[] = [];
    foldOf.forEach((fold, i) => {
      if (fold === f) heldOut.push(i);
      else examples.push({ prompt: prompts[i] as string, weakCorrect: weak[i] as boolean, strongCorrect: strong[i] as boolean });
    });
    const t0 = performance.now();
    const model = train(examples, seed * 1000 + f);
    const t1 = performance.now();
    const scores = heldOut.map((i) => model.score(prompts[i] as string));
    scoreMs += performance.now() - t1;
    trainMs += t1 - t0;
    ranked.push(
      rankFold(
        scores,
        heldOut.map((i) => weak[i] as boolean),
        heldOut.map((i) => strong[i] as boolean),
        tieBreak,
      ),
    );
  }

  const n = rows.length;
  const W = weak.filter(Boolean).length / n;
  const S = strong.filter(Boolean).length / n;
  const target = keep * S;
  const rescued = weak.filter((w, i) => !w && strong[i]).length / n;
  const gap = S - W;
  const area = areaUnder(ranked);
  return {
    savedAt95: 1 - shareNeeded(ranked, target),
    curve: sampleCurve(ranked),
    folds: k,
    baselineRandom: W >= target ? 1 : gap > 0 ? 1 - clamp01((target - W) / gap) : 0,
    baselineOracle: W >= target ? 1 : target - W <= rescued ? 1 - (target - W) : 0,
    apgr: gap !== 0 ? (area - W) / gap : 0,
    weakAccuracy: W,
    strongAccuracy: S,
    qualityTarget: target,
    prompts: n,
    timing: { trainMs, scoreMs },
  };
}
