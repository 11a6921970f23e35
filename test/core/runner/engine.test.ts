import { describe, expect, it } from 'vitest';
import type { HookCallback, Options, SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { runEngine, type EngineHooks, type EngineSpec, type QueryFn } from '../../../electron/core/runner/engine';

/**
 * How the wrapper reads Claude Code's stream. The message shapes are the ones the real engine
 * (2.1.332) produced in the integration tests; here they are replayed to pin the classification.
 */
function spec(): EngineSpec {
  return { prompt: 'p', cwd: '/tmp', model: 'm', sessionId: 's', resume: false, env: {}, tools: [], maxTurns: 5, abort: new AbortController(), projectSettings: false };
}

const hooks = (over: Partial<EngineHooks> = {}): EngineHooks => ({
  onInit: () => {},
  onTurn: () => {},
  decide: async () => ({ allow: true }),
  boundary: async () => null,
  ...over,
});

function replay(messages: object[], opts: { throwAfter?: string; run?: (o: Options) => Promise<void> } = {}): QueryFn {
  return ((params: { options?: Options }) =>
    (async function* () {
      if (opts.run && params.options) await opts.run(params.options);
      for (const m of messages) yield m as SDKMessage;
      if (opts.throwAfter) throw new Error(opts.throwAfter);
    })()) as unknown as QueryFn;
}

const assistant = (id: string, content: object[], error?: string) => ({ type: 'assistant', parent_tool_use_id: null, message: { id, content }, ...(error ? { error } : {}) });
const result = (o: object) => ({ type: 'result', subtype: 'success', is_error: false, result: 'ok', total_cost_usd: 0.5, num_turns: 2, errors: [], ...o });

describe('reading the engine', () => {
  it('reads a gateway 429 as an API error, with the gateway\'s sentence', async () => {
    const q = replay(
      [assistant('m1', [{ type: 'text', text: 'API Error: Request rejected (429) · Sluice: the daily budget of $5.00 is spent' }], 'rate_limit'), result({ is_error: true, terminal_reason: 'api_error' })],
      { throwAfter: 'Claude Code returned an error result: API Error: Request rejected (429)' },
    );
    const out = await runEngine(spec(), hooks(), q);
    expect(out).toEqual({ kind: 'api-error', message: expect.stringContaining('Sluice: the daily budget of $5.00 is spent'), costUsd: 0.5 });
  });

  it('does not fail a run that succeeded after an API error it recovered from', async () => {
    const q = replay([assistant('m1', [{ type: 'text', text: 'API Error: overloaded' }], 'server_error'), assistant('m2', [{ type: 'text', text: 'done' }]), result({})]);
    expect(await runEngine(spec(), hooks(), q)).toEqual({ kind: 'done', text: 'ok', costUsd: 0.5, turns: 2 });
  });

  it('counts a turn once per API message and passes its tools on', async () => {
    const turns: [string, number][] = [];
    const q = replay([
      assistant('m1', [{ type: 'thinking', thinking: '…' }]),
      assistant('m1', [{ type: 'tool_use', name: 'Write', input: { file_path: 'a' } }]),
      assistant('m2', [{ type: 'text', text: 'done' }]),
      result({}),
    ]);
    await runEngine(spec(), hooks({ onTurn: (id, tools) => turns.push([id, tools.length]) }), q);
    expect(turns).toEqual([['m1', 0], ['m1', 1], ['m2', 0]]);
  });

  it('answers PreToolUse with the policy, and stops at the boundary when asked', async () => {
    let pre: unknown;
    let post: unknown;
    const q = replay([result({})], {
      run: async (o) => {
        const call = (h: HookCallback, input: object) => h(input as Parameters<HookCallback>[0], undefined, { signal: new AbortController().signal });
        pre = await call(o.hooks?.PreToolUse?.[0]?.hooks[0] as HookCallback, { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf /' } });
        post = await call(o.hooks?.PostToolBatch?.[0]?.hooks[0] as HookCallback, { hook_event_name: 'PostToolBatch', tool_calls: [] });
      },
    });
    const out = await runEngine(spec(), hooks({ decide: async () => ({ allow: false, reason: 'not on the allowlist' }), boundary: async () => 'budget' }), q);
    expect(pre).toEqual({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'Sluice refused this: not on the allowlist.' } });
    expect(post).toMatchObject({ continue: false });
    expect(out).toEqual({ kind: 'stopped', reason: 'budget', costUsd: 0.5 });
  });
});
