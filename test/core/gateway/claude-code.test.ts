import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { query, type SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import { startHarness, type Harness } from '../../support/harness';
import type { RecordedRequest } from '../../fakes/anthropic';
import type { FakeReply } from '../../fakes/anthropic';

/**
 * The real Claude Code engine (from npm, offline) running a multi-turn, tool-using session
 * through the gateway, against the fake Anthropic upstream.
 */

interface Body {
  model: string;
  tools?: { name: string }[];
  messages: { role: string; content: string | { type: string; content?: unknown }[] }[];
}

function isMainLoop(b: Body): boolean {
  return (b.tools ?? []).some((t) => t.name === 'Write');
}

function toolResults(b: Body): number {
  return b.messages.filter((m) => Array.isArray(m.content) && m.content.some((c) => c.type === 'tool_result')).length;
}

function scriptedResponder(workdir: string) {
  return (req: RecordedRequest): FakeReply => {
    const b = req.body as Body;
    if (!isMainLoop(b)) return { type: 'message', text: 'Create greeting file' };
    const done = toolResults(b);
    if (done === 0) {
      return { type: 'message', stopReason: 'tool_use', content: [{ type: 'tool_use', id: 'toolu_write_1', name: 'Write', input: { file_path: path.join(workdir, 'hello.txt'), content: 'hello from sluice\n' } }] };
    }
    if (done === 1) {
      return { type: 'message', stopReason: 'tool_use', content: [{ type: 'tool_use', id: 'toolu_read_1', name: 'Read', input: { file_path: path.join(workdir, 'hello.txt') } }] };
    }
    return { type: 'message', text: 'I created hello.txt and checked its contents.' };
  };
}

let h: Harness;
let home: string;
let workdir: string;

beforeAll(async () => {
  h = await startHarness({
    ollama: {
      models: [{ name: 'qwen3-coder:30b', family: 'qwen3moe', parameterSize: '30.5B', quantization: 'Q4_K_M', contextLength: 262_144, capabilities: ['completion', 'tools'] }],
      respond: (req) => {
        const toolTurns = (req.messages as { role: string }[]).filter((m) => m.role === 'tool').length;
        if (toolTurns === 0 && (req.tools ?? []).length > 0) {
          return { toolCalls: [{ name: 'Write', arguments: { file_path: path.join(workdir, 'local.txt'), content: 'written by a local model\n' } }] };
        }
        return { content: toolTurns > 0 ? 'Done: local.txt is written.' : 'Local title' };
      },
    },
  });
  h.core.settings.update({ routing: { background: { enabled: false, maxTokens: 1024, tier: 'fast' } } });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cc-home-'));
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cc-work-'));
});
afterAll(async () => {
  await h.close();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(workdir, { recursive: true, force: true });
});

function claudeEnv(token: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    ANTHROPIC_BASE_URL: h.host.url,
    ANTHROPIC_API_KEY: token,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
}

async function runClaude(prompt: string, token: string, model = 'claude-opus-4-8'): Promise<SDKResultMessage> {
  let result: SDKResultMessage | null = null;
  const stderr: string[] = [];
  for await (const m of query({
    prompt,
    options: {
      cwd: workdir,
      model,
      env: claudeEnv(token),
      // CI runs as root, where Claude Code refuses bypassPermissions: allow just the tools we script.
      permissionMode: 'acceptEdits',
      allowedTools: ['Write', 'Read'],
      maxTurns: 6,
      settingSources: [],
      stderr: (d) => stderr.push(d),
    },
  })) {
    if (m.type === 'result') result = m;
  }
  if (!result) throw new Error(`Claude Code gave no result. stderr: ${stderr.join('').slice(-2000)}`);
  return result;
}

describe('Claude Code through the gateway', () => {
  it('runs a multi-turn tool-using session; the ledger agrees with total_cost_usd to the cent', async () => {
    h.anthropic.setResponder(scriptedResponder(workdir));
    const { token } = h.core.agents.create('claude-code');
    const result = await runClaude('Create hello.txt with a greeting, then check it.', token);
    expect(result.subtype).toBe('success');
    expect(fs.readFileSync(path.join(workdir, 'hello.txt'), 'utf8')).toBe('hello from sluice\n');

    const upstream = h.anthropic.requests.filter((r) => r.path === '/v1/messages');
    expect(upstream.filter((r) => isMainLoop(r.body as Body)).length).toBeGreaterThanOrEqual(3);
    // Every upstream call carried Sluice's key, never the agent's token.
    for (const r of upstream) expect(`${r.headers['x-api-key'] ?? ''}${r.headers.authorization ?? ''}`).not.toContain(token);

    const rows = h.core.queries.requests({ agent: 'claude-code', limit: 100 });
    expect(rows.length).toBe(upstream.length);
    expect(rows.filter((r) => r.status !== 'ok').map((r) => `${r.status}: ${r.error}`)).toEqual([]);
    const sessions = new Set(rows.map((r) => r.session));
    expect(sessions.size).toBe(1);
    expect([...sessions][0]).toBe(result.session_id);
    const ledgerUsd = rows.reduce((s, r) => s + r.costMicros, 0) / 1e6;
    expect(Math.abs(ledgerUsd - result.total_cost_usd)).toBeLessThan(0.005);
    expect(Math.round(ledgerUsd * 100)).toBe(Math.round(result.total_cost_usd * 100));
    // Closer than a cent: within a micro-dollar per request.
    expect(Math.abs(ledgerUsd - result.total_cost_usd)).toBeLessThanOrEqual(rows.length * 1e-6 + 1e-9);
  }, 120_000);

  it('is stopped with the budget message when the daily budget is spent', async () => {
    h.anthropic.setResponder(scriptedResponder(workdir));
    const { token } = h.core.agents.create('claude-code-2');
    h.core.settings.update({ dailyBudgetUsd: h.core.enforcer.status().spentMicros / 1e6 + 0.0001, policy: 'reject' });
    try {
      const outcome = await runClaude('Create hello.txt again.', token).then(
        (r) => JSON.stringify(r),
        (e: unknown) => String(e),
      );
      // Claude Code stops at once and shows our sentence, not a login prompt.
      expect(outcome).toContain('429');
      expect(outcome).toMatch(/Sluice: .*daily budget of \$[\d.]+; it resets at 00:00 UTC \(in /);
      expect(h.core.queries.requests({ agent: 'claude-code-2', limit: 5 }).every((r) => r.status === 'rejected')).toBe(true);
    } finally {
      h.core.settings.update({ dailyBudgetUsd: null });
    }
  }, 120_000);

  it('runs a tool-using turn on a local model (Ollama), translated both ways, at $0', async () => {
    const { token } = h.core.agents.create('claude-code-local');
    h.core.settings.update({ routing: { agentRules: [{ agent: 'claude-code-local', model: 'ollama/qwen3-coder:30b' }] } });
    await h.core.localModels.refresh();
    const before = h.anthropic.requests.length;
    const result = await runClaude('Write local.txt.', token);
    expect(result.subtype).toBe('success');
    expect(fs.readFileSync(path.join(workdir, 'local.txt'), 'utf8')).toBe('written by a local model\n');
    expect(h.anthropic.requests.length).toBe(before);
    const chats = h.ollama.requests.filter((r) => r.path === '/api/chat');
    expect(chats.length).toBeGreaterThanOrEqual(2);
    const rows = h.core.queries.requests({ agent: 'claude-code-local', limit: 50 });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.provider === 'ollama' && r.status === 'ok' && r.costMicros === 0)).toBe(true);
    expect(rows[0]?.routeReason).toContain('local: requests of agent claude-code-local');
    expect(rows.some((r) => r.tokens.input > 0 && r.tokens.output > 0)).toBe(true);
  }, 120_000);
});
