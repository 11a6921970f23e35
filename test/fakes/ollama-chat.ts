// Builds /api/chat answers the way Ollama sends them: NDJSON chunks of
// {model, created_at, message:{role:"assistant", content}, done:false}, tool calls whole in one
// chunk (message.tool_calls[{function:{name, arguments}}]), then a done:true line with the counts.
//
// Count rule: prompt_eval_count = ceil(chars / 4) over every message's content (plus the JSON of
// `tools` when given); eval_count = ceil(chars / 4) over thinking + content + JSON of the tool
// calls, at least 1. Durations are nanoseconds derived from the counts (no real waiting).
import { isRecord } from './http';

export type FakeChatReply =
  | {
      content?: string;
      toolCalls?: { name: string; arguments: Record<string, unknown> }[];
      thinking?: string;
      promptEvalCount?: number;
      evalCount?: number;
      chunkDelayMs?: number;
      delayMs?: number;
    }
  | { error: string; status?: number };

export type FakeChatAnswer = Exclude<FakeChatReply, { error: string }>;

export const DEFAULT_OLLAMA_ANSWER = 'This is the default answer of the fake Ollama server.';

export function promptEvalCount(messages: unknown[], tools: unknown): number {
  let chars = 0;
  for (const m of messages) if (isRecord(m) && typeof m.content === 'string') chars += m.content.length;
  if (Array.isArray(tools) && tools.length > 0) chars += JSON.stringify(tools).length;
  return Math.ceil(chars / 4);
}

interface Message {
  role: 'assistant';
  content: string;
  thinking?: string;
  tool_calls?: { function: { name: string; arguments: Record<string, unknown> } }[];
}

export interface ChatPlan {
  chunks: Message[];
  whole: Message;
  doneReason: 'stop' | 'length';
  promptEvalCount: number;
  evalCount: number;
}

function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** `numPredict` (options.num_predict) cuts a plain text answer, with done_reason "length". */
export function planChat(reply: FakeChatAnswer, promptCount: number, numPredict: number | undefined): ChatPlan {
  let content = reply.content ?? (reply.toolCalls ? '' : DEFAULT_OLLAMA_ANSWER);
  let doneReason: ChatPlan['doneReason'] = 'stop';
  const toolCalls = reply.toolCalls?.map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
  if (numPredict !== undefined && numPredict > 0 && !toolCalls && !reply.thinking && Math.ceil(content.length / 4) > numPredict) {
    content = content.slice(0, numPredict * 4);
    doneReason = 'length';
  }
  const chars = (reply.thinking ?? '').length + content.length + (toolCalls ? JSON.stringify(toolCalls).length : 0);
  const chunks: Message[] = [];
  for (const thinking of pieces(reply.thinking ?? '')) chunks.push({ role: 'assistant', content: '', thinking });
  for (const c of pieces(content)) chunks.push({ role: 'assistant', content: c });
  if (toolCalls) chunks.push({ role: 'assistant', content: '', tool_calls: toolCalls });
  const whole: Message = { role: 'assistant', content };
  if (reply.thinking) whole.thinking = reply.thinking;
  if (toolCalls) whole.tool_calls = toolCalls;
  return {
    chunks,
    whole,
    doneReason,
    promptEvalCount: reply.promptEvalCount ?? promptCount,
    evalCount: reply.evalCount ?? Math.max(1, Math.ceil(chars / 4)),
  };
}

/** The counters of the final line. A fresh load costs 1.2 s of load_duration; a warm model 1 ms. */
export function metrics(plan: ChatPlan, freshLoad: boolean) {
  const load_duration = freshLoad ? 1_200_000_000 : 1_000_000;
  const prompt_eval_duration = plan.promptEvalCount * 100_000;
  const eval_duration = plan.evalCount * 20_000_000;
  return {
    total_duration: load_duration + prompt_eval_duration + eval_duration,
    load_duration,
    prompt_eval_count: plan.promptEvalCount,
    prompt_eval_duration,
    eval_count: plan.evalCount,
    eval_duration,
  };
}

/** keep_alive as Ollama reads it: seconds as a number, or a Go duration ("5m", "1h30m", "300ms"); negative = forever. */
export function keepAliveMs(v: unknown): number {
  if (v === undefined || v === null || v === '') return 5 * 60_000;
  if (typeof v === 'number') return v < 0 ? Number.POSITIVE_INFINITY : v * 1000;
  if (typeof v !== 'string') return 5 * 60_000;
  if (/^-?\d+(\.\d+)?$/.test(v)) return keepAliveMs(Number(v));
  if (v.startsWith('-')) return Number.POSITIVE_INFINITY;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, unit] of v.matchAll(/([\d.]+)(ms|s|m|h)/g)) total += Number(n) * (units[unit ?? 's'] ?? 1000);
  return total;
}
