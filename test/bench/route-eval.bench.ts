// Issue 7 benchmark: how many strong-model calls the learned difficulty router saves on MMLU while
// keeping 95% of the strong model's accuracy, by 5-fold cross-validation over several seeds.
// Data: ../shared/bench-data/routing-mmlu (or $SLUICE_BENCH_DATA[/routing-mmlu]); never copied into the repo.
import fs from 'node:fs';
import path from 'node:path';
import { evaluateRouter, type RouterEvaluation } from '../../electron/core/router/eval/evaluate';
import { labelRows, loadRoutingData, resolveColumn } from '../../electron/core/router/eval/dataset';
import { trainDifficulty } from '../../electron/core/router/difficulty/model';
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
  t = performance.now();
  const model = trainDifficulty(rows.map((r) => ({ prompt: r.prompt, weakCorrect: r.correct[weak] === true, strongCorrect: r.correct[strong] === true })));
  const trainAll = performance.now() - t;
  t = performance.now();
  for (const r of rows.slice(0, 2000)) model.score(r.prompt);
  log(`full training on ${rows.length} prompts: ${fmt(trainAll / 1000, 1)} s; scoring ${fmt(((performance.now() - t) * 1000) / 2000, 0)} µs/prompt`);
}
