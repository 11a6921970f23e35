// Issue 3 benchmark: latency the gateway adds over calling the same local fake upstream directly,
// at fixed request rates (open loop), JSON and streaming, beside the floor of a bare Node proxy;
// plus the gateway's CPU per request, GC pauses and memory. The load generator and the upstream
// are lean raw-socket programs (fixtures/raw-http.ts), the upstream replaying the protocol-faithful
// fake's answers, so on two shared cores the tails measured are the paths', not the instruments'.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { summarize, fmt } from './stats';
import type { ProcessStats } from './fixtures/process-stats';
import { postBytes, RawClient, type RawSample } from './fixtures/raw-http';

const here = path.dirname(new URL(import.meta.url).pathname);

/**
 * SLUICE_BENCH_PIN=1 pins the paths under test (gateway, Node proxy) to CPU 1 and the load generator
 * and upstream to CPU 0 (taskset), so the process measured is never preempted by the load it is
 * measured under, as with a load generator on another machine. CPU 0 then carries the load
 * generator and the upstream alone: past about 500 streams/s it saturates, and the direct call with it.
 */
const pin = process.env.SLUICE_BENCH_PIN === '1';

/**
 * SLUICE_BENCH_RT=1 takes the scheduler out of the measurement: every process of the bench runs
 * SCHED_FIFO (`chrt`, which needs root or CAP_SYS_NICE), so a woken one never waits on a run queue,
 * and one SCHED_IDLE spinner per CPU keeps the CPUs out of idle states, whose wake-up on this VM
 * is most of every path's p50. What remains is the paths' own cost. A diagnostic beside the default
 * figures, not a replacement for them: a user's machine schedules the gateway like any process.
 */
const rt = process.env.SLUICE_BENCH_RT === '1';

/**
 * While one path is measured, the processes of the other paths (the idle gateway, Node proxy and
 * gateway B) are stopped (SIGSTOP), as they would not exist beside a deployed gateway: idle, V8
 * still wakes their helper threads (GC, the memory reducer), and on two cores a bystander's thread
 * running is a measured path's thread waiting (seen with `perf sched`: of the
 * time the gateway's event loop waited 1 ms or more for a CPU, the idle Node proxy's threads held
 * one for about a third). SLUICE_BENCH_BYSTANDERS=run leaves them running.
 */
const stopBystanders = process.env.SLUICE_BENCH_BYSTANDERS !== 'run';

/**
 * SLUICE_BENCH_GATEWAY_B_FLAGS="--flag …" runs a second gateway with those Node/V8 flags as one more
 * path in the same rounds, and reports what it adds beside the first: an A/B within one window, since
 * a single run's p99 moves by more than most such changes. SLUICE_BENCH_GATEWAY_B_ENV="K=V …" gives
 * it environment variables instead or as well: SLUICE_BENCH_SETTLE_THREAD=0 runs it with its
 * settlements on the event loop (fixtures/gateway-child.ts).
 */
const gatewayBFlags = (process.env.SLUICE_BENCH_GATEWAY_B_FLAGS ?? '').split(' ').filter(Boolean);
const gatewayBEnv = Object.fromEntries(
  (process.env.SLUICE_BENCH_GATEWAY_B_ENV ?? '')
    .split(' ')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const gatewayB = gatewayBFlags.length > 0 || Object.keys(gatewayBEnv).length > 0;
const gatewayBName = [...Object.entries(gatewayBEnv).map(([k, v]) => `${k}=${v}`), ...gatewayBFlags].join(' ');
/** Spins, and exits once the bench that started it is gone (it would spin forever as an orphan). */
const SPINNER = 'const parent = process.ppid; for (let n = 1; ; n++) if (n % 5e7 === 0 && process.ppid !== parent) process.exit(0);';

function startChild(script: string, args: string[] = [], cpu = '0', nodeFlags: string[] = [], env: Record<string, string> = {}): Promise<{ child: ChildProcess; line: string }> {
  const argv = [process.execPath, ...nodeFlags, '--import', 'tsx', path.join(here, 'fixtures', script), ...args];
  const [cmd, ...rest] = pin ? ['taskset', '-c', cpu, ...argv] : rt ? ['chrt', '-f', '1', ...argv] : argv;
  const child = spawn(cmd as string, rest, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ child, line: buf.slice(0, nl) });
    });
    child.once('exit', (c) => reject(new Error(`${script} exited ${c}`)));
  });
}

let serial = 0;

/**
 * Open-loop load: starts a request every 1/rate seconds regardless of completions, for `leadIn` +
 * `seconds`, and returns the samples after the lead-in. The lead-in brings the path back to its
 * steady state at this rate after it sat idle while the other paths were measured (JIT, the young
 * generation's size, the budget lease, connections), so each round measures the steady state.
 */
