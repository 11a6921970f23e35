import { query as sdkQuery, type HookCallback, type Options, type SDKMessage, type SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';

/** What one run of the engine needs: a fresh session or the resumption of one. */
export interface EngineSpec {
  prompt: string;
  cwd: string;
  model: string;
  sessionId: string;
  /** Continue `sessionId` (the SDK's `resume`) instead of starting it. */
  resume: boolean;
  env: Record<string, string>;
  /** The user's own `claude` executable instead of the one bundled with the SDK. */
  executable?: string;
  tools: readonly string[];
  maxTurns: number;
  abort: AbortController;
  /** Load the project's CLAUDE.md and .claude settings (off by default: the task policy is the only authority). */
  projectSettings: boolean;
  stderr?: (chunk: string) => void;
}

export interface ToolUse {
  name: string;
  input: Record<string, unknown>;
}

export interface EngineHooks {
  onInit(sessionId: string, model: string): void;
  /** A new assistant turn of the main conversation, with the tools it calls. */
  onTurn(messageId: string, tools: ToolUse[]): void;
  /** The permission policy: allow, or refuse with a reason the agent reads. */
  decide(tool: string, input: Record<string, unknown>): Promise<{ allow: true } | { allow: false; reason: string }>;
  /** Called after each batch of tool results, before the next request: a reason stops the run here. */
  boundary(): Promise<string | null>;
}

export type EngineOutcome =
  | { kind: 'done'; text: string; costUsd: number; turns: number }
  | { kind: 'stopped'; reason: string; costUsd: number | null }
  /** The API (the gateway, or the upstream behind it) refused or failed a request. */
  | { kind: 'api-error'; message: string; costUsd: number | null }
  | { kind: 'failed'; message: string; costUsd: number | null }
  | { kind: 'aborted' };

export type QueryFn = typeof sdkQuery;

/** Runs Claude Code once through the SDK and reads its stream into the runner's terms. */
export async function runEngine(spec: EngineSpec, hooks: EngineHooks, query: QueryFn = sdkQuery): Promise<EngineOutcome> {
  let stopReason: string | null = null;
  let result: SDKResultMessage | null = null;
  let lastApiError: string | null = null;
  const seenTurns = new Set<string>();

  const preToolUse: HookCallback = async (input) => {
    if (input.hook_event_name !== 'PreToolUse') return {};
    const d = await hooks.decide(input.tool_name, asRecord(input.tool_input));
    return {
      hookSpecificOutput: d.allow
        ? { hookEventName: 'PreToolUse', permissionDecision: 'allow' }
        : { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: `Sluice refused this: ${d.reason}.` },
    };
  };
  // After the tools of a turn have all run and before the next request: the one place a stop loses nothing.
  const postToolBatch: HookCallback = async () => {
    const reason = await hooks.boundary();
    if (reason === null) return {};
    stopReason = reason;
    return { continue: false, stopReason: `Sluice paused this task (${reason}).` };
  };

  const options: Options = {
    cwd: spec.cwd,
    model: spec.model,
    env: spec.env,
    tools: [...spec.tools],
    maxTurns: spec.maxTurns,
    abortController: spec.abort,
    // 'default' asks for anything not pre-approved; our PreToolUse hook answers first, canUseTool backs it up.
    permissionMode: 'default',
    canUseTool: async (tool, input) => {
      const d = await hooks.decide(tool, input);
      return d.allow ? { behavior: 'allow', updatedInput: input } : { behavior: 'deny', message: `Sluice refused this: ${d.reason}.` };
    },
    hooks: { PreToolUse: [{ hooks: [preToolUse] }], PostToolBatch: [{ hooks: [postToolBatch] }] },
    settingSources: spec.projectSettings ? ['project'] : [],
    ...(spec.resume ? { resume: spec.sessionId } : { sessionId: spec.sessionId }),
    ...(spec.executable ? { pathToClaudeCodeExecutable: spec.executable } : {}),
    ...(spec.stderr ? { stderr: spec.stderr } : {}),
  };

  try {
    for await (const m of query({ prompt: spec.prompt, options }) as AsyncIterable<SDKMessage>) {
      if (m.type === 'system' && m.subtype === 'init') hooks.onInit(m.session_id, m.model);
      else if (m.type === 'assistant' && m.parent_tool_use_id === null) {
        if (m.error) lastApiError = textOf(m.message.content) || m.error;
        const id = m.message.id;
        const tools: ToolUse[] = [];
        for (const b of m.message.content) if (b.type === 'tool_use') tools.push({ name: b.name, input: asRecord(b.input) });
        // The SDK streams one content block per message; blocks of one API turn share the message id.
        if (!seenTurns.has(id) || tools.length > 0) {
          seenTurns.add(id);
          hooks.onTurn(id, tools);
        }
      } else if (m.type === 'result') result = m;
    }
  } catch (e) {
    if (spec.abort.signal.aborted) return { kind: 'aborted' };
    const message = (e as Error).message ?? String(e);
    if (stopReason !== null) return { kind: 'stopped', reason: stopReason, costUsd: result?.total_cost_usd ?? null };
    if (lastApiError !== null || /API Error/.test(message)) return { kind: 'api-error', message: lastApiError ?? message, costUsd: result?.total_cost_usd ?? null };
    return { kind: 'failed', message, costUsd: result?.total_cost_usd ?? null };
  }
  if (spec.abort.signal.aborted) return { kind: 'aborted' };
  if (stopReason !== null) return { kind: 'stopped', reason: stopReason, costUsd: result?.total_cost_usd ?? null };
  if (!result) return { kind: 'failed', message: 'Claude Code ended without a result.', costUsd: null };
  // An API error the engine recovered from (it retried, or fell back) does not fail a successful run.
  if (result.subtype === 'success' && !result.is_error) return { kind: 'done', text: result.result, costUsd: result.total_cost_usd, turns: result.num_turns };
  if (lastApiError !== null || result.terminal_reason === 'api_error') {
    return { kind: 'api-error', message: lastApiError ?? resultText(result), costUsd: result.total_cost_usd };
  }
  return { kind: 'failed', message: resultText(result) || `Claude Code stopped: ${result.subtype}`, costUsd: result.total_cost_usd };
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function textOf(content: readonly object[]): string {
  return content
    .map((b) => ('text' in b && typeof b.text === 'string' ? b.text : ''))
    .join('')
    .trim();
}

function resultText(r: SDKResultMessage): string {
  if (r.subtype === 'success') return r.result;
  return r.errors.join('; ');
}
