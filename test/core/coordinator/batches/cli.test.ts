import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER } from '../../../fakes/anthropic';
import type { Harness } from '../../../support/harness';
import { BATCH_DELAY_MS, batchHarness, coordinator, manualClock, type ManualClock } from './support';
import { runSluice, type CliResult } from '../../../support/cli';

let clock: ManualClock;
let h: Harness;

beforeEach(async () => {
  clock = manualClock();
  h = await batchHarness(clock);
});
afterEach(async () => {
  await h.close();
});

const cli = (args: string[], stdin = ''): Promise<CliResult> => runSluice({ dataDir: h.dataDir, args, env: { OLLAMA_HOST: h.ollama.url }, stdin });

describe('sluice batch', () => {
  it('adds a prompt, lists it with its reason and cost, and prints its result once settled', async () => {
    const added = await cli(['batch', 'add', '--model', 'claude-haiku-4-5', '--max-tokens', '64', '--agent', 'alice', '--task', 'docs-1', 'write', 'a', 'haiku']);
    expect(added).toMatchObject({ code: 0, err: '' });
    const id = added.out.trim();

    const waiting = JSON.parse((await cli(['batch', 'ls', '--json'])).out) as { id: string; state: string; agentName: string; taskId: string; reason: string; worstCaseMicros: number }[];
    expect(waiting).toEqual([expect.objectContaining({ id, state: 'waiting', agentName: 'alice', taskId: 'docs-1', reason: 'deferrable task (sluice batch add)' })]);
    expect(waiting[0]!.worstCaseMicros).toBeGreaterThan(0);
    expect((await cli(['batch', 'results', id])).code).toBe(1);

    // `sluice serve` (here: a coordinator on the same ledger) submits and settles it.
    const c = coordinator(h.core, clock);
    await c.tick();
    clock.t += BATCH_DELAY_MS;
    await c.tick();

    const listed = await cli(['batch', 'ls']);
    expect(listed.out).toMatch(new RegExp(`${id}\\s+done\\s+claude-haiku-4-5\\s+alice\\s+docs-1\\s+\\$0\\.\\d{4}\\s+deferrable task`));
    const result = await cli(['batch', 'results', id.slice(0, 8)]);
    expect(result.code).toBe(0);
    expect(result.out).toBe(DEFAULT_ANSWER + '\n');
    expect(result.err).toMatch(/^— claude-haiku-4-5 \(batch msgbatch_\w+\), \d+ in \/ \d+ out, \$0\.\d{4}\n$/);
    const json = JSON.parse((await cli(['batch', 'results', id, '--json'])).out) as { state: string; costMicros: number; requestId: number };
    expect(json.state).toBe('done');
    expect(json.costMicros).toBe(h.core.db.prepare<[number], { c: number }>('SELECT cost_micros AS c FROM requests WHERE id = ?').get(json.requestId)?.c);
  });

  it('reads the prompt from stdin', async () => {
    const added = await cli(['batch', 'add', '--model', 'claude-haiku-4-5'], 'from stdin');
    expect(added.code).toBe(0);
    const item = JSON.parse((await cli(['batch', 'results', added.out.trim(), '--json'])).out) as { state: string; maxTokens: number };
    expect(item).toMatchObject({ state: 'waiting', maxTokens: 4096 });
  });

  const bad: [string[], RegExp][] = [
    [['batch'], /Say what to do/],
    [['batch', 'frob'], /Unknown batch command "frob"/],
    [['batch', 'add', 'no model'], /Give a model with --model/],
    [['batch', 'add', '--model', 'claude-haiku-4-5'], /Give a prompt/],
    [['batch', 'add', '--model', 'claude-haiku-4-5', '--max-tokens', '0', 'x'], /--max-tokens must be a positive whole number/],
    [['batch', 'add', '--model', 'claude-haiku-4-5', '--agent', 'ghost', 'x'], /No agent named "ghost"/],
    [['batch', 'results'], /needs one ID/],
    [['batch', 'results', 'nope-not-there'], /No deferred request "nope-not-there"/],
    [['batch', 'ls', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 with one clear line for: sluice ${args.join(' ')}`, async () => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }
});
