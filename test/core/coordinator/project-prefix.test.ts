import { describe, expect, it } from 'vitest';
import { chooseProjectTtl, placeProjectPrefix, projectPrefixText, type ProjectFacts } from '../../../electron/core/coordinator/project-prefix';
import { countTokens } from '../../../electron/core/pruner/tokens';

// The shape Claude Code 2.1.332 sends through the SDK as the runner starts it (recorded against the fake
// upstream; our own words stand in for its texts): tools without a breakpoint; system = a billing line
// whose version suffix depends on the session's first prompt, then a short identity block marked for
// caching; the task in the first user message; the environment (cwd) in a mid-conversation system
// message, marked as the last block.
function claudeCodeBody(session: string) {
  const tools = Array.from({ length: 8 }, (_, i) => ({
    name: `Tool${i}`,
    description: `What tool ${i} does, at length. ${'It reads, writes or searches files in the working folder. '.repeat(25)}`,
    input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  }));
  return {
    model: 'claude-sonnet-5-5',
    max_tokens: 128000,
    tools,
    system: [
      { type: 'text', text: `x-anthropic-billing-header: cc_version=2.1.332.${session}; cc_entrypoint=sdk-ts;` },
      { type: 'text', text: 'You are an agent built on the Agent SDK.', cache_control: { type: 'ephemeral' } },
    ],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Fix the bug.' }] },
      { role: 'system', content: [{ type: 'text', text: `# Environment\n - Primary working directory: /w/${session}`, cache_control: { type: 'ephemeral' } }] },
    ],
  };
}

const facts: ProjectFacts = {
  name: 'demo',
  files: ['README.md', 'package.json', 'src/index.ts', 'src/util/date.ts', 'src/util/format.ts', 'test/index.test.ts'],
  instructions: [{ path: 'CLAUDE.md', text: 'Run `npm test` before you finish.\nUse two-space indentation.\n' }],
};

const prefix = projectPrefixText(facts, countTokens);
if (!prefix) throw new Error('no prefix');

describe('the project prefix text', () => {
  it('holds the instruction files and one line per folder, the same bytes every time', () => {
    expect(prefix.text).toContain('# Project demo');
    expect(prefix.text).toContain('## Instructions from CLAUDE.md\nRun `npm test` before you finish.');
    expect(prefix.text).toContain('## Layout (one line per folder)\n');
    expect(prefix.text).toMatch(/^src\/util\/ 2 files: date\.ts, format\.ts$/m);
    expect(projectPrefixText({ ...facts, files: [...facts.files].reverse() }, countTokens)).toEqual(prefix);
    expect(prefix.tokens).toBe(countTokens(prefix.text));
  });

  it('stays within its token budget, cutting a long instruction file with a note', () => {
    const long: ProjectFacts = {
      name: 'big',
      files: Array.from({ length: 3000 }, (_, i) => `pkg${i % 40}/sub${i % 7}/file${i}.ts`),
      instructions: [{ path: 'AGENTS.md', text: Array.from({ length: 800 }, (_, i) => `Rule ${i}: keep the change small and tested.`).join('\n') }],
    };
    const p = projectPrefixText(long, countTokens, { maxTokens: 1500, instructionTokens: 800 });
    expect(p?.tokens).toBeLessThanOrEqual(1500);
    expect(p?.text).toContain('… (cut here; read AGENTS.md for the rest)');
    expect(p?.text).toContain('## Layout');
  });

  it('is absent for an empty project', () => {
    expect(projectPrefixText({ name: 'x', files: [], instructions: [] }, countTokens)).toBeNull();
  });
});

