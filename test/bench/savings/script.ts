// Scripted agent sessions. The turns are fixed by the task and the seed, the same in every
// configuration, except that an agent whose brief missed a file it needs spends a turn finding it.
import crypto from 'node:crypto';
import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { exists, grep, numbered, readText, type Tree } from './repo-text';
import { between, pick, seeded, type Rng } from './rng';
import {
  formatterOutput,
  functionsOf,
  isPython,
  suiteOutput,
  testCommand,
  testFileFor,
  testRunOutput,
} from './session-text';
import type { WorkItem } from './workload';

export type ReplyBlock =
  | { type: 'thinking'; thinking: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface ScriptedTurn {
  /** The assistant's answer to this turn's request. */
  reply: ReplyBlock[];
  /** What the tools returned, sent as the next user message; empty after the last turn. */
  results: Anthropic.Messages.ToolResultBlockParam[];
  /** Wall time the tools take (simulated seconds). */
  toolSeconds: number;
  /** Shell commands run this turn: Claude Code asks a small model for each one's prefix first. */
  bash: string[];
}

export interface SessionScript {
  turns: ScriptedTurn[];
  /** Bytes the agent read with tools (file reads), for the report. */
  readFiles: string[];
}

export function itemRng(id: string, salt = ''): Rng {
  return seeded(parseInt(crypto.createHash('sha1').update(id + salt).digest('hex').slice(0, 8), 16));
}

const title = (prompt: string): string => (prompt.split('\n').find((l) => l.trim() !== '') ?? prompt).replace(/^#+\s*/, '').trim().slice(0, 100);

function say(rng: Rng, ...options: string[]): string {
  return pick(options, rng);
}

const REASONING = [
  'The report says: {t}.',
  'So the question is where {x} is computed and which branch the failing input takes.',
  'If the value is converted before it is checked, the guard never sees the original input; that would explain it.',
  'I should confirm this against {f} rather than assume it.',
  'The tests around {x} cover the common cases but probably not this one.',
  'A minimal fix is a guard before the conversion; a broader one would change the helper, which other callers use.',
  'I will keep the change local to {f} unless the tests show the helper is wrong too.',
  'The output above narrows it down: the relevant lines are the ones that mention {x}.',
  'Edge cases to keep in mind: an empty value, a value at the boundary, and the default locale.',
  'Before editing, check the surrounding style (quotes, semicolons, indentation) so the diff stays small.',
];

/** Extended thinking, billed as output: 150–800 tokens a turn, as Opus-class agents spend. */
function thinking(rng: Rng, facts: { t: string; x: string; f: string }, minChars: number, maxChars: number): ReplyBlock {
  const target = between(rng, minChars, maxChars);
  const parts: string[] = [];
  let size = 0;
  for (let i = between(rng, 0, REASONING.length - 1); size < target; i++) {
    const line = (REASONING[i % REASONING.length] ?? '').replace('{t}', facts.t).replace('{x}', facts.x).replace('{f}', facts.f);
    parts.push(line);
    size += line.length + 1;
  }
  return { type: 'thinking', thinking: parts.join(' ') };
}

/** The identifier the agent searches for first: something the issue names that the code defines or uses. */
function searchTerm(item: WorkItem, reachable: string[]): string {
  const text = item.prompt;
  const candidates = [
    ...[...text.matchAll(/`([A-Za-z_$][\w$.]{2,40})(?:\(\))?`/g)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/\b([a-z]+[A-Z][\w]*|[a-z]+_[a-z_]+[a-z])\b/g)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/\b([a-z]{5,})\b/g)].map((m) => m[1] ?? ''),
  ].map((c) => c.split('.').pop() ?? c);
  for (const c of candidates) {
    if (c.length < 4) continue;
    if (reachable.some((g) => readText(item.tree, g).includes(c))) return c;
  }
  const g = reachable[0] ?? item.gold[0] ?? 'index';
  const base = path.basename(g).replace(/\.[^.]+$/, '');
  return base === 'index' ? path.basename(path.dirname(g)) : base;
}

class Ids {
  private n = 0;
  constructor(private readonly prefix: string) {}
  next(): string {
    this.n += 1;
    return `toolu_${this.prefix}_${String(this.n).padStart(2, '0')}`;
  }
}

function toolTurn(ids: Ids, text: string, name: string, input: Record<string, unknown>, output: string, toolSeconds: number): ScriptedTurn {
  const id = ids.next();
  return {
    reply: [
      { type: 'text', text },
      { type: 'tool_use', id, name, input },
    ],
    results: [{ type: 'tool_result', tool_use_id: id, content: output }],
    toolSeconds,
    bash: name === 'Bash' ? [String(input.command)] : [],
  };
}

