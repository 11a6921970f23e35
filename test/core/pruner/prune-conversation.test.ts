import { describe, expect, it } from 'vitest';
import { pruneConversation } from '../../../electron/core/pruner/conversation/prune-conversation';
import type { AnthropicMessage, AnthropicMessagesRequest, ContentBlock } from '../../../electron/core/pruner/conversation/types';

const FILE_V1 = Array.from({ length: 120 }, (_, i) => `export const value${i} = compute(${i}); // original line ${i}`).join('\n');
const BUILD_LOG = [
  '> npm test',
  ...Array.from({ length: 600 }, (_, i) => (i === 300 ? 'FAIL src/a.test.ts: expected 3 to be 4' : `  ✓ case ${i} passes in ${i % 7} ms`)),
  'Tests: 1 failed, 599 passed',
].join('\n');
const STATUS = Array.from({ length: 60 }, (_, i) => `modified:   src/module${i}.ts`).join('\n');

const use = (id: string, name: string, input: Record<string, unknown>): ContentBlock => ({ type: 'tool_use', id, name, input });
const result = (id: string, content: string | ContentBlock[], extra: Record<string, unknown> = {}): ContentBlock => ({ type: 'tool_result', tool_use_id: id, content, ...extra });
const assistant = (...content: ContentBlock[]): AnthropicMessage => ({ role: 'assistant', content });
const user = (...content: ContentBlock[]): AnthropicMessage => ({ role: 'user', content });

function session(): AnthropicMessagesRequest {
  return {
    model: 'claude-sonnet-4-6',
    max_tokens: 4096,
    system: [{ type: 'text', text: 'You are a coding agent.' }],
    tools: [{ name: 'Read' }, { name: 'Edit' }, { name: 'Bash' }],
    messages: [
      { role: 'user', content: 'Fix the failing test in src/a.ts' },
      assistant(use('t1', 'Read', { file_path: 'src/a.ts' })),
      user(result('t1', FILE_V1)),
      assistant(use('t2', 'Bash', { command: 'npm test' })),
      user(result('t2', [{ type: 'text', text: BUILD_LOG }])),
      assistant(use('t3', 'Edit', { file_path: 'src/a.ts', old_string: 'compute(3)', new_string: 'compute(4)' })),
      user(result('t3', 'The file src/a.ts has been updated.')),
      assistant(use('t4', 'Bash', { command: 'git status' })),
      user(result('t4', STATUS)),
      assistant({ type: 'text', text: 'Checking again.' }, use('t5', 'Bash', { command: 'git status' })),
      user(result('t5', STATUS, { cache_control: { type: 'ephemeral' } })),
      assistant({ type: 'text', text: 'Done, anything else?' }),
      user({ type: 'text', text: 'Run the tests once more.' }),
    ],
  };
}

const OPEN_CACHE = { inputRatePerMTok: 3, cachedPrefixTokens: 0 };

function toolIds(req: AnthropicMessagesRequest): string[] {
  return req.messages.flatMap((m) =>
    typeof m.content === 'string' ? [] : m.content.map((b) => `${m.role}:${b.type}:${String(b.id ?? b.tool_use_id ?? '')}`),
  );
}

const resultContent = (req: AnthropicMessagesRequest, message: number): unknown => (req.messages[message]?.content as ContentBlock[])[0]?.content;

