import { featurize, hashedCounts, learnIdf, weigh, type SparseVector } from './features';
import { predict, sgdStep, trainHead, type LogisticHead } from './logistic';
import { seededRandom } from './random';

/** How hard a prompt is for the weak model, on a scale where higher = more likely to need the strong one. */
export interface DifficultyModel {
  score(prompt: string): number;
}

/** One labelled prompt: did each model answer it correctly? */
export interface DifficultyExample {
  prompt: string;
  weakCorrect: boolean;
  strongCorrect: boolean;
}

/**
 * What the product observes: usually one model's outcome (the weak tier did or did not do the job;
 * a retry or a strong-routed task tells about strong). Each head learns from the outcomes it has.
 */
export interface ObservedOutcome {
  prompt: string;
  weakCorrect?: boolean;
  strongCorrect?: boolean;
}

export interface TrainDifficultyOptions {
  /** log2 of the hashed feature space. 2^16 loses under a point on MMLU against 2^18 and keeps a stored model ~0.9 MB. @default 16 */
  bits?: number;
  /** L2 strength of each head. @default 3 */
  l2?: number;
  /** Training passes. @default 12 */
  epochs?: number;
  /** Adagrad base step. @default 0.5 */
  learningRate?: number;
  /** Seed for the training order. @default 1 */
  seed?: number;
}

/**
 * Two logistic heads over the same hashed n-gram features, one per model: P(weak correct | prompt)
 * and P(strong correct | prompt). The score is their difference, the expected accuracy gained by
 * sending this prompt to the strong model — exactly what a cost–quality ranking needs. Two heads
 * rather than one: in use we mostly observe one model's outcome at a time, and each head can learn
 * from its own.
 */
export class HashedDifficultyModel implements DifficultyModel {
  constructor(
    readonly bits: number,
    readonly idf: Float32Array,
    readonly weak: LogisticHead,
    readonly strong: LogisticHead,
  ) {}

  vector(prompt: string): SparseVector {
    return featurize(prompt, this.bits, this.idf);
  }

  /** P(strong correct) − P(weak correct), in [−1, 1]. */
  score(prompt: string): number {
    const x = this.vector(prompt);
    return predict(this.strong, x) - predict(this.weak, x);
  }

  probabilities(prompt: string): { weakCorrect: number; strongCorrect: number } {
    const x = this.vector(prompt);
    return { weakCorrect: predict(this.weak, x), strongCorrect: predict(this.strong, x) };
  }
}

/**
 * Trains both heads. Examples may carry one label or both, so outcomes collected in use (partial labels)
 * can be added to the original training set and the model retrained: in the MMLU simulation of routed
 * feedback (route-eval bench) that adds about 4 points of saved strong calls, where per-outcome
 * updates alone were neutral to slightly negative. Retrain periodically; nudge in between.
 */
export function trainDifficulty(examples: readonly ObservedOutcome[], opts: TrainDifficultyOptions = {}): HashedDifficultyModel {
  const bits = opts.bits ?? 16;
  if (!Number.isInteger(bits) || bits < 4 || bits > 24) throw new RangeError(`bits must be a whole number in 4..24, got ${bits}`);
  const counts = examples.map((e) => hashedCounts(e.prompt, bits));
  const idf = learnIdf(counts, bits);
  const xs = counts.map((c) => weigh(c, idf));
  const seed = opts.seed ?? 1;
  const head = (label: (e: ObservedOutcome) => boolean | undefined, salt: number) => {
    const picked: SparseVector[] = [];
    const ys: number[] = [];
    examples.forEach((e, i) => {
      const y = label(e);
      if (y === undefined) return;
      picked.push(xs[i] as SparseVector);
      ys.push(y ? 1 : 0);
    });
    return trainHead(picked, ys, bits, { l2: opts.l2, epochs: opts.epochs, learningRate: opts.learningRate, random: seededRandom(seed * 7919 + salt) });
  };
  return new HashedDifficultyModel(bits, idf, head((e) => e.weakCorrect, 1), head((e) => e.strongCorrect, 2));
}

export interface OutcomeOptions {
  /**
   * Step size for one observed outcome. Small on purpose: in the MMLU outcome simulation (route-eval bench)
   * steps of 0.2 and more made routing worse than no updates at all. @default 0.05
   */
  learningRate?: number;
}

/**
 * Learn from one routed outcome (task finished vs failed, thumbs up/down, a retry on a stronger tier).
 * Updates only the head of the model that actually answered. Mutates `model` and returns it.
 */
export function recordOutcome(
  model: HashedDifficultyModel,
  prompt: string,
  outcome: { tier: 'weak' | 'strong'; succeeded: boolean },
  opts: OutcomeOptions = {},
): HashedDifficultyModel {
  const head = outcome.tier === 'weak' ? model.weak : model.strong;
  sgdStep(head, model.vector(prompt), outcome.succeeded ? 1 : 0, opts.learningRate ?? 0.05);
  return model;
}

/** The common case: the prompt went to the weak tier, and it did (or did not) do the job. */
export function updateFromOutcome(model: HashedDifficultyModel, prompt: string, succeededOnWeak: boolean, opts: OutcomeOptions = {}): HashedDifficultyModel {
  return recordOutcome(model, prompt, { tier: 'weak', succeeded: succeededOnWeak }, opts);
}