/** An Edit of a real region of `file` (around the first line containing `near`, or at `at` of its length). */
function editTurn(ids: Ids, tree: Tree, file: string, near: string, at: number, why: string): ScriptedTurn {
  const lines = readText(tree, file).split('\n');
  let i = near ? lines.findIndex((l) => l.includes(near)) : -1;
  if (i < 0) i = Math.floor(lines.length * at);
  const from = Math.max(0, Math.min(i - 3, lines.length - 8));
  const old = lines.slice(from, from + 8);
  const indent = /^\s*/.exec(old[3] ?? old[0] ?? '')?.[0] ?? '';
  const comment = isPython(file) ? '#' : '//';
  const added = isPython(file)
    ? [`${indent}${comment} ${why}`, `${indent}if value is None:`, `${indent}    return default`]
    : [`${indent}${comment} ${why}`, `${indent}if (value === undefined || value === null) return fallback`];
  const fresh = [...old.slice(0, 3), ...added, ...old.slice(3)];
  const snippet = numbered(fresh.join('\n'), 1).replace(/^\s*(\d+)/gm, (_, n: string) => String(from + Number(n)).padStart(6));
  return toolTurn(
    ids,
    `${why.charAt(0).toUpperCase()}${why.slice(1)}. I'll make that change in ${file}.`,
    'Edit',
    { file_path: file, old_string: old.join('\n'), new_string: fresh.join('\n') },
    `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippet}`,
    0.5,
  );
}

function finalTurn(text: string): ScriptedTurn {
  return { reply: [{ type: 'text', text }], results: [], toolSeconds: 0, bash: [] };
}

/** Every turn starts with the model's thinking. */
function withThinking(turns: ScriptedTurn[], rng: Rng, facts: { t: string; x: string; f: string }, minChars: number, maxChars: number): ScriptedTurn[] {
  return turns.map((turn) => ({ ...turn, reply: [thinking(rng, facts, minChars, maxChars), ...turn.reply] }));
}

/**
 * A bug fix: search, (find what the brief missed), read the files, edit, test (fails), edit, test (passes), report.
 * `missed` are files the agent needs that its context did not name.
 */
export function fixSession(item: WorkItem, missed: readonly string[]): SessionScript {
  const rng = itemRng(item.id);
  const ids = new Ids(crypto.createHash('sha1').update(item.id).digest('hex').slice(0, 10));
  const tree = item.tree;
  const reachable = item.gold.filter((g) => exists(tree, g));
  const term = searchTerm(item, reachable);
  const hits = grep(tree, term);
  const turns: ScriptedTurn[] = [];
  const t = title(item.prompt);
  turns.push(
    toolTurn(
      ids,
      `${say(rng, 'Let me find where', 'I\'ll start by locating where', 'First I want to see where')} \`${term}\` is handled, since the report ("${t}") points there. ` +
        `${say(rng, 'Then I\'ll read the implementation and its tests, reproduce the problem with a failing test, and fix it.', 'After that I will read the code path, write a test that reproduces the issue, and change the implementation.')}`,
      'Grep',
      { pattern: term, output_mode: 'content' },
      hits.length ? hits.join('\n') : 'No matches found',
      1,
    ),
  );
  for (const m of missed) {
    const base = path.basename(m);
    const found = tree.sources.filter((p) => path.basename(p) === base);
    turns.push(
      toolTurn(
        ids,
        `The context I was given does not cover ${path.dirname(m)}/; ${say(rng, 'let me look for the file that implements this.', 'I need to find where this is implemented.')}`,
        'Glob',
        { pattern: `**/${base}` },
        found.join('\n') || 'No files found',
        0.5,
      ),
    );
  }
  const edits = reachable.length > 0 ? reachable : [hits[0]?.split(':')[0] ?? tree.sources[0] ?? 'README.md'];
  const test = testFileFor(tree, edits[0] ?? '');
  const reads = [...edits.slice(0, 3), ...(test ? [test] : [])];
  for (const f of reads) {
    turns.push(
      toolTurn(
        ids,
        f === test
          ? `Now the tests for this module, to see what is covered and where to add a case.`
          : say(rng, `Reading ${f} to follow the code path.`, `Let me read ${f}.`, `${f} is where this lives; reading it.`),
        'Read',
        { file_path: f },
        numbered(readText(tree, f)),
        0.3,
      ),
    );
  }
  const target = edits[0] ?? '';
  turns.push(editTurn(ids, tree, target, term, 0.4, `guard the case from the report ("${t.slice(0, 60)}") before it reaches the conversion below`));
  const cmd = test ? testCommand(test) : isPython(target) ? 'python -m pytest -q' : 'npm test';
  turns.push(
    toolTurn(ids, 'Running the tests to see where this stands.', 'Bash', { command: cmd, description: 'Run the module\'s tests' }, test ? testRunOutput(tree, test, 1, rng) : suiteOutput(tree, rng), between(rng, 8, 25)),
  );
  turns.push(editTurn(ids, tree, target, '', 0.7, 'the failing case shows the value is also normalised here, so apply the same rule in this branch'));
  turns.push(
    toolTurn(ids, 'Running the tests again.', 'Bash', { command: cmd, description: 'Re-run the module\'s tests' }, test ? testRunOutput(tree, test, 0, rng) : suiteOutput(tree, rng), between(rng, 8, 25)),
  );
  turns.push(
    finalTurn(
      `Fixed: ${t}.\n\nThe problem was in \`${target}\`: the path that handles \`${term}\` did not account for the case in the report, ` +
        `so the value was converted before it was checked. I added a guard before the conversion and applied the same rule in the ` +
        `second branch that normalises it.\n\n- ${edits.slice(0, 3).join('\n- ')}\n\nThe tests in \`${test ?? 'the suite'}\` pass. ` +
        `I did not add a changelog entry; say if you want one.`,
    ),
  );
  return { turns: withThinking(turns, rng, { t, x: term, f: target }, 600, 3200), readFiles: reads };
}

