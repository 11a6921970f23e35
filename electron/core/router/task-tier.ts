import type { Tier } from '../../../shared/contract';

/** What the learned model says about a task like this one (from outcomes seen so far). */
export interface LearnedOdds {
  weakCorrect: number;
  strongCorrect: number;
  /** How many outcomes the model learned from; below a handful its opinion is ignored. */
  outcomes: number;
}

export interface TaskTierInput {
  prompt: string;
  /** Files the task names or the context brief puts in play. */
  filesInPlay?: number;
  /** Whether a local model is configured for the local tier. */
  localAvailable: boolean;
  learned?: LearnedOdds | null;
}

export interface TaskTierDecision {
  tier: Tier;
  kind: 'mechanical' | 'reasoning' | 'unclear';
  reason: string;
}

// Mechanical work: the outcome is fixed by the instruction, no design choices to make.
const MECHANICAL: [RegExp, string][] = [
  [/\b(format|reformat|prettier|black|gofmt|rustfmt)\b/i, 'formatting task'],
  [/\b(lint|eslint|ruff|clippy)\b.*\b(fix|errors?|warnings?)\b|\bfix (the )?lint/i, 'lint-fix task'],
  [/\brename\b/i, 'rename'],
  [/\bmove\b.*\b(file|folder|directory|module|to)\b/i, 'move'],
  [/\b(sort|organi[sz]e) (the )?imports\b/i, 'import sorting'],
  [/\b(run|execute)\b.*\b(build|tests?|test suite|typecheck|lint)\b.*\b(report|tell|summari[sz]e|and)\b|^\s*(run|execute) (the )?(build|tests?)\b/i, 'run the build or tests and report'],
  [/\b(bump|update) (the )?(version|changelog|copyright)\b/i, 'version bump'],
  [/\b(fix|correct) (a |the )?typos?\b|\bspelling\b/i, 'typo fix'],
  [/\b(add|write) (doc ?strings|jsdoc|comments)\b/i, 'docstrings'],
];

// Reasoning: design, diagnosis, or changes whose shape is not given by the instruction.
const REASONING: [RegExp, string][] = [
  [/\b(design|architect|architecture|plan|proposal|trade-?offs?)\b/i, 'design work'],
  [/\b(debug|investigate|diagnose|root cause|why does|why is|flaky|race condition|deadlock|leak|crash(es)?|regression)\b/i, 'debugging'],
  [/\b(security|vulnerab|performance|optimi[sz]e|concurren)/i, 'performance or security work'],
  [/\b(implement|build|add support|new feature)\b/i, 'a feature to implement'],
  [/\b(refactor|restructure|migrate|rewrite)\b/i, 'a refactor'],
];

const FILE_MENTION = /(?:^|[\s`'"(])((?:[\w.-]+\/)*[\w.-]+\.(?:ts|tsx|js|jsx|mjs|py|go|rs|java|rb|c|cc|cpp|h|hpp|cs|kt|swift|php|md|json|ya?ml|toml))\b/g;

export function filesMentioned(prompt: string): number {
  return new Set([...prompt.matchAll(FILE_MENTION)].map((m) => m[1])).size;
}

/**
 * The tier a dispatched task starts on, with the reason a person reads. Pure: rules first (they are
 * explainable), then — for tasks the rules cannot place — what outcomes of earlier tasks taught.
 */
export function classifyTask(input: TaskTierInput): TaskTierDecision {
  const files = Math.max(input.filesInPlay ?? 0, filesMentioned(input.prompt));
  const hard = REASONING.find(([re]) => re.test(input.prompt));
  const easy = MECHANICAL.find(([re]) => re.test(input.prompt));
  if (files >= 5) return { tier: 'strong', kind: 'reasoning', reason: `strong: multi-file change, ${files} files in play` };
  if (easy && !hard) {
    if (input.localAvailable) return { tier: 'local', kind: 'mechanical', reason: `local: ${easy[1]}, no reasoning needed` };
    return { tier: 'fast', kind: 'mechanical', reason: `fast: ${easy[1]}, no reasoning needed` };
  }
  if (hard) return { tier: 'strong', kind: 'reasoning', reason: `strong: ${hard[1]}${files > 1 ? `, ${files} files in play` : ''}` };
  const l = input.learned;
  if (l && l.outcomes >= 20 && l.weakCorrect >= 0.8 && l.strongCorrect - l.weakCorrect < 0.1) {
    return { tier: 'fast', kind: 'unclear', reason: `fast: similar tasks succeeded on the fast tier (${Math.round(l.weakCorrect * 100)}% of the time)` };
  }
  return { tier: 'strong', kind: 'unclear', reason: 'strong: the default for coding tasks' };
}
