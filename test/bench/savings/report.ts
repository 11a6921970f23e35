// The figures: dollars per configuration, the ratio, and the saving each mechanism added in order.
import { formatUsd } from '../../../shared/money';
import type { BriefRecall } from './contexts';
import type { RunResult } from './run-config';

export interface Attribution {
  name: string;
  /** µ$ this step saved against the row before it. */
  savedMicros: number;
  /** As a share of the naive bill. */
  ofNaive: number;
  /** As a share of everything saved. */
  ofSaved: number;
}

export interface Summary {
  naiveMicros: number;
  sluiceMicros: number;
  ratio: number;
  saved: number;
  attribution: Attribution[];
  /** Saved by cache + routing + batches, as a share of the pruned run's bill (the "coordination alone" figure). */
  coordinationOfPruned: number;
  /** Saved by the shared prefix + routing + batches, from the run that caches only as Claude Code does by itself. */
  beyondSessionCache: number;
  meanBriefRecall: number;
  meanWholeRecall: number;
  meanReachable: number;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;
const usd = (micros: number): string => formatUsd(micros);

export function summarize(runs: readonly RunResult[], recall: readonly BriefRecall[]): Summary {
  const first = runs[0];
  const lastRun = runs[runs.length - 1];
  if (!first || !lastRun) throw new Error('no runs');
  const naive = first.spend.micros;
  const sluice = lastRun.spend.micros;
  const totalSaved = naive - sluice;
  const attribution = runs.slice(1).map((r, i) => {
    const saved = (runs[i]?.spend.micros ?? 0) - r.spend.micros;
    return { name: r.config.name, savedMicros: saved, ofNaive: saved / naive, ofSaved: totalSaved === 0 ? 0 : saved / totalSaved };
  });
  const pruned = runs.find((r) => r.config.context === 'brief' && r.config.cache === 'none');
  const sessionCached = runs.find((r) => r.config.context === 'brief' && r.config.cache === 'session' && !r.config.routing);
  return {
    naiveMicros: naive,
    sluiceMicros: sluice,
    ratio: naive / Math.max(1, sluice),
    saved: totalSaved / naive,
    attribution,
    coordinationOfPruned: pruned ? (pruned.spend.micros - sluice) / pruned.spend.micros : NaN,
    beyondSessionCache: sessionCached ? (sessionCached.spend.micros - sluice) / sessionCached.spend.micros : NaN,
    meanBriefRecall: mean(recall.map((r) => r.brief)),
    meanWholeRecall: mean(recall.map((r) => r.whole)),
    meanReachable: mean(recall.map((r) => r.reachable)),
  };
}

export function printReport(runs: readonly RunResult[], recall: readonly BriefRecall[], log: (line: string) => void): Summary {
  const s = summarize(runs, recall);
  log('');
  log('configuration (cumulative)   requests      total      fixes  mechanical  deferrable  background  cache-read share of prompt   saved vs previous');
  runs.forEach((r, i) => {
    const t = r.spend.tokens;
    const prompt = t.input + t.cacheWrite + t.cacheRead;
    const a = i === 0 ? null : s.attribution[i - 1];
    log(
      `  ${r.config.name.padEnd(26)} ${String(r.requests).padStart(8)} ${usd(r.spend.micros).padStart(10)} ${usd(r.spend.byKind.fix).padStart(10)} ` +
        `${usd(r.spend.byKind.mechanical).padStart(11)} ${usd(r.spend.byKind.deferrable).padStart(11)} ${usd(r.spend.byKind.background).padStart(11)} ` +
        `${pct(t.cacheRead / Math.max(1, prompt)).padStart(28)}   ${a ? `${usd(a.savedMicros)} (${pct(a.ofNaive)} of naive)` : '—'}`,
    );
  });
  log('');
  log('tokens (millions)            prompt uncached   cache write   cache read     output');
  for (const r of runs) {
    const t = r.spend.tokens;
    const m = (n: number) => (n / 1e6).toFixed(2).padStart(12);
    log(`  ${r.config.name.padEnd(26)} ${m(t.input).padStart(15)} ${m(t.cacheWrite)} ${m(t.cacheRead)} ${m(t.output)}`);
  }
  log('');
  log(`naive ${usd(s.naiveMicros)} → Sluice ${usd(s.sluiceMicros)}: ${s.ratio.toFixed(1)}× cheaper, ${pct(s.saved)} saved (goal ≥ 80%)`);
  log(`where the savings came from (each step given the ones above it): ${s.attribution.map((a) => `${a.name.replace(/^\+ /, '').replace(/ = Sluice$/, '')} ${pct(a.ofSaved)}`).join(', ')}`);
  log(`coordination alone (caching + routing + batches, from the pruned run): ${pct(s.coordinationOfPruned)} saved (the seed article expects 40–60%)`);
  log(`beyond the caching Claude Code does by itself (shared prefix + routing + batches, from the session-cache run): ${pct(s.beyondSessionCache)} saved`);
  const withPrefix = runs[runs.length - 1]?.projectPrefix;
  if (withPrefix && withPrefix.requests > 0) {
    const sizes = [...withPrefix.tokens].map(([folder, n]) => `~${n.toLocaleString('en-US')} tokens for ${folder.slice(folder.lastIndexOf('/') + 1)}`).join(', ');
    log(`project prefix (built by the gateway from each project's folder: CLAUDE.md + folder map): ${sizes}; carried by ${withPrefix.requests} requests of the Sluice run`);
  }
  log(
    `brief file recall @5k (share of the files the real fix changed that the brief names), ${recall.length} tasks: ` +
      `${pct(s.meanBriefRecall, 0)}; whole repository ${pct(s.meanWholeRecall, 0)}; ceiling (files that exist before the fix) ${pct(s.meanReachable, 0)}`,
  );
  const search = runs.find((r) => r.config.context === 'brief')?.searchTurns ?? 0;
  const naiveSearch = runs[0]?.searchTurns ?? 0;
  log(`turns spent finding files the context did not name: ${search} with the brief, ${naiveSearch} with the whole repository (paid for in the runs above)`);
  for (const r of recall) {
    log(`  ${r.id.padEnd(28)} gold ${r.gold}  brief ${pct(r.brief, 0).padStart(4)}  whole ${pct(r.whole, 0).padStart(4)}  (${r.briefTokens} brief tokens)`);
  }
  return s;
}

/** Each mechanism applied alone to the naive run. */
export function printAlone(naive: RunResult, alone: readonly RunResult[], log: (line: string) => void): void {
  log('');
  log('each mechanism alone on the naive run (the cumulative table credits a mechanism only with what is left after the ones above it):');
  for (const r of alone) {
    const saved = (naive.spend.micros - r.spend.micros) / naive.spend.micros;
    log(`  ${r.config.name.padEnd(26)} ${usd(r.spend.micros).padStart(10)}   ${pct(saved)} saved`);
  }
}

/** The bill against what the same work costs a Claude Code user on their own. */
export function printAgainstClaudeCode(alone: RunResult, sluice: RunResult, log: (line: string) => void): void {
  const saved = (alone.spend.micros - sluice.spend.micros) / alone.spend.micros;
  log('');
  log(
    `against Claude Code alone (no brief: the agent finds every file itself, ${alone.searchTurns} extra search turns; its own caching; one model): ` +
      `${usd(alone.spend.micros)} → Sluice ${usd(sluice.spend.micros)}, ${pct(saved)} saved`,
  );
}
