import type { SettingsStore } from '../ledger/settings-store';
import { trainDifficulty, recordOutcome, type HashedDifficultyModel } from './difficulty';
import type { LearnedOdds } from './task-tier';

export interface TaskOutcome {
  prompt: string;
  /** weak = the fast or local tier; strong = the strong tier. */
  tier: 'weak' | 'strong';
  succeeded: boolean;
  at: number;
  /** The task it is about: a task has one outcome per tier, and a stronger verdict replaces a weaker one. */
  taskId?: string;
  source?: OutcomeSource;
}

/** How the outcome was learned, weakest verdict first: the run's end, the user's thumbs, a retry on a stronger tier. */
export type OutcomeSource = 'finished' | 'rating' | 'retry';
const RANK: Record<OutcomeSource, number> = { finished: 0, rating: 1, retry: 2 };

const KEY = 'router.outcomes';
const KEEP = 2_000;
/** Retrain from all outcomes after this many new ones; nudge the model in between (see router/difficulty). */
const RETRAIN_EVERY = 20;

/**
 * Learning from outcomes: a routed task that finished or failed, the user's thumbs up or down, a retry
 * on a stronger tier. Outcomes are kept in the ledger (settings row), the model is retrained from them
 * periodically and nudged by each new one, and `odds(prompt)` feeds the task classifier.
 */
export class OutcomeLearner {
  private outcomes: TaskOutcome[];
  private model: HashedDifficultyModel | null = null;
  private sinceTrain = 0;

  constructor(private readonly settings: SettingsStore) {
    this.outcomes = settings.getValue<TaskOutcome[]>(KEY) ?? [];
    if (this.outcomes.length > 0) this.retrain();
  }

  count(): number {
    return this.outcomes.length;
  }

  /**
   * Learns from one outcome; false when it changed nothing. An outcome for a task already recorded on that
   * tier replaces it when its source is as strong or stronger (a thumbs down after "finished", a retry
   * after either), else it is dropped — so a retry counts once however often the task is retried, and a
   * task finishing is never counted twice across restarts.
   */
  record(o: TaskOutcome): boolean {
    const i = o.taskId === undefined ? -1 : this.outcomes.findIndex((x) => x.taskId === o.taskId && x.tier === o.tier);
    if (i >= 0) {
      const prev = this.outcomes[i] as TaskOutcome;
      const rank = (x: TaskOutcome) => RANK[x.source ?? 'finished'];
      if (rank(o) < rank(prev) || (rank(o) === rank(prev) && o.succeeded === prev.succeeded)) return false;
      // A nudge cannot be taken back: drop the old verdict and retrain from what remains.
      this.outcomes.splice(i, 1);
      this.outcomes.push(o);
      this.settings.setValue(KEY, this.outcomes);
      this.retrain();
      return true;
    }
    this.outcomes.push(o);
    if (this.outcomes.length > KEEP) this.outcomes = this.outcomes.slice(-KEEP);
    this.settings.setValue(KEY, this.outcomes);
    this.sinceTrain += 1;
    if (!this.model || this.sinceTrain >= RETRAIN_EVERY) this.retrain();
    else recordOutcome(this.model, o.prompt, { tier: o.tier, succeeded: o.succeeded });
    return true;
  }

  odds(prompt: string): LearnedOdds | null {
    if (!this.model) return null;
    const p = this.model.probabilities(prompt);
    return { weakCorrect: p.weakCorrect, strongCorrect: p.strongCorrect, outcomes: this.outcomes.length };
  }

  private retrain(): void {
    this.model = trainDifficulty(
      this.outcomes.map((o) => (o.tier === 'weak' ? { prompt: o.prompt, weakCorrect: o.succeeded } : { prompt: o.prompt, strongCorrect: o.succeeded })),
      { bits: 14 },
    );
    this.sinceTrain = 0;
  }
}
