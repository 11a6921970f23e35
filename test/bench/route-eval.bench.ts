// Issue 7 benchmark: how many strong-model calls the learned difficulty router saves on MMLU while
// keeping 95% of the strong model's accuracy, by 5-fold cross-validation over several seeds.
// Data: ../shared/bench-data/routing-mmlu (or $SLUICE_BENCH_DATA[/routing-mmlu]); never copied into the repo.
import fs from 'node:fs';
import path from 'node:path';
import { evaluateRouter, type RouterEvaluation } from '../../electron/core/router/eval/evaluate';
import { labelRows, loadRoutingData, resolveColumn } from '../../electron/core/router/eval/dataset';
import { recordOutcome, trainDifficulty, updateFromOutcome, type DifficultyExample, type ObservedOutcome } from '../../electron/core/router/difficulty/model';
import { deserializeDifficulty, serializeDifficulty } from '../../electron/core/router/difficulty/serialize';
import { seededRandom } from '../../electron/core/router/difficulty/random';
import { rankFold, shareNeeded } from '../../electron/core/router/eval/curve';
import { fmt } from './stats';

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const SEEDS = [1, 2, 3, 4, 5];
/** Published figures on this data (RouteLLM's best router; random routing). */
const ROUTELLM_SAVED = 0.45;

function dataFolder(): string {
  const base = process.env.SLUICE_BENCH_DATA ?? path.join(REPO_ROOT, '..', 'shared', 'bench-data');
  const nested = path.join(base, 'routing-mmlu');
  return fs.existsSync(nested) ? nested : base;
}

const pct = (x: number) => `${fmt(x * 100)}%`;

export default async function bench(log: (line: string) => void): Promise<void> {
  const folder = dataFolder();
  if (!fs.existsSync(folder)) {
    log(`skipped: no routing data at ${folder}`);
    return;
  }
  let t = performance.now();
  const data = loadRoutingData(folder);
  const weak = resolveColumn(data.columns, 'Mixtral', 'weak');
  const strong = resolveColumn(data.columns, 'gpt-4', 'strong');
  const rows = labelRows(data.rows, [weak, strong]);
  log(`${rows.length} prompts from ${data.files.length} files, loaded in ${fmt(performance.now() - t, 0)} ms`);

  const runs: RouterEvaluation[] = [];
  for (const seed of SEEDS) {
    const r = evaluateRouter(rows, { weakColumn: weak, strongColumn: strong, folds: 5, seed });
    runs.push(r);
    log(
      `seed ${seed}: saved ${pct(r.savedAt95)} of strong calls at 95% quality, APGR ${fmt(r.apgr, 3)}` +
        `  (train ${fmt(r.timing.trainMs / 1000, 1)} s for 5 folds, score ${fmt((r.timing.scoreMs * 1000) / r.prompts, 0)} µs/prompt)`,
    );
  }
  const saved = runs.map((r) => r.savedAt95);
  const mean = saved.reduce((a, b) => a + b, 0) / saved.length;
  const sd = Math.sqrt(saved.reduce((a, b) => a + (b - mean) ** 2, 0) / (saved.length - 1));
  const first = runs[0] as RouterEvaluation;
  log(`weak ${pct(first.weakAccuracy)}, strong ${pct(first.strongAccuracy)}, quality target ${pct(first.qualityTarget)}`);
  log(
    `learned router: ${pct(mean)} ± ${fmt(sd * 100)} (sd over ${saved.length} seeds; range ${pct(Math.min(...saved))}–${pct(Math.max(...saved))})` +
      `  vs RouteLLM ${pct(ROUTELLM_SAVED)}, random ${pct(first.baselineRandom)}, oracle ceiling ${pct(first.baselineOracle)}`,
  );
  log(mean > ROUTELLM_SAVED ? `beats RouteLLM by ${fmt((mean - ROUTELLM_SAVED) * 100)} points` : `BELOW RouteLLM by ${fmt((ROUTELLM_SAVED - mean) * 100)} points`);

  // What the product pays: one training on all the data, and the per-prompt scoring latency.
  const examples: DifficultyExample[] = rows.map((r) => ({ prompt: r.prompt, weakCorrect: r.correct[weak] === true, strongCorrect: r.correct[strong] === true }));
  t = performance.now();
  const model = trainDifficulty(examples);
  const trainAll = performance.now() - t;
  t = performance.now();
  for (const r of rows.slice(0, 2000)) model.score(r.prompt);
  log(`full training on ${rows.length} prompts: ${fmt(trainAll / 1000, 1)} s; scoring ${fmt(((performance.now() - t) * 1000) / 2000, 0)} µs/prompt; stored model ${fmt(serializeDifficulty(model).length / 1e6, 2)} MB of JSON`);
  learningFromOutcomes(examples, log);
}