describe('placing the prefix', () => {
  it('puts it first in the system prompt with a breakpoint, leaving every block the agent sent as it was', () => {
    const body = claudeCodeBody('93d');
    const d = placeProjectPrefix(body, prefix, 'claude-sonnet-5-5', '5m');
    if (!d.added) throw new Error(d.why);
    const system = d.body.system as unknown[];
    expect(system[0]).toEqual({ type: 'text', text: prefix.text, cache_control: { type: 'ephemeral' } });
    expect(system.slice(1)).toEqual(body.system);
    expect(d.body.messages).toBe(body.messages);
    expect(d.body.tools).toBe(body.tools);
  });

  it('gives two sessions of one project the same bytes up to the breakpoint, though their own system prompts differ', () => {
    const a = placeProjectPrefix(claudeCodeBody('93d'), prefix, 'claude-sonnet-5-5', '5m');
    const b = placeProjectPrefix(claudeCodeBody('6b5'), prefix, 'claude-sonnet-5-5', '5m');
    if (!a.added || !b.added) throw new Error('not added');
    const head = (x: Record<string, unknown>) => JSON.stringify({ tools: x.tools, first: (x.system as unknown[])[0] });
    expect(head(a.body)).toBe(head(b.body));
    expect(JSON.stringify(a.body.system)).not.toBe(JSON.stringify(b.body.system));
  });

  it('turns a text system prompt into blocks after the prefix', () => {
    const d = placeProjectPrefix({ ...claudeCodeBody('x'), system: 'Be brief.' }, prefix, 'claude-sonnet-5-5', '5m');
    expect(d.added && d.body.system).toEqual([{ type: 'text', text: prefix.text, cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Be brief.' }]);
  });

  it('adds nothing when all four breakpoints are taken, below the minimum cacheable length, or twice', () => {
    const full = claudeCodeBody('x');
    full.messages[0] = { role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }] } as never;
    (full.tools[7] as Record<string, unknown>).cache_control = { type: 'ephemeral' };
    expect(placeProjectPrefix(full, prefix, 'claude-sonnet-5-5', '5m')).toEqual({ added: false, why: 'no breakpoint to spare' });

    const small = { ...claudeCodeBody('x'), tools: [] };
    const below = placeProjectPrefix(small, prefix, 'claude-haiku-4-5', '5m');
    expect(below).toMatchObject({ added: false, why: expect.stringContaining("below the model's minimum cacheable length") });

    const once = placeProjectPrefix(claudeCodeBody('x'), prefix, 'claude-sonnet-5-5', '5m');
    if (!once.added) throw new Error(once.why);
    expect(placeProjectPrefix(once.body, prefix, 'claude-sonnet-5-5', '5m')).toEqual({ added: false, why: 'already there' });
  });

  it('orders TTLs as the API requires: 1 hour only before 1-hour or 5-minute marks, never after a 5-minute one', () => {
    const hour = placeProjectPrefix(claudeCodeBody('x'), prefix, 'claude-sonnet-5-5', '1h');
    expect(hour.added && (hour.body.system as { cache_control: unknown }[])[0]?.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });

    const later1h = claudeCodeBody('x');
    later1h.system[1] = { ...later1h.system[1], cache_control: { type: 'ephemeral', ttl: '1h' } } as never;
    const forced = placeProjectPrefix(later1h, prefix, 'claude-sonnet-5-5', '5m');
    expect(forced).toMatchObject({ added: true, ttl: '1h' });

    const tools5m = claudeCodeBody('x');
    (tools5m.tools[7] as Record<string, unknown>).cache_control = { type: 'ephemeral' };
    expect(placeProjectPrefix(tools5m, prefix, 'claude-sonnet-5-5', '1h')).toMatchObject({ added: true, ttl: '5m' });
  });
});

describe('the TTL from expected reuse', () => {
  it('keeps 5 minutes while other agents of the project run and refresh the entry, or a queued one can start at once', () => {
    expect(chooseProjectTtl({ queued: 3, running: 2, slotFree: false }, '5m').ttl).toBe('5m');
    expect(chooseProjectTtl({ queued: 3, running: 0, slotFree: true }, '5m')).toEqual({ ttl: '5m', why: '3 tasks on the project about to start' });
    expect(chooseProjectTtl({ queued: 0, running: 0, slotFree: true }, '5m').ttl).toBe('5m');
  });
  it('takes 1 hour when tasks of the project wait for a slot and none of its agents runs, or the prefix came back late before', () => {
    expect(chooseProjectTtl({ queued: 2, running: 0, slotFree: false }, '5m')).toEqual({ ttl: '1h', why: '2 tasks on the project waiting for a slot, none running' });
    expect(chooseProjectTtl({ queued: 0, running: 1, slotFree: true }, '1h').ttl).toBe('1h');
  });
});
