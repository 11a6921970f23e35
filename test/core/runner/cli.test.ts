import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { TaskStore } from '../../../electron/core/runner/task-store';
import { gitOut, isMainLoop, makeRepo, say, scripted, startRunnerHarness, toolTurns, write, type RunnerHarness } from './support';
import type { FakeReply, RecordedRequest } from '../../fakes/anthropic';
import { runSluice, type CliResult } from '../../support/cli';

const bin = path.resolve(__dirname, '../../../bin/sluice.mjs');

const cli = (dataDir: string, args: string[], cwd = dataDir): Promise<CliResult> => runSluice({ dataDir, args, cwd });

/** The real `sluice` binary in its own process, as a user's second terminal. */
function sluice(dataDir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, SLUICE_DATA_DIR: dataDir, OLLAMA_HOST: 'http://127.0.0.1:9' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('sluice dispatch / ps / pause / resume / cancel without a host', () => {
  let dataDir: string;
  let repo: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-runner-'));
    repo = makeRepo();
  });
  afterAll(() => {
    for (const d of [dataDir, repo]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('queues a task in the ledger and says nobody runs it yet', async () => {
    const r = await cli(dataDir, ['dispatch', 'Fix the README', '--priority', 'high', '--cap-usd', '2'], repo);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Queued t[0-9a-f]{10} \(priority high, .+, cap \$2\.00\) in /);
    expect(r.out).toContain('No Sluice host is running');
    const json = JSON.parse((await cli(dataDir, ['dispatch', 'Second task', '--project', repo, '--json'])).out) as { id: string; state: string; project: string };
    expect(json).toMatchObject({ state: 'queued', project: repo });

    const ps = await cli(dataDir, ['ps']);
    expect(ps.out.split('\n')[0]).toMatch(/^ID\s+STATE\s+PRI\s+MODEL\s+TURNS\s+COST\s+TIME\s+NOW\s+TASK$/);
    expect(ps.out).toContain('Fix the README');
    const rows = JSON.parse((await cli(dataDir, ['ps', '--json'])).out) as { id: string; state: string }[];
    expect(rows).toHaveLength(2);

    const id = json.id;
    expect((await cli(dataDir, ['pause', id.slice(0, 6)])).out).toBe(`Task ${id} is paused (user).\n`);
    expect((await cli(dataDir, ['ps', id])).out).toMatch(/Task t[0-9a-f]{10}\s+paused \(user\)/);
    expect((await cli(dataDir, ['resume', id, '--cap-usd', '3'])).out).toBe(`Task ${id} is queued.\n`);
    expect(JSON.parse((await cli(dataDir, ['ps', id, '--json'])).out)).toMatchObject({ state: 'queued', capMicros: 3_000_000 });
    expect((await cli(dataDir, ['cancel', id])).out).toBe(`Task ${id} is cancelled.\n`);
    const again = await cli(dataDir, ['resume', id]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('cancelled; dispatch a new task');
    const diff = await cli(dataDir, ['diff', id]);
    expect(diff.code).toBe(1);
    expect(diff.err).toContain('has not started yet');
  });

  const bad: [string[], RegExp][] = [
    [['dispatch'], /Say what the agent should do/],
    [['dispatch', 'x', '--project', '/definitely/not/here'], /does not exist/],
    [['dispatch', 'x', '--priority', 'urgent'], /--priority must be one of high, normal, low/],
    [['dispatch', 'x', '--cap-usd', 'lots'], /--cap-usd must be a number/],
    [['dispatch', 'x', '--cap-usd', '0'], /--cap-usd must be above 0/],
    [['dispatch', 'x', '--tier', 'huge'], /--tier must be one of local, fast, strong/],
    [['dispatch', 'x', '--model', 'm', '--tier', 'fast'], /not both/],
    [['pause'], /Give one task id/],
    [['pause', 'tnothere'], /No task "tnothere"/],
    [['resume', 'x y'], /is not a task id/],
    [['ps', 'a', 'b'], /at most one task id/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 with one line for: sluice ${args.join(' ')}`, async () => {
      const r = await cli(dataDir, args, repo);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('the CLI in another process while a host runs tasks', () => {
  let rh: RunnerHarness;
  let repo: string;
  beforeAll(async () => {
    rh = await startRunnerHarness();
    repo = makeRepo();
  });
  afterAll(async () => {
    await rh.close();
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('dispatch is picked up from the shared ledger; pause reaches the running agent; resume, diff and merge follow', async () => {
    const store = new TaskStore(rh.h.core.db, () => Date.now());
    let paused = false;
    const script = scripted(() => [write('one.txt', '1\n'), write('two.txt', '2\n'), say('Done.')]);
    rh.h.anthropic.setResponder(async (req: RecordedRequest): Promise<FakeReply> => {
      if (isMainLoop(req) && toolTurns(req) === 0 && !paused) {
        paused = true;
        const id = store.listAll(1)[0]?.id as string;
        const p = await sluice(rh.h.dataDir, ['pause', id]);
        expect(p.out).toContain('it stops at its next turn boundary');
        // Answer once the host has taken the request, so the pause lands at this turn's boundary.
        for (let i = 0; i < 1500 && store.get(id)?.control !== null; i++) await new Promise((r) => setTimeout(r, 20));
      }
      return script(req);
    });

    const d = await sluice(rh.h.dataDir, ['dispatch', 'Write two files', '--project', repo]);
    expect(d.code).toBe(0);
    expect(d.out).toContain('The running Sluice host will start it');
    const id = /Queued (t[0-9a-f]{10})/.exec(d.out)?.[1] as string;

    const p = await rh.waitFor(id, ['paused', 'done', 'failed']);
    expect(p).toMatchObject({ state: 'paused', pausedReason: 'user' });
    // The host announced the task another process queued before it started it.
    const seen = rh.events.filter((e) => e.id === id).map((e) => e.state);
    expect(seen.indexOf('queued')).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('queued')).toBeLessThan(seen.indexOf('starting'));
    const mark = rh.events.length;
    const r = await sluice(rh.h.dataDir, ['resume', id]);
    expect(r.out).toBe(`Task ${id} is queued.\n`);
    const done = await rh.waitFor(id, ['done', 'failed', 'paused'], { restarted: true, since: mark });
    expect(done.state).toBe('done');

    const diff = await sluice(rh.h.dataDir, ['diff', id]);
    expect(diff.out).toContain(`Task ${id} on sluice/${id}`);
    expect(diff.out).toMatch(/one\.txt\s+\|\s+1 \+/);
    expect(diff.out).toMatch(/two\.txt\s+\|\s+1 \+/);
    const merged = await sluice(rh.h.dataDir, ['merge', id]);
    expect(merged.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'two.txt'), 'utf8')).toBe('2\n');
    expect(gitOut(repo, 'status', '--porcelain')).toBe('');
  }, 120_000);
});
