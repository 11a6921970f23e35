import path from 'node:path';
import { evaluateRouter, type RouterEvaluation } from '../../router/eval/evaluate';
import { labelRows, loadRoutingData, resolveColumn, RouteDataError } from '../../router/eval/dataset';
import { parse, positiveInt, table } from '../args';
import type { CliCommand } from '../io';
import { UsageError } from '../io';

const USAGE = 'sluice route-eval --data PATH --weak COLUMN --strong COLUMN [--folds K] [--seed N] [--json]';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required. Usage: ${USAGE}`);
  return value;
}

function report(r: RouterEvaluation, weak: string, strong: string, files: number): string {
  const shares = new Set([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  const rows = [['strong share', 'quality', 'of strong']];
  for (const p of r.curve) {
    if (!shares.has(Math.round(p.strongShare * 100))) continue;
    rows.push([pct(p.strongShare, 0), pct(p.quality), pct(p.quality / r.strongAccuracy)]);
  }
  return (
    `${r.prompts} prompts from ${files} file(s), ${r.folds}-fold cross-validation\n` +
    `weak   ${weak}: ${pct(r.weakAccuracy)} correct\n` +
    `strong ${strong}: ${pct(r.strongAccuracy)} correct\n` +
    `\n` +
    `strong calls saved at 95% of strong quality (≥ ${pct(r.qualityTarget)}): ${pct(r.savedAt95)}\n` +
    `random routing saves ${pct(r.baselineRandom)}; a router that knew the answers would save ${pct(r.baselineOracle)}\n` +
    `average performance gap recovered (APGR): ${r.apgr.toFixed(3)}\n` +
    `\n` +
    table(rows) +
    `\ntrained in ${(r.timing.trainMs / 1000).toFixed(1)} s, scored in ${(r.timing.scoreMs / 1000).toFixed(1)} s\n`
  );
}

/**
 * `sluice route-eval`: how many strong-model calls the difficulty router saves on labelled prompts
 * (a CSV file or a folder of them), measured by k-fold cross-validation.
 */
export const routeEval: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    {
      data: { type: 'string' },
      weak: { type: 'string' },
      strong: { type: 'string' },
      folds: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Usage: ${USAGE}`);
  const data = required(values.data, '--data PATH');
  const weakWanted = required(values.weak, '--weak COLUMN');
  const strongWanted = required(values.strong, '--strong COLUMN');
  const folds = positiveInt(values.folds, '--folds') ?? 5;
  if (folds < 2) throw new UsageError(`--folds must be at least 2 (train on some folds, score another), got ${folds}.`);
  const seed = values.seed === undefined ? 1 : positiveInt(values.seed, '--seed');

  try {
    const loaded = loadRoutingData(path.resolve(io.cwd, data));
    const weak = resolveColumn(loaded.columns, weakWanted, '--weak');
    const strong = resolveColumn(loaded.columns, strongWanted, '--strong');
    if (weak === strong) throw new RouteDataError(`--weak and --strong name the same column ("${weak}").`);
    const rows = labelRows(loaded.rows, [weak, strong]);
    const r = evaluateRouter(rows, { weakColumn: weak, strongColumn: strong, folds, seed });
    if (values.json) {
      const out = {
        savedAt95: round6(r.savedAt95),
        curve: r.curve.map((p) => ({ strongShare: round6(p.strongShare), quality: round6(p.quality) })),
        folds: r.folds,
        baselineRandom: round6(r.baselineRandom),
        baselineOracle: round6(r.baselineOracle),
        apgr: round6(r.apgr),
        weakAccuracy: round6(r.weakAccuracy),
        strongAccuracy: round6(r.strongAccuracy),
        prompts: r.prompts,
      };
      io.stdout(`${JSON.stringify(out)}\n`);
    } else {
      io.stdout(report(r, weak, strong, loaded.files.length));
    }
    return 0;
  } catch (e) {
    if (e instanceof RouteDataError) throw new UsageError(e.message.replace(/\s+/g, ' '));
    throw e;
  }
};
