// Messages API bodies as a Claude Code–style agent sends them, with or without the coordinator's
// cache breakpoints.
import type Anthropic from '@anthropic-ai/sdk';
import { ENGINE_SYSTEM, ENGINE_TOOLS } from './engine-prompt';
import type { Config } from './configs';
import type { ReplyBlock } from './script';

type MessageParam = Anthropic.Messages.MessageParam;
type TextBlockParam = Anthropic.Messages.TextBlockParam;
type ContentBlockParam = Anthropic.Messages.ContentBlockParam;

/** Claude Code's default output limit for Opus-class models. */
export const MAIN_MAX_TOKENS = 32_000;
const THINKING_BUDGET = 16_000;
const EPHEMERAL = { type: 'ephemeral' } as const;

/** What an agent's first message and system prompt are made of. */
export interface Opening {
  /** The project's standing instructions (what a CLAUDE.md carries). */
  project: string;
  /** This session's working directory, branch and date: different for every session. */
  environment: string;
  /** The task, with its context (brief or whole repository) in front, as the runner writes it. */
  task: string;
}

export interface Layout {
  system: TextBlockParam[];
  opening: MessageParam;
}

/**
 * Where each part goes. Without the coordinator (`none`, `session`), as Claude Code lays it out: the
 * environment inside the system prompt, the project instructions at the top of the first message. With
 * it (`shared`): engine prompt, then project brief, each ending in a breakpoint, so the prefix is the
 * same bytes for every agent on the project; the environment moves into the first message.
 */
export function layout(cache: Config['cache'], o: Opening): Layout {
  if (cache === 'shared') {
    return {
      system: [
        { type: 'text', text: ENGINE_SYSTEM, cache_control: EPHEMERAL },
        { type: 'text', text: o.project, cache_control: EPHEMERAL },
      ],
      opening: { role: 'user', content: [{ type: 'text', text: o.environment }, { type: 'text', text: o.task }] },
    };
  }
  return {
    system: [{ type: 'text', text: `${ENGINE_SYSTEM}\n\n${o.environment}`, ...(cache === 'session' ? { cache_control: EPHEMERAL } : {}) }],
    opening: { role: 'user', content: [{ type: 'text', text: `<system-reminder>\n${o.project}\n</system-reminder>` }, { type: 'text', text: o.task }] },
  };
}

/**
 * One request of a session. `lastBreakpoint` marks the last block of the last message, as Claude Code
 * does, so the next turn reads the conversation so far from cache.
 */
export function mainRequest(o: {
  model: string;
  system: TextBlockParam[];
  messages: MessageParam[];
  lastBreakpoint: boolean;
  maxTokens?: number;
  thinking?: boolean;
}): Anthropic.Messages.MessageCreateParamsNonStreaming {
  return {
    model: o.model,
    max_tokens: o.maxTokens ?? MAIN_MAX_TOKENS,
    ...(o.thinking === false ? {} : { thinking: { type: 'enabled', budget_tokens: THINKING_BUDGET } }),
    tools: ENGINE_TOOLS,
    system: o.system,
    messages: o.lastBreakpoint ? withLastBreakpoint(o.messages) : o.messages,
  };
}

function withLastBreakpoint(messages: MessageParam[]): MessageParam[] {
  const last = messages[messages.length - 1];
  if (!last) return messages;
  const blocks: ContentBlockParam[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
  const tail = blocks[blocks.length - 1];
  if (!tail) return messages;
  blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL } as ContentBlockParam;
  return [...messages.slice(0, -1), { ...last, content: blocks } as MessageParam];
}

/**
 * The assistant turn as it goes back in the history. Thinking is left out: the API drops earlier turns'
 * thinking from the context and does not bill it as input again.
 */
export function assistantMessage(reply: ReplyBlock[]): MessageParam {
  return { role: 'assistant', content: reply.flatMap((b) => (b.type === 'thinking' ? [] : [{ ...b }])) };
}

// Claude Code's small calls (no tools, small max_tokens). Prompts written for this bench.
const TITLE_SYSTEM =
  'Write a title of at most eight words for a coding session that begins with the message below. Name the subject ' +
  '(module, feature or bug), not the activity. Answer with the title only: no quotes, no punctuation at the end.';

const PREFIX_SYSTEM = [
  'You decide which prefix of a shell command a user can approve once for all later commands that start the same way.',
  'Answer with the prefix only. Rules:',
  '- The prefix is the program and its subcommands, without file arguments or flags that change per run:',
  '  "git diff --stat src/" → "git diff"; "npm run lint -- --fix" → "npm run lint"; "python -m pytest testing/x.py -q" → "python -m pytest".',
  '- A command that chains others (&&, ;, |, $(…), backticks) or redirects output to a file has no safe prefix: answer "none".',
  '- A command that downloads and runs code (curl … | sh), deletes files outside the working folder, or changes',
  '  git history (push, reset --hard, rebase) has no safe prefix: answer "none".',
  '- Environment assignments before the program are part of the prefix: "CI=1 npm test" → "CI=1 npm test".',
  '- Unknown programs get their name as the prefix.',
  'Examples:',
  'npx jest test/plugin/duration.test.js → npx jest',
  'tox -e py38 -- -q → tox -e',
  'pre-commit run --all-files → pre-commit run',
  'git status --short → git status',
  'rm -rf build && npm run build → none',
].join('\n');

const SUMMARY_SYSTEM =
  'Summarise in one sentence of at most 25 words what this coding session did, for a list of recent sessions. ' +
  'Start with a verb in the past tense.';

export interface BackgroundCall {
  params: Anthropic.Messages.MessageCreateParamsNonStreaming;
  answer: string;
}

export function titleCall(model: string, prompt: string, title: string): BackgroundCall {
  return { params: { model, max_tokens: 512, system: TITLE_SYSTEM, messages: [{ role: 'user', content: prompt.slice(0, 2000) }] }, answer: title };
}

export function prefixCall(model: string, command: string): BackgroundCall {
  const words = command.split(' ');
  const answer = words.slice(0, words[0] === 'python' ? 3 : 2).join(' ');
  return { params: { model, max_tokens: 512, system: PREFIX_SYSTEM, messages: [{ role: 'user', content: `Command: ${command}` }] }, answer };
}

export function summaryCall(model: string, transcript: string, summary: string): BackgroundCall {
  return { params: { model, max_tokens: 1024, system: SUMMARY_SYSTEM, messages: [{ role: 'user', content: transcript.slice(0, 6000) }] }, answer: summary };
}