/**
 * Learning from outcomes, simulated: train on 20% of the prompts, then route 60% by the model at a
 * 45% strong share and observe only what the product would see (a weak-routed prompt tells whether
 * weak did it, a weak failure is retried on strong, a strong-routed prompt tells about strong only),
 * then measure on the last 20%. Compares no learning, per-outcome nudges, and retraining with the
 * observed (partial) labels.
 */
function learningFromOutcomes(examples: readonly DifficultyExample[], log: (line: string) => void): void {
  const results = { frozen: [] as number[], nudged: [] as number[], retrained: [] as number[] };
  for (const seed of [1, 2, 3]) {
    const random = seededRandom(seed);
    const order = examples.map((_, i) => ({ i, r: random() })).sort((a, b) => a.r - b.r).map((x) => examples[x.i] as DifficultyExample);
    const n = order.length;
    const first = order.slice(0, Math.floor(n * 0.2));
    const stream = order.slice(Math.floor(n * 0.2), Math.floor(n * 0.8));
    const test = order.slice(Math.floor(n * 0.8));
    const strongAcc = test.filter((e) => e.strongCorrect).length / test.length;
    const saved = (m: { score(p: string): number }) =>
      1 - shareNeeded([rankFold(test.map((e) => m.score(e.prompt)), test.map((e) => e.weakCorrect), test.map((e) => e.strongCorrect), seededRandom(seed))], 0.95 * strongAcc);
    const base = trainDifficulty(first, { seed });
    const nudged = deserializeDifficulty(serializeDifficulty(base));
    const sorted = stream.map((e) => base.score(e.prompt)).sort((a, b) => b - a);
    const threshold = sorted[Math.floor(sorted.length * 0.45)] as number;
    const observed: ObservedOutcome[] = [...first];
    for (const e of stream) {
      if (nudged.score(e.prompt) >= threshold) {
        recordOutcome(nudged, e.prompt, { tier: 'strong', succeeded: e.strongCorrect });
        observed.push({ prompt: e.prompt, strongCorrect: e.strongCorrect });
      } else if (e.weakCorrect) {
        updateFromOutcome(nudged, e.prompt, true);
        observed.push({ prompt: e.prompt, weakCorrect: true });
      } else {
        updateFromOutcome(nudged, e.prompt, false);
        recordOutcome(nudged, e.prompt, { tier: 'strong', succeeded: e.strongCorrect });
        observed.push({ prompt: e.prompt, weakCorrect: false, strongCorrect: e.strongCorrect });
      }
    }
    results.frozen.push(saved(base));
    results.nudged.push(saved(nudged));
    results.retrained.push(saved(trainDifficulty(observed, { seed })));
  }
  const avg = (xs: number[]) => pct(xs.reduce((a, b) => a + b, 0) / xs.length);
  const each = (xs: number[]) => xs.map(pct).join(', ');
  log(`learning from routed outcomes (train on 20%, observe 60% as routed, test on 20%; 3 splits):`);
  log(`  no learning ${avg(results.frozen)} [${each(results.frozen)}]`);
  log(`  per-outcome updates ${avg(results.nudged)} [${each(results.nudged)}]`);
  log(`  retrained with observed outcomes ${avg(results.retrained)} [${each(results.retrained)}]`);
}
