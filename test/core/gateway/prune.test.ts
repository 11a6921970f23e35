import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.core.settings.update({ routing: { background: { enabled: false, maxTokens: 1024, tier: 'fast' } } });
});
afterAll(async () => {
  await h.close();
});

const bigFile = Array.from({ length: 1500 }, (_, i) => `export const value${i} = computeSomething(${i}); // line ${i}`).join('\n');

function conversation() {
  return [
    { role: 'user' as const, content: 'Fix the bug in src/a.ts' },
    { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_r1', name: 'Read', input: { file_path: 'src/a.ts' } }] },
    { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_r1', content: bigFile }] },
    { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_e1', name: 'Edit', input: { file_path: 'src/a.ts', old_string: 'value1 ', new_string: 'value1b ' } }] },
    { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_e1', content: 'edited' }] },
    { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_r2', name: 'Read', input: { file_path: 'src/a.ts' } }] },
    { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_r2', content: bigFile.replace('value1 ', 'value1b ') }] },
  ];
}

describe('conversation pruning at the gateway', () => {
  it('is off by default: the history goes up as the agent wrote it', async () => {
    await h.client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 2000, messages: conversation() });
    const up = h.anthropic.requests.filter((r) => r.path === '/v1/messages').pop();
    expect(JSON.stringify(up?.body)).toContain('export const value0 = computeSomething(0);');
    expect((JSON.stringify(up?.body).match(/line 1499/g) ?? []).length).toBe(2);
  });

  it('when turned on for an agent, stubs a file read that a later read superseded, keeps tool pairs, and records it', async () => {
    const { token } = h.core.agents.create('pruned');
    h.core.agents.setPruning('pruned', true);
    await h.client(token).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 2000, messages: conversation() });
    const up = h.anthropic.requests.filter((r) => r.path === '/v1/messages').pop();
    const sent = JSON.stringify(up?.body);
    expect((sent.match(/line 1499/g) ?? []).length).toBe(1);
    type Block = { type: string; id?: string; tool_use_id?: string };
    const blocks = (up?.body as { messages: { content: string | Block[] }[] }).messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
    for (const id of ['toolu_r1', 'toolu_e1', 'toolu_r2']) {
      expect(blocks.filter((b) => b.type === 'tool_use' && b.id === id)).toHaveLength(1);
      expect(blocks.filter((b) => b.type === 'tool_result' && b.tool_use_id === id)).toHaveLength(1);
    }
    const row = h.core.db.prepare("SELECT pruned_tokens, prune_note, baseline_micros, cost_micros FROM requests ORDER BY id DESC LIMIT 1").get() as { pruned_tokens: number; prune_note: string; baseline_micros: number; cost_micros: number };
    expect(row.pruned_tokens).toBeGreaterThan(5000);
    expect(row.prune_note.length).toBeGreaterThan(5);
    expect(row.baseline_micros).toBeGreaterThan(row.cost_micros);
  });
});