describe('pruning a conversation', () => {
  it('stubs a file read that a later edit superseded, cuts a huge log and drops a duplicate output', () => {
    const req = session();
    const { request, report } = pruneConversation(req, OPEN_CACHE);
    expect(report.pruned).toBe(true);
    expect(report.actions.map((a) => [a.kind, a.toolUseId])).toEqual([
      ['superseded-file', 't1'],
      ['truncated-output', 't2'],
      ['duplicate', 't5'],
    ]);
    expect(String(resultContent(request, 2))).toMatch(/src\/a\.ts was edited later \(tool_use t3\)/);
    const log = String((resultContent(request, 4) as ContentBlock[])[0]?.text);
    expect(log).toContain('> npm test');
    expect(log).toContain('FAIL src/a.test.ts: expected 3 to be 4');
    expect(log).toContain('Tests: 1 failed, 599 passed');
    expect(log).toMatch(/lines cut by Sluice/);
    expect(String(resultContent(request, 10))).toMatch(/identical to the result of tool_use t4/);
    expect(report.savedTokens).toBe(report.actions.reduce((n, a) => n + a.tokensBefore - a.tokensAfter, 0));
    expect(report.savedTokens).toBeGreaterThan(1000);
  });

  it('keeps every tool_use/tool_result pair, in order, and every other field of a pruned block', () => {
    const req = session();
    const { request } = pruneConversation(req, OPEN_CACHE);
    expect(toolIds(request)).toEqual(toolIds(req));
    const dup = (request.messages[10]?.content as ContentBlock[])[0] as ContentBlock;
    expect(dup.cache_control).toEqual({ type: 'ephemeral' });
    expect(dup.tool_use_id).toBe('t5');
  });

  it('leaves everything it does not prune untouched, down to the same objects', () => {
    const req = session();
    const before = JSON.stringify(req);
    const { request } = pruneConversation(req, OPEN_CACHE);
    expect(JSON.stringify(req)).toBe(before);
    for (const i of [0, 1, 3, 5, 6, 7, 8, 9, 11, 12]) expect(request.messages[i]).toBe(req.messages[i]);
    expect(request.system).toBe(req.system);
    expect(request.tools).toBe(req.tools);
    expect(request.max_tokens).toBe(4096);
  });

  it('never prunes the last message', () => {
    const req = session();
    req.messages.push(assistant(use('t6', 'Bash', { command: 'npm test' })), user(result('t6', BUILD_LOG)));
    const { request, report } = pruneConversation(req, OPEN_CACHE);
    expect(report.actions.some((a) => a.toolUseId === 't6')).toBe(false);
    expect(request.messages[request.messages.length - 1]).toBe(req.messages[req.messages.length - 1]);
  });

  it('refuses when re-caching the prefix would cost more than the pruning saves', () => {
    const req = session();
    // A long, unprunable stretch after the first edit point makes the cache loss large.
    req.messages.splice(3, 0, assistant({ type: 'text', text: 'analysis '.repeat(30_000) }), user({ type: 'text', text: 'go on' }));
    const cached = pruneConversation(req, { inputRatePerMTok: 3 });
    expect(cached.report.pruned).toBe(false);
    expect(cached.report.reason).toMatch(/^kept as is: pruning .* re-caching the prefix costs \$/);
    expect(cached.request).toBe(req);
    expect(cached.report.savedTokens).toBe(0);

    const expired = pruneConversation(req, { inputRatePerMTok: 3, cachedPrefixTokens: 0 });
    expect(expired.report.pruned).toBe(true);
  });

  it('keeps pruning a session it pruned before, since the cache holds the pruned prefix', () => {
    const first = pruneConversation(session(), OPEN_CACHE);
    const next = session();
    next.messages.push(assistant({ type: 'text', text: 'Running them.' }), user({ type: 'text', text: 'Thanks.' }));
    const withHistory = pruneConversation(next, { inputRatePerMTok: 3, cachedPrefixTokens: 50_000, previousRequest: first.request });
    expect(withHistory.report.pruned).toBe(true);
    expect(withHistory.report.reason).toMatch(/re-caching costs \$0\.00$/);
    for (let i = 0; i < first.request.messages.length - 1; i++) {
      expect(JSON.stringify(withHistory.request.messages[i])).toBe(JSON.stringify(first.request.messages[i]));
    }
  });

  it('does not treat a partial read, a failed edit or an image as prunable', () => {
    const req: AnthropicMessagesRequest = {
      model: 'm',
      messages: [
        { role: 'user', content: 'look' },
        assistant(use('r1', 'Read', { file_path: 'a.ts' })),
        user(result('r1', FILE_V1)),
        assistant(use('r2', 'Read', { file_path: 'a.ts', offset: 10, limit: 5 })),
        user(result('r2', 'partial')),
        assistant(use('e1', 'Edit', { file_path: 'a.ts', old_string: 'x', new_string: 'y' })),
        user(result('e1', 'String not found', { is_error: true })),
        assistant(use('s1', 'Screenshot', {})),
        user(result('s1', [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(50_000) } }])),
        assistant({ type: 'text', text: 'ok' }),
        user({ type: 'text', text: 'next' }),
      ],
    };
    const { report, request } = pruneConversation(req, OPEN_CACHE);
    expect(report).toEqual({ pruned: false, savedTokens: 0, reason: 'nothing to prune', actions: [] });
    expect(request).toBe(req);
  });

  it('recognises the text-editor tool and a later full read as superseding', () => {
    const req: AnthropicMessagesRequest = {
      model: 'm',
      messages: [
        { role: 'user', content: 'look' },
        assistant(use('v1', 'str_replace_based_edit_tool', { command: 'view', path: './lib/x.py' })),
        user(result('v1', FILE_V1)),
        assistant(use('v2', 'str_replace_based_edit_tool', { command: 'view', path: 'lib/x.py' })),
        user(result('v2', FILE_V1)),
        assistant({ type: 'text', text: 'ok' }),
        user({ type: 'text', text: 'next' }),
      ],
    };
    const { report } = pruneConversation(req, OPEN_CACHE);
    expect(report.actions.map((a) => [a.kind, a.toolUseId])).toEqual([['superseded-file', 'v1']]);
  });
});
