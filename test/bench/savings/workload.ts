// The work the five agents share: real bug-fix tasks from pruner-dev.jsonl, plus mechanical sessions
// (run the tests, format) and deferrable single-shot jobs (docstrings), all on the same trees.
import { fileKind } from '../../../electron/core/pruner/repo/file-kind';
import { openTree, readText, type Tree } from './repo-text';
import { seeded, shuffled } from './rng';

export interface BenchTask {
  id: string;
  repo: string;
  base_sha: string;
  task: string;
  gold_files: string[];
}

export type WorkKind = 'fix' | 'mechanical' | 'deferrable';

export interface WorkItem {
  id: string;
  kind: WorkKind;
  /** owner/name: agents on one project share its prefix. */
  project: string;
  tree: Tree;
  prompt: string;
  /** Fix tasks: the files the real fix changed. */
  gold: string[];
  /** Deferrable tasks: the files to work on. */
  files: string[];
}

export interface WorkloadOptions {
  tasks: BenchTask[];
  treeFor: (repo: string, sha: string) => string | null;
  seed: number;
  /** Fix tasks per repository. */
  perRepo: Record<string, number>;
}

const MECHANICAL: Record<string, string> = {
  'iamkun/dayjs':
    'Run the whole test suite with `npm test`, then the linter with `npm run lint -- --fix`, and report which tests fail ' +
    'and which files the linter changed. Do not change any code by hand.',
  'pytest-dev/pytest':
    'Format the code base: run `pre-commit run --all-files` (black, isort, flake8), then `tox -e py38 -- -q`, and report ' +
    'what the formatters changed and whether the tests still pass. Do not change any code by hand.',
};

const DOCSTRINGS =
  'Write docstrings for the public functions in these files, in each file\'s own comment style (JSDoc for JavaScript, ' +
  'PEP 257 for Python): what the function does, its parameters, what it returns. Answer with the docstrings grouped by ' +
  'file and function; do not change behaviour.';

const short = (repo: string): string => repo.slice(repo.indexOf('/') + 1);

/** The same seed gives the same tasks, files and order. */
export function buildWorkload(o: WorkloadOptions): WorkItem[] {
  const rng = seeded(o.seed);
  const fixes: WorkItem[] = [];
  for (const [repo, n] of Object.entries(o.perRepo)) {
    const candidates = shuffled(o.tasks.filter((t) => t.repo === repo), rng);
    for (const t of candidates) {
      if (fixes.filter((f) => f.project === repo).length >= n) break;
      const root = o.treeFor(t.repo, t.base_sha);
      if (!root) continue;
      fixes.push({ id: t.id, kind: 'fix', project: repo, tree: openTree(root), prompt: t.task, gold: t.gold_files, files: [] });
    }
  }
  const ordered = shuffled(fixes, rng);
  const extras: WorkItem[] = [];
  for (const repo of Object.keys(o.perRepo)) {
    const first = ordered.find((f) => f.project === repo);
    if (!first) continue;
    const tree = first.tree;
    if (MECHANICAL[repo]) {
      extras.push({ id: `${short(repo)}-mechanical`, kind: 'mechanical', project: repo, tree, prompt: MECHANICAL[repo], gold: [], files: [] });
    }
    const docs = shuffled(
      tree.sources.filter((p) => fileKind(p) === 'source' && !p.includes('/locale/')).filter((p) => {
        const n = readText(tree, p).length;
        return n >= 1500 && n <= 12000;
      }),
      rng,
    ).slice(0, 4).sort();
    if (docs.length > 0) {
      extras.push({ id: `${short(repo)}-docstrings`, kind: 'deferrable', project: repo, tree, prompt: DOCSTRINGS, gold: [], files: docs });
    }
  }
  // Extras join the queue at fixed places, so mechanical and deferrable work overlaps the fixes.
  const queue = [...ordered];
  extras.forEach((x, k) => queue.splice(Math.min(queue.length, 3 + 3 * k), 0, x));
  return queue;
}
