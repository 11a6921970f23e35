// Issue 5 benchmark: the runner's overhead per task (dispatch → the agent's first request, memory per
// running Claude Code), and the host's event throughput with 20 agents against a fast fake upstream.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { summarize, fmt } from './stats';
import { isMainLoop, makeRepo, say, scripted, startRunnerHarness, write, type Step } from '../core/runner/support';
import { addWorktree } from '../../electron/core/runner/worktree';
import type { CoreEventType } from '../../shared/contract';

/** Resident memory of every process below this one (Linux /proc), in bytes, and how many there are. */
function descendantsRss(): { count: number; bytes: number } {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, pp] of parent) {
      if (!mine.has(pid) && mine.has(pp)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  mine.delete(process.pid);
  let bytes = 0;
  let count = 0;
  for (const pid of mine) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m && /claude/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) {
        bytes += Number(m[1]) * 1024;
        count++;
      }
    } catch {
      // gone
    }
  }
  return { count, bytes };
}

function timeIt(f: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t0) / n;
}

export default async function bench(log: (line: string) => void): Promise<void> {
  const linux = process.platform === 'linux';
  if (linux) log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((l) => fmt(l)).join(' ')} at the start`);

  // 1. Start-up: dispatch → 'running' (Claude Code said hello) → its first request at the upstream.
  {
    const rh = await startRunnerHarness({ concurrency: 1 });
    const repo = makeRepo();
    const firstRequest = new Map<string, number>();
    const running = new Map<string, number>();
    const dispatched = new Map<string, number>();
    const script = scripted(() => [say('Done.')]);
    rh.h.anthropic.setResponder((req) => {
      if (isMainLoop(req)) {
        const cwd = /Primary working directory: ([^\n"\\]+)/.exec(req.rawBody)?.[1] ?? '';
        const id = path.basename(cwd);
        if (!firstRequest.has(id)) firstRequest.set(id, performance.now());
      }
      return script(req);
    });
    rh.h.core.events.subscribe((e) => {
      if (e.type === 'task' && e.task.state === 'running' && !running.has(e.task.id)) running.set(e.task.id, performance.now());
    });
    const n = 6;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = rh.runner.dispatch({ prompt: `Task ${i}`, project: repo });
      if (!r.ok) throw new Error(r.error.message);
      dispatched.set(r.value.id, t0);
      await rh.waitFor(r.value.id, ['done', 'failed'], { timeoutMs: 120_000 });
    }
    // The first start is cold (the 400 MB engine binary is read from disk): report it apart.
    const ids = [...dispatched.keys()];
    const toRunning = ids.map((id) => (running.get(id) ?? NaN) - (dispatched.get(id) ?? NaN));
    const toFirst = ids.map((id) => (firstRequest.get(id) ?? NaN) - (dispatched.get(id) ?? NaN));
    const warm = summarize(toFirst.slice(1));
    log(`start-up, dispatch → first request at the upstream: cold ${fmt(toFirst[0] ?? NaN, 0)} ms; warm p50 ${fmt(warm.p50, 0)} ms, max ${fmt(warm.max, 0)} ms (n=${n - 1})`);
    log(`  of which dispatch → engine ready (init): warm p50 ${fmt(summarize(toRunning.slice(1)).p50, 0)} ms`);
    const wt: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await addWorktree(repo, path.join(rh.h.dataDir, 'bench-wt', String(i)), `bench/${i}`, 'HEAD');
      wt.push(performance.now() - t0);
    }
    log(`  of which git worktree add: p50 ${fmt(summarize(wt).p50, 0)} ms`);
    await rh.close();
    fs.rmSync(repo, { recursive: true, force: true });
  }

  // 2 + 3. Twenty agents at once, ten tool turns each, against an upstream that answers at once.
  {
    const agents = 20;
    const turns = 10;
    const rh = await startRunnerHarness({ concurrency: agents });
    const repo = makeRepo();
    const steps: Step[] = [...Array.from({ length: turns }, (_, i) => write(`f${i}.txt`, `${i}\n`)), say('Done.')];
    rh.h.anthropic.setResponder(scripted(() => steps));
    const counts = new Map<CoreEventType, number>();
    let handlerMs = 0;
    rh.h.core.events.subscribe((e) => {
      const t0 = performance.now();
      // What the WebSocket host does with every event: serialize it once.
      JSON.stringify({ event: e });
      counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
      handlerMs += performance.now() - t0;
    });
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    let peak = { count: 0, bytes: 0 };
    const sampler = setInterval(() => {
      if (!linux) return;
      const s = descendantsRss();
      if (s.count > peak.count || (s.count === peak.count && s.bytes > peak.bytes)) peak = s;
    }, 200);
    const hostBefore = process.memoryUsage().rss;
    let hostPeak = hostBefore;
    const hostSampler = setInterval(() => (hostPeak = Math.max(hostPeak, process.memoryUsage().rss)), 200);
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < agents; i++) {
      const r = rh.runner.dispatch({ prompt: `Task ${i}`, project: repo });
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.id);
    }
    const rows = await Promise.all(ids.map((id) => rh.waitFor(id, ['done', 'failed', 'paused'], { timeoutMs: 300_000 })));
    const wall = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    clearInterval(hostSampler);
    lag.disable();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const byType = [...counts.entries()].map(([k, v]) => `${k} ${v}`).join(', ');
    log(`${agents} agents × ${turns} tool turns: ${rows.filter((r) => r.state === 'done').length}/${agents} done in ${fmt(wall)} s; ${rh.h.core.queries.requests({ limit: 10_000 }).length} requests`);
    log(`  host events: ${total} in ${fmt(wall)} s = ${fmt(total / wall, 0)}/s (${byType}); serializing them cost ${fmt(handlerMs, 0)} ms in all`);
    log(`  host event-loop delay while they ran: p50 ${fmt(lag.percentile(50) / 1e6)} ms, p99 ${fmt(lag.percentile(99) / 1e6)} ms, max ${fmt(lag.max / 1e6)} ms`);
    // What one task event costs the host to build (the task row + its usage from the ledger).
    const b0 = performance.now();
    for (let i = 0; i < 2000; i++) rh.runner.row(ids[i % ids.length] as string);
    log(`  building one task event: ${fmt(((performance.now() - b0) * 1000) / 2000, 0)} µs (two indexed queries); list() of ${agents} tasks: ${fmt(timeIt(() => rh.runner.list(), 200), 2)} ms`);
    if (linux && peak.count > 0) log(`  memory: ${peak.count} Claude Code processes at once, ${fmt(peak.bytes / peak.count / 2 ** 20, 0)} MB RSS each; host RSS +${fmt((hostPeak - hostBefore) / 2 ** 20, 0)} MB at peak`);
    await rh.close();
    fs.rmSync(repo, { recursive: true, force: true });
  }
}
