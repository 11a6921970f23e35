import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic';
import { runSluice, type CliResult } from '../../support/cli';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}, stdin = ''): Promise<CliResult> => runSluice({ dataDir, args, env, stdin });

describe('sluice budget', () => {
  it('sets and shows the budget, in words and as JSON', async () => {
    expect((await cli(['budget', 'set', '--daily-usd', '12.5', '--policy', 'downgrade', '--thresholds', '50,90,100', '--time-zone', 'Europe/Paris'])).code).toBe(0);
    const shown = await cli(['budget']);
    expect(shown.out).toContain('Daily budget: $12.50');
    expect(shown.out).toContain('Policy at the limit: downgrade');
    expect(shown.out).toMatch(/Resets at 00:00 Europe\/Paris/);
    const json = JSON.parse((await cli(['budget', '--json'])).out) as { limitMicros: number; thresholds: number[]; policy: string };
    expect(json).toMatchObject({ limitMicros: 12_500_000, thresholds: [50, 90, 100], policy: 'downgrade' });
  });

  const bad: [string[], RegExp][] = [
    [['budget', 'set', '--daily-usd', 'lots'], /--daily-usd must be a number/],
    [['budget', 'set', '--policy', 'panic'], /--policy must be one of queue, downgrade, reject/],
    [['budget', 'set', '--thresholds', '50,abc'], /--thresholds must be percentages/],
    [['budget', 'set', '--time-zone', 'Mars/Olympus'], /not a time zone/],
    [['budget', 'set'], /Nothing to set/],
    [['budget', '--bogus'], /Unknown option '--bogus'/],
    [['usage', '--by', 'planet'], /--by must be one of agent, model, day, session/],
    [['usage', '--from', 'yesterday'], /--from must be a date/],
    [['agents', 'add'], /needs a NAME/],
    [['agents', 'add', 'bad name!'], /not a valid agent name/],
    [['agents', 'revoke', 'nobody'], /No active agent named "nobody"/],
    [['ask'], /Give a prompt/],
    [['nonsense'], /unknown command "nonsense"/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 with one clear line for: sluice ${args.join(' ')}`, async () => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }

  it('keeps what is recorded when a later command is bad', async () => {
    await cli(['budget', 'set', '--daily-usd', '3']);
    await cli(['budget', 'set', '--daily-usd', '-1']);
    expect(JSON.parse((await cli(['budget', '--json'])).out)).toMatchObject({ limitMicros: 3_000_000 });
  });
});

describe('sluice agents and env', () => {
  it('issues a token once, lists agents with today\'s spend, and revokes', async () => {
    const added = await cli(['agents', 'add', 'laptop', '--daily-usd', '2', '--json']);
    expect(added.code).toBe(0);
    const { token, name, dailyCapUsd } = JSON.parse(added.out) as { token: string; name: string; dailyCapUsd: number };
    expect(name).toBe('laptop');
    expect(dailyCapUsd).toBe(2);
    expect(token).toMatch(/^sk-sluice-/);
    const ledger = fs.readFileSync(path.join(dataDir, 'ledger.sqlite'));
    expect(ledger.includes(Buffer.from(token))).toBe(false);
    const list = JSON.parse((await cli(['agents', '--json'])).out) as { name: string; dailyCapMicros: number; spentTodayMicros: number }[];
    expect(list).toEqual([expect.objectContaining({ name: 'laptop', dailyCapMicros: 2_000_000, spentTodayMicros: 0 })]);
    expect((await cli(['agents', 'add', 'laptop'])).code).toBe(2);
    expect((await cli(['agents', 'revoke', 'laptop'])).code).toBe(0);
    expect((await cli(['agents'])).out).toContain('revoked');
  });

  it('prints the two export lines for a shell', async () => {
    const r = await cli(['env', 'term1'], { SLUICE_PORT: '4999' });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('export ANTHROPIC_BASE_URL=http://127.0.0.1:4999');
    expect(lines[1]).toMatch(/^export ANTHROPIC_API_KEY=sk-sluice-[A-Za-z0-9_-]+$/);
    const again = await cli(['env', 'term1'], { SLUICE_PORT: '4999' });
    expect(again.out).not.toBe(r.out);
  });
});

describe('sluice ask and usage', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await startFakeAnthropic({ apiKeys: ['sk-ant-cli'] });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('sends one prompt through the pipeline and records it', async () => {
    fake.enqueue({ type: 'message', text: 'Forty-two.', usage: { input_tokens: 20, output_tokens: 4 } });
    const env = { ANTHROPIC_API_KEY: 'sk-ant-cli', SLUICE_UPSTREAM_URL: fake.url };
    const r = await cli(['ask', 'What is the answer?', '--model', 'claude-sonnet-4-6', '--json'], env);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { text: string; costMicros: number };
    expect(out.text).toBe('Forty-two.');
    expect(out.costMicros).toBe(20 * 3 + 4 * 15);
    const usage = JSON.parse((await cli(['usage', '--by', 'agent', '--json'], env)).out) as { rows: { key: string; micros: number; requests: number }[] };
    expect(usage.rows).toEqual([expect.objectContaining({ key: 'cli', micros: 120, requests: 1 })]);
    expect((await cli(['usage'], env)).out).toContain('claude-sonnet-4-6');
  });

  it('with the policy "queue", a prompt the budget refuses waits as batch work instead of being lost', async () => {
    const env = { ANTHROPIC_API_KEY: 'sk-ant-cli', SLUICE_UPSTREAM_URL: fake.url };
    expect((await cli(['budget', 'set', '--daily-usd', '0.0001', '--policy', 'queue'], env)).code).toBe(0);
    const r = await cli(['ask', 'Write docstrings for util.py', '--model', 'claude-sonnet-4-6', '--json'], env);
    expect(r.code).toBe(3);
    const { deferred } = JSON.parse(r.out) as { deferred: { id: string; reason: string } };
    expect(deferred.reason).toMatch(/^Sluice: this request could cost up to .* daily budget/);
    expect(r.err).toContain(`sluice batch results ${deferred.id}`);
    const items = JSON.parse((await cli(['batch', 'ls', '--json'], env)).out) as Array<{ id: string; state: string; reason: string; agent: string | null }>;
    expect(items).toEqual([expect.objectContaining({ id: deferred.id, state: 'waiting' })]);
    expect(items[0]?.reason).toMatch(/deferred by the budget policy/);
    expect(fake.requests.filter((q) => q.path.startsWith('/v1/messages'))).toHaveLength(0);

    expect((await cli(['budget', 'set', '--policy', 'reject'], env)).code).toBe(0);
    const refused = await cli(['ask', 'Another one', '--model', 'claude-sonnet-4-6'], env);
    expect(refused.code).toBe(1);
    expect((JSON.parse((await cli(['batch', 'ls', '--json'], env)).out) as unknown[]).length).toBe(1);
  });

  it('says clearly when there is no API key', async () => {
    const r = await cli(['ask', 'hi', '--model', 'claude-sonnet-4-6'], { SLUICE_UPSTREAM_URL: fake.url });
    expect(r.code).toBe(1);
    expect(r.err).toContain('no Anthropic API key');
  });
});

describe('the sluice executable', () => {
  const bin = path.resolve(__dirname, '../../../bin/sluice.mjs');
  it('exits 2 with one line on bad usage, as a real process', () => {
    const r = spawnSync(process.execPath, [bin, 'budget', 'set', '--daily-usd', 'x'], { env: { ...process.env, SLUICE_DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['sluice budget: --daily-usd must be a number ≥ 0, got "x".']);
  });
  it('prints help', () => {
    const r = spawnSync(process.execPath, [bin, 'help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('serve');
  });
});

describe('sluice models', () => {
  it('lists local models with context length and flags those too small for agents', async () => {
    const { startFakeOllama } = await import('../../fakes/ollama');
    const ollama = await startFakeOllama({
      models: [
        { name: 'qwen3-coder:30b', family: 'qwen3moe', parameterSize: '30.5B', quantization: 'Q4_K_M', sizeBytes: 18_556_688_736, contextLength: 262_144, capabilities: ['completion', 'tools'] },
        { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', quantization: 'Q4_K_M', sizeBytes: 2_019_393_189, contextLength: 8192, capabilities: ['completion'] },
      ],
    });
    try {
      const r = await cli(['models'], { OLLAMA_HOST: ollama.url });
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/qwen3-coder:30b\s+qwen3moe\s+30\.5B\s+Q4_K_M\s+18\.6 GB\s+262,144/);
      expect(r.out).toContain('8,192 (too small for agents)');
      expect(r.out).toContain('OLLAMA_CONTEXT_LENGTH');
      const json = JSON.parse((await cli(['models', '--json'], { OLLAMA_HOST: ollama.url })).out) as { installed: { name: string; tooSmallForAgents: boolean }[] };
      expect(json.installed.map((m) => [m.name, m.tooSmallForAgents])).toEqual([['qwen3-coder:30b', false], ['llama3.2:3b', true]]);
    } finally {
      await ollama.close();
    }
    const down = await cli(['models'], { OLLAMA_HOST: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.err).toContain('Ollama is not running');
  });
});

describe('sluice permissions', () => {
  it('adds and removes command prefixes for a project, kept in the ledger, and refuses shell operators', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-perm-'));
    try {
      const added = await cli(['permissions', '--project', project, '--allow', 'npm install', '--allow', 'make', '--web', 'on', '--json']);
      expect(added.code).toBe(0);
      expect(JSON.parse(added.out)).toMatchObject({ project: fs.realpathSync(project), allowed: ['make', 'npm install'], web: true });
      const removed = JSON.parse((await cli(['permissions', '--project', project, '--disallow', 'make', '--json'])).out) as { allowed: string[] };
      expect(removed.allowed).toEqual(['npm install']);
      expect((await cli(['permissions', '--project', project])).out).toContain('for this project: npm install');
      const bad = await cli(['permissions', '--project', project, '--allow', 'rm -rf / && echo']);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('not a command prefix');
      expect((await cli(['permissions', '--project', '/no/such/dir'])).code).toBe(2);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
