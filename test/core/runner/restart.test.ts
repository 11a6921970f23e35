import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createCore, type Core } from '../../../electron/core/services';
import { startServer } from '../../../electron/core/host/start';
import { startRunner } from '../../../electron/core/runner/start';
import type { Runner } from '../../../electron/core/runner/runner';
import { TaskStore } from '../../../electron/core/runner/task-store';
import { enqueueTask } from '../../../electron/core/runner/enqueue';
import type { RunningHost } from '../../../electron/core/host/server';
import { startFakeAnthropic, type FakeAnthropic, type FakeReply, type RecordedRequest } from '../../fakes/anthropic';
import { UPSTREAM_KEY } from '../../support/harness';
import { cwdOf, gitOut, isMainLoop, makeRepo, say, toolTurns, write } from './support';

let upstream: FakeAnthropic;
let dataDir: string;
let home: string;
let repo: string;
let child: ChildProcess | null = null;
let core: Core | null = null;
let host: RunningHost | null = null;
let runner: Runner | null = null;

beforeAll(async () => {
  upstream = await startFakeAnthropic({ apiKeys: [UPSTREAM_KEY] });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-restart-'));
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-restart-home-'));
  repo = makeRepo();
});
afterAll(async () => {
  if (child?.pid) killGroup(child.pid);
  await runner?.stop();
  await host?.close();
  await new Promise((r) => setTimeout(r, 150));
  core?.close();
  await upstream.close();
  for (const d of [dataDir, home, repo]) fs.rmSync(d, { recursive: true, force: true });
});

function openCore(): Core {
  return createCore({
    config: { dataDir, port: 0, bindHost: '127.0.0.1', upstreamURL: upstream.url, ollamaHost: 'http://127.0.0.1:9' },
    env: { ANTHROPIC_API_KEY: UPSTREAM_KEY },
    defaultTimeZone: 'UTC',
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function until<T>(f: () => T | null | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a restart of the host', () => {
  it('keeps queued tasks queued and marks interrupted ones, which resume their session', async () => {
    // Queue two tasks in the ledger, as `sluice dispatch` would; the first is more urgent.
    const setup = openCore();
    const store = new TaskStore(setup.db, () => Date.now());
    const a = enqueueTask(store, setup.settings.get().routing, { prompt: 'Write a.txt then b.txt', project: repo, priority: 'high' });
    const b = enqueueTask(store, setup.settings.get().routing, { prompt: 'Write c.txt', project: repo, priority: 'low' });
    setup.close();
    if (!a.ok || !b.ok) throw new Error('dispatch failed');
    const A = a.value.id;
    const B = b.value.id;

    let crashed = false;
    const served: string[] = [];
    upstream.setResponder(async (req: RecordedRequest): Promise<FakeReply> => {
      if (!isMainLoop(req)) return { type: 'message', text: 'Title' };
      const cwd = cwdOf(req) ?? '';
      const turn = toolTurns(req);
      served.push(`${path.basename(cwd)}:${turn}`);
      if (path.basename(cwd) === B) return (turn === 0 ? write('c.txt', 'c\n') : say('Done.'))(cwd);
      if (turn === 0) return write('a.txt', 'a\n')(cwd);
      // Task A's second request hangs until the host that sent it is killed.
      if (turn === 1 && !crashed) return { type: 'message', text: 'never seen', delayMs: 60_000 };
      if (turn === 1) return write('b.txt', 'b\n')(cwd);
      return say('Done.')(cwd);
    });

    child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'host-child.ts'), dataDir, upstream.url, home, UPSTREAM_KEY], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let childErr = '';
    child.stderr?.on('data', (d: Buffer) => (childErr += d.toString()));
    await until(() => served.includes(`${A}:1`), `task A's second request (child stderr: ${childErr.slice(-500)})`, 90_000);
    killGroup(child.pid as number);
    crashed = true;
    await new Promise<void>((r) => (child?.exitCode !== null ? r() : child.once('exit', () => r())));
    child = null;

    // What the ledger holds after the crash: A still "running" under a dead owner, B still queued.
    core = openCore();
    const after = new TaskStore(core.db, () => Date.now());
    expect(after.get(A)?.state).toBe('running');
    expect(after.get(B)?.state).toBe('queued');

    host = await startServer(core, { port: 0, watchOllama: false });
    runner = startRunner(core, { gatewayUrl: host.url, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, pollMs: 100, concurrency: 1 });
    const r = runner;
    // The interrupted task is marked at once; the queued one runs as if nothing happened.
    expect(r.row(A)).toMatchObject({ state: 'paused', pausedReason: 'restart' });
    await until(() => r.row(B)?.state === 'done' && !r.isActive(B), 'task B to finish');
    expect(gitOut(repo, 'show', `sluice/${B}:c.txt`)).toBe('c\n');
    expect(r.row(A)).toMatchObject({ state: 'paused', pausedReason: 'restart' });

    // Resumed, A continues the same Claude Code session: a.txt is not written again.
    expect(r.control(A, 'resume').ok).toBe(true);
    await until(() => ['done', 'failed'].includes(r.row(A)?.state ?? '') && !r.isActive(A), 'task A to finish');
    expect(r.row(A)?.state).toBe('done');
    expect(served.filter((s) => s === `${A}:0`)).toHaveLength(1);
    expect(gitOut(repo, 'show', `sluice/${A}:a.txt`)).toBe('a\n');
    expect(gitOut(repo, 'show', `sluice/${A}:b.txt`)).toBe('b\n');
    const sessions = new Set(core.queries.requests({ agent: `task-${A}`, limit: 50 }).map((x) => x.session));
    expect(sessions).toEqual(new Set([r.detail(A)?.sessionId]));
  }, 120_000);
});
