// Issue 7 benchmark: what the same parallel agent workload costs naively and through Sluice, and
// which mechanism saved what. See docs/savings-bench.md for the workload and what it assumes.
// Tasks: ../shared/bench-data/pruner-dev.jsonl (or $SLUICE_BENCH_DATA); sources: $SLUICE_BENCH_REPOS
// (docs/pruner.md, "Benchmark"); without it, trees already exported to <tmp>/sluice-bench-repos.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTasks, treeFor } from './pruner.bench';
import { countTokens } from '../../electron/core/pruner/tokens';
import { ALONE, CLAUDE_CODE_ALONE, CONFIGS, FAST, STRONG, type Config } from './savings/configs';
import { prepareContexts } from './savings/contexts';
import { projectInstructions } from './savings/repo-text';
import { printAgainstClaudeCode, printAlone, printReport } from './savings/report';
import { runConfig, type ProjectSetup, type RunResult } from './savings/run-config';
import { buildWorkload } from './savings/workload';

const SEED = Number(process.env.SLUICE_BENCH_SEED ?? 7);
const AGENTS = 5;
const PER_REPO = { 'iamkun/dayjs': 8, 'pytest-dev/pytest': 4 };

function reposDir(): string | null {
  const fromEnv = process.env.SLUICE_BENCH_REPOS;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  const exported = path.join(os.tmpdir(), 'sluice-bench-repos');
  return fs.existsSync(exported) ? exported : null;
}

export default async function bench(log: (line: string) => void): Promise<void> {
  const tasks = loadTasks();
  if (!tasks) {
    log('skipped: pruner-dev.jsonl not found (set SLUICE_BENCH_DATA to the folder holding it)');
    return;
  }
  const repos = reposDir();
  if (!repos) {
    const set = process.env.SLUICE_BENCH_REPOS;
    log(`skipped: no task sources — ${set ? `SLUICE_BENCH_REPOS=${set} does not exist` : 'set SLUICE_BENCH_REPOS'} (a folder with the exported trees, see docs/pruner.md, "Benchmark")`);
    return;
  }
  const items = buildWorkload({ tasks, treeFor: (repo, sha) => treeFor(repos, repo, sha), seed: SEED, perRepo: PER_REPO });
  const fixes = items.filter((i) => i.kind === 'fix');
  if (fixes.length === 0) {
    log(`skipped: none of the tasks' sources are under ${repos} (expected <owner>__<name>@<sha>/ or a git dir <owner>__<name>/)`);
    return;
  }
  const count = (k: string) => items.filter((i) => i.kind === k).length;
  const perProject = Object.keys(PER_REPO).map((p) => `${fixes.filter((f) => f.project === p).length} ${p}`).join(', ');
  log(
    `workload (seed ${SEED}): ${fixes.length} fix tasks (${perProject}), ${count('mechanical')} mechanical, ${count('deferrable')} deferrable; ` +
      `${AGENTS} agents; strong ${STRONG}, fast ${FAST}; sources from ${repos}`,
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-savings-'));
  try {
    countTokens('warm up');
    const contexts = await prepareContexts(items, dataDir);
    for (const [project, w] of contexts.wholeSize) {
      log(`whole repository, ${project}: ${w.files} source files, ~${Math.round(w.tokens / 1000)}k tokens${w.truncated ? ' (cut to the context window)' : ''}`);
    }
    log(`briefs: ${contexts.recall.length + count('mechanical')} built in ${(contexts.briefMs / 1000).toFixed(1)} s (indexing included)`);
    // Tasks of one project are dispatched on one folder (the first task's tree), which holds a CLAUDE.md of the
    // project's README and contributing guide: the product builds each project's prefix from that folder.
    const projects = new Map<string, ProjectSetup>();
    for (const item of items) {
      if (projects.has(item.project)) continue;
      const folder = path.join(dataDir, 'projects', item.project.replace('/', '__'));
      fs.cpSync(item.tree.root, folder, { recursive: true });
      const instructions = projectInstructions(item.tree, item.project);
      fs.writeFileSync(path.join(folder, 'CLAUDE.md'), `${instructions}\n`);
      projects.set(item.project, { folder, instructions });
    }

    const run = async (config: Config): Promise<RunResult> => {
      const r = await runConfig({ config, items, contextFor: contexts.contextFor, projects, agents: AGENTS });
      log(
        `ran ${config.name}: ${r.requests} requests in ${(r.wallMs / 1000).toFixed(1)} s ` +
          `(${Math.round(r.simulatedSeconds / 60)} simulated minutes${r.batchVia ? `; batches via the ${r.batchVia}` : ''})`,
      );
      return r;
    };
    const runs: RunResult[] = [];
    for (const config of CONFIGS) runs.push(await run(config));
    const reference = await run(CLAUDE_CODE_ALONE);
    printReport(runs, contexts.recall, log);
    const naive = runs[0];
    const sluice = runs[runs.length - 1];
    if (sluice) printAgainstClaudeCode(reference, sluice, log);
    if (process.env.SLUICE_BENCH_ALONE === '1' && naive) {
      const alone: RunResult[] = [];
      for (const config of ALONE) alone.push(await run(config));
      printAlone(naive, alone, log);
    } else {
      log('each mechanism alone on the naive run: set SLUICE_BENCH_ALONE=1 (four more runs, ~2 minutes)');
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