async function load(p: Child, template: string, rate: number, seconds: number, leadIn = 0): Promise<RawSample[]> {
  const skip = Math.round(rate * leadIn);
  const total = skip + Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now();
  const pending: Promise<RawSample>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Every request differs (a serial number in the prompt), so the gateway's dedupe never shares an answer.
    pending.push(p.client.request(postBytes(p.host, '/v1/messages', p.headers, template.replace('#N#', String(serial++)))));
  }
  return (await Promise.all(pending)).slice(skip);
}

interface Child {
  child: ChildProcess;
  host: string;
  headers: Record<string, string>;
  client: RawClient;
}

function ask<T>(c: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    c.once('message', (m) => resolve(m as T));
    c.send(message);
  });
}

/**
 * Added latency = a percentile through a path minus the same percentile calling the upstream directly.
 * Both are measured in alternating rounds within one window per rate (direct, gateway, Node proxy,
 * rotating), so drift on this shared 2-core machine (other processes, CPU frequency) hits all paths
 * alike. The Node proxy is the floor: Node's own HTTP server and client with nothing else.
 */
export default async function bench(log: (line: string) => void): Promise<void> {
  const bodyFor = (stream: boolean) =>
    JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 256, stream, messages: [{ role: 'user', content: 'Request #N#. ' + 'Summarise the design of a small gateway in one paragraph. '.repeat(20) }] });
  const up = await startChild('upstream-child.ts', [JSON.stringify([false, true].map((s) => bodyFor(s).replace('#N#', '0')))]);
  const upstreamUrl = up.line.trim();
  const gw = await startChild('gateway-child.ts', [upstreamUrl], '1');
  const px = await startChild('node-proxy-child.ts', [upstreamUrl], '1');
  const gwB = gatewayB ? await startChild('gateway-child.ts', [upstreamUrl], '1', gatewayBFlags, gatewayBEnv) : null;
  if (pin) {
    spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
    log('pinned: gateway and Node proxy on CPU 1; load generator and upstream on CPU 0');
  }
  const base = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
  const via = (child: ChildProcess, url: string, headers: Record<string, string>): Child => {
    const u = new URL(url);
    return { child, host: u.host, headers, client: new RawClient(Number(u.port), u.hostname) };
  };
  const gwInfo = JSON.parse(gw.line) as { url: string; token: string };
  const pxInfo = JSON.parse(px.line) as { url: string };
  const paths: Partial<Record<'direct' | 'gateway' | 'proxy' | 'gatewayB', Child>> & Record<'direct' | 'gateway' | 'proxy', Child> = {
    direct: via(up.child, upstreamUrl, { ...base, 'x-api-key': 'sk-ant-bench' }),
    gateway: via(gw.child, gwInfo.url, { ...base, 'x-api-key': gwInfo.token }),
    proxy: via(px.child, pxInfo.url, base),
  };
  if (gwB) {
    const info = JSON.parse(gwB.line) as { url: string; token: string };
    paths.gatewayB = via(gwB.child, info.url, { ...base, 'x-api-key': info.token });
  }
  const spinners: ChildProcess[] = [];
  /** The stopped processes, and since when (wall clock, as their GC records: see process-stats). */
  const stopped = new Map<ChildProcess, number>();
  /** Only `name`'s own process runs, with the upstream (`direct`'s process, which serves every path); every other path's is stopped. */
  const alone = (name: keyof typeof paths | null): void => {
    const now = performance.timeOrigin + performance.now();
    for (const [n, { child: c }] of Object.entries(paths)) {
      if (n === 'direct') continue;
      const stop = stopBystanders && name !== null && n !== name;
      const since = stopped.get(c);
      if (stop && since === undefined) {
        c.kill('SIGSTOP');
        stopped.set(c, now);
      } else if (!stop && since !== undefined) {
        c.kill('SIGCONT');
        stopped.delete(c);
        c.send({ stopped: [since, now] });
      }
    }
  };
  try {
    if (rt) {
      const r = spawnSync('chrt', ['-a', '-f', '-p', '1', String(process.pid)]);
      if (r.status !== 0) throw new Error(`SLUICE_BENCH_RT=1 needs chrt with root or CAP_SYS_NICE: ${String(r.stderr).trim()}`);
      for (let i = 0; i < os.availableParallelism(); i++) spinners.push(spawn('chrt', ['-i', '0', process.execPath, '-e', SPINNER], { stdio: 'ignore' }));
      log(`real-time: every bench process SCHED_FIFO, ${spinners.length} SCHED_IDLE spinners keep the CPUs awake`);
    }
    // Measured seconds per path and rate, in rounds that each start with a lead-in (see `load`).
    const seconds = Number(process.env.SLUICE_BENCH_SECONDS ?? 6);
    // Rounds of about 2 s (at least 3): a longer run interleaves the paths as finely, so a burst of the
    // machine's scheduling noise lands on each path alike.
    const rounds = Math.max(3, Math.round(seconds / 2));
    const leadIn = 0.5;
    for (const stream of [false, true]) {
      const body = bodyFor(stream);
      for (const rate of [100, 500, 1000]) {
        // Warm every path at this rate (JIT, keep-alive sockets, SQLite page cache, heap sizes).
        for (const [name, p] of Object.entries(paths)) {
          alone(name as keyof typeof paths);
          await load(p, body, rate, 2);
        }
        alone(null);
        const samples: Record<keyof typeof paths, RawSample[]> = { direct: [], gateway: [], proxy: [], gatewayB: [] };
        const order: Array<keyof typeof paths> = paths.gatewayB ? ['direct', 'gateway', 'proxy', 'gatewayB'] : ['direct', 'gateway', 'proxy'];
        let gatewayCpuMs = 0;
        await ask(gw.child, 'mark');
        if (gwB) await ask(gwB.child, 'mark');
        for (let r = 0; r < rounds; r++) {
          for (const name of order) {
            const p = paths[name] as Child;
            alone(name);
            const before = name === 'gateway' ? await ask<ProcessStats>(gw.child, 'stats') : null;
            samples[name].push(...(await load(p, body, rate, seconds / rounds, leadIn)));
            if (before) gatewayCpuMs += (await ask<ProcessStats>(gw.child, 'stats')).cpuMs - before.cpuMs;
          }
          order.push(order.shift() as keyof typeof paths);
        }
        alone(null);
        const gc = await ask<ProcessStats>(gw.child, 'stats');
        const ttlb = (k: keyof typeof paths) => summarize(samples[k].map((s) => s.ttlb));
        const ttfb = (k: keyof typeof paths) => summarize(samples[k].map((s) => s.ttfb));
        const [d, g, x] = [ttlb('direct'), ttlb('gateway'), ttlb('proxy')];
        const [dF, gF, xF] = [ttfb('direct'), ttfb('gateway'), ttfb('proxy')];
        const fails = Object.values(samples).reduce((n, list) => n + list.filter((s) => s.status !== 200).length, 0);
        log(
          `${stream ? 'stream' : 'json  '} @ ${String(rate).padStart(4)} rps: added p50 ${fmt(g.p50 - d.p50, 2)} / p99 ${fmt(g.p99 - d.p99, 2)} ms` +
            (stream ? ` (TTFB ${fmt(gF.p50 - dF.p50, 2)} / ${fmt(gF.p99 - dF.p99, 2)} ms)` : '') +
            `; Node proxy floor ${fmt(x.p50 - d.p50, 2)} / ${fmt(x.p99 - d.p99, 2)} ms` +
            (stream ? ` (TTFB ${fmt(xF.p50 - dF.p50, 2)} / ${fmt(xF.p99 - dF.p99, 2)} ms)` : '') +
            `; direct p50 ${fmt(d.p50, 2)} / p99 ${fmt(d.p99, 2)} ms` +
            `; gateway CPU ${fmt(gatewayCpuMs / (rounds * Math.round(rate * (leadIn + seconds / rounds))), 2)} ms/request, ${gc.gcPauses} GC pauses (max ${fmt(gc.gcMaxMs, 1)} ms)` +
            (fails ? `; ${fails} failed` : ''),
        );
        if (paths.gatewayB) {
          const [b, bF] = [ttlb('gatewayB'), ttfb('gatewayB')];
          const gcB = gwB ? await ask<ProcessStats>(gwB.child, 'stats') : null;
          log(
            `         gateway B (${gatewayBName}): added p50 ${fmt(b.p50 - d.p50, 2)} / p99 ${fmt(b.p99 - d.p99, 2)} ms` +
              (stream ? ` (TTFB ${fmt(bF.p50 - dF.p50, 2)} / ${fmt(bF.p99 - dF.p99, 2)} ms)` : '') +
              (gcB ? `; ${gcB.gcPauses} GC pauses (max ${fmt(gcB.gcMaxMs, 1)} ms)` : ''),
          );
        }
      }
    }
    const m = await ask<ProcessStats>(gw.child, 'stats');
    log(`gateway memory after the run: RSS ${fmt(m.rss / 1e6)} MB, JS heap ${fmt(m.heap / 1e6)} MB`);
    if (gwB) {
      const mB = await ask<ProcessStats>(gwB.child, 'stats');
      log(`gateway B memory after the run: RSS ${fmt(mB.rss / 1e6)} MB, JS heap ${fmt(mB.heap / 1e6)} MB`);
    }
  } finally {
    alone(null);
    for (const p of Object.values(paths)) p.client.close();
    gw.child.kill('SIGTERM');
    gwB?.child.kill('SIGTERM');
    px.child.kill('SIGTERM');
    up.child.kill('SIGTERM');
    for (const c of spinners) c.kill('SIGKILL');
  }
}
