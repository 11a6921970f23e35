import type { SavingsEstimate } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';

/**
 * Today's savings from the ledger's two sums: what was paid, and what the same tokens would have cost
 * on the strong model with no cache and no local routing (recorded per request at settle time).
 * The assumptions are shown to the user as written, so each says plainly what is and is not counted.
 */
export function savingsEstimate(actualMicros: Micros, baselineMicros: Micros, baselineModel: string): SavingsEstimate {
  const assumptions = [
    `Baseline: every request priced on ${baselineModel} (your strong tier) at its list input and output rates.`,
    'Prompt tokens read from or written to the cache are counted at the full input rate, as if nothing were cached.',
    `Requests answered by local models (Ollama) count as if they had gone to ${baselineModel}.`,
    'The same output length is assumed; a different model may have answered longer or shorter.',
    'Context pruning is not credited: the baseline uses the prompts as they were actually sent.',
    'Rejected and unsent requests count in neither sum.',
  ];
  if (baselineMicros < actualMicros) {
    assumptions.push(`Today cost more than the baseline: some requests used a model dearer than ${baselineModel}.`);
  }
  return { actualMicros, baselineMicros, savedMicros: baselineMicros - actualMicros, baselineModel, assumptions };
}
