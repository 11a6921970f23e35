// Messages API bodies as Claude Code 2.1.332 sends them through the SDK (the runner's engine), recorded
// against the fake upstream. Sluice's coordinator adds its breakpoints and project prefix at the gateway.
import type Anthropic from '@anthropic-ai/sdk';
import { ATTRIBUTION_REMINDER, ENGINE_SYSTEM, ENGINE_TOOLS, billingLine } from './engine-prompt';
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
  /**
   * The project's CLAUDE.md as Claude Code itself delivers it (a reminder at the top of the first message),
   * or '' when the agent gets it some other way (Sluice's project prefix) or not at all.
   */
  instructions: string;
  /** This session's working directory, branch and date: different for every session. */
  environment: string;
  /** The task, with its context (brief or whole repository) in front, as the runner writes it. */
  task: string;
}

export interface Layout {
  system: TextBlockParam[];
  opening: MessageParam[];
}

/**
 * Claude Code's layout: a billing line that differs per session (it is derived from the first prompt), an
 * identity block with a breakpoint, then the first user message and the environment as a system message.
 * Without caching (`none`) the breakpoints are left out, as if Claude Code did not cache at all.
 */
export function layout(cache: Config['cache'], o: Opening): Layout {
  const mark = cache === 'none' ? {} : { cache_control: EPHEMERAL };
  const first: TextBlockParam[] = [{ type: 'text', text: ATTRIBUTION_REMINDER }];
  if (o.instructions) first.push({ type: 'text', text: `<system-reminder>\n${o.instructions}\n</system-reminder>` });
  first.push({ type: 'text', text: o.task });
  // Claude Code sends the environment as a mid-conversation system message; the SDK's types know only user and assistant.
  const environment = { role: 'system', content: [{ type: 'text', text: o.environment }] } as unknown as MessageParam;
  return {
    system: [
      { type: 'text', text: billingLine(o.task) },
      { type: 'text', text: ENGINE_SYSTEM, ...mark },
    ],
    opening: [{ role: 'user', content: first }, environment],
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