/** Mechanical work: run tools, read their output, report. No reasoning about the code itself. */
export function mechanicalSession(item: WorkItem): SessionScript {
  const rng = itemRng(item.id);
  const ids = new Ids(crypto.createHash('sha1').update(item.id).digest('hex').slice(0, 10));
  const tree = item.tree;
  const py = tree.sources.some(isPython) && tree.sources.filter(isPython).length > tree.sources.length / 2;
  const fmt = formatterOutput(tree, rng);
  const turns: ScriptedTurn[] = py
    ? [
        toolTurn(ids, 'Running the formatters over the whole code base.', 'Bash', { command: 'pre-commit run --all-files', description: 'Run black, isort and flake8' }, fmt.output, 40),
        toolTurn(ids, 'Now the test suite, to check the reformatting changed nothing.', 'Bash', { command: 'tox -e py38 -- -q', description: 'Run the test suite' }, suiteOutput(tree, rng), 210),
        toolTurn(ids, 'Listing what changed.', 'Bash', { command: 'git diff --stat', description: 'Show changed files' }, fmt.changed.map((c) => ` ${c} | ${between(rng, 2, 40)} ++++----`).join('\n'), 1),
      ]
    : [
        toolTurn(ids, 'Running the whole test suite.', 'Bash', { command: 'npm test', description: 'Run the test suite with coverage' }, suiteOutput(tree, rng), 60),
        toolTurn(ids, 'Now the linter with --fix.', 'Bash', { command: 'npm run lint -- --fix', description: 'Lint and fix' }, fmt.output, 15),
        toolTurn(ids, 'Listing what the linter changed.', 'Bash', { command: 'git status --short', description: 'Show changed files' }, fmt.changed.map((c) => ` M ${c}`).join('\n'), 1),
      ];
  turns.push(finalTurn(`Done. ${py ? 'The formatters' : 'The linter'} changed ${fmt.changed.length} files:\n- ${fmt.changed.join('\n- ')}\n\nOne test fails (see above); it fails the same way before the change, so it is not caused by the reformatting.`));
  return { turns: withThinking(turns, rng, { t: title(item.prompt), x: 'the output', f: 'the log' }, 200, 900), readFiles: [] };
}

/** The deferrable job's request text: the instruction and the files, whole. */
export function deferrablePrompt(item: WorkItem): string {
  return [item.prompt, '', ...item.files.map((f) => `## ${f}\n\`\`\`\n${readText(item.tree, f)}\n\`\`\`\n`)].join('\n');
}

/** Its answer: a docstring per public function, in the file's style. */
export function deferrableAnswer(item: WorkItem): string {
  return item.files
    .map((f) => {
      const fns = functionsOf(item.tree, f);
      const docs = fns.map(({ name, params }) =>
        isPython(f)
          ? `def ${name}(...):\n    """${name.replace(/_/g, ' ')}: returns the result for the given ${params.join(', ') || 'input'}.\n\n    ${params.map((p) => `:param ${p}: the ${p.replace(/_/g, ' ')} to use.`).join('\n    ')}\n    :returns: the computed value; raises on invalid input.\n    """`
          : `/**\n * ${name}: computes the result for the given ${params.join(', ') || 'input'} and returns it.\n${params.map((p) => ` * @param {*} ${p} - the ${p} to use`).join('\n')}\n * @returns {*} the computed value\n */\nfunction ${name}(...)`,
      );
      return `### ${f}\n\n${docs.join('\n\n')}`;
    })
    .join('\n\n');
}
