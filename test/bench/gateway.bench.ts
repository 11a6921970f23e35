// Issue 3 benchmark: latency the gateway adds over calling the same local fake upstream directly,
// at fixed request rates (open loop), JSON and streaming, beside the floor of a bare Node proxy;
// plus the gateway's CPU per request, GC pauses and memory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { summarize, fmt } from './stats';
import type { ProcessStats } from './fixtures/process-stats';

const here = path.dirname(new URL(import.meta.url).pathname);

/**
 * SLUICE_BENCH_PIN=1 pins the paths under test (gateway, Node proxy) to CPU 1 and the load generator
 * and upstream to CPU 0 (taskset), so the process measured is never preempted by the load it is
 * measured under, as with a load generator on another machine. CPU 0 then carries the load
 * generator and the upstream alone: past about 500 streams/s it saturates, and the direct call with it.
 */
const pin = process.env.SLUICE_BENCH_PIN === '1';

function startChild(script: string, args: string[] = [], cpu = '0'): Promise<{ child: ChildProcess; line: string }> {
  const argv = [process.execPath, '--import', 'tsx', path.join(here, 'fixtures', script), ...args];
  const [cmd, ...rest] = pin ? ['taskset', '-c', cpu, ...argv] : argv;
  const child = spawn(cmd as string, rest, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
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

interface Sample {
  ttfb: number;
  ttlb: number;
  ok: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

let serial = 0;

function once(base: string, headers: Record<string, string>, template: string): Promise<Sample> {
  // Every request differs (a serial number in the prompt), so the gateway's dedupe never shares an answer.
  const body = template.replace('#N#', String(serial++));
  const u = new URL('/v1/messages', base);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let ttfb = 0;
      res.once('data', () => (ttfb = performance.now() - t0));
      res.on('data', () => {});
      res.on('end', () => resolve({ ttfb, ttlb: performance.now() - t0, ok: res.statusCode === 200 }));
    });
    req.on('error', () => resolve({ ttfb: 0, ttlb: performance.now() - t0, ok: false }));
    req.end(body);
  });
}

/** Open-loop load: starts a request every 1/rate seconds regardless of completions. */
async function load(base: string, headers: Record<string, string>, body: string, rate: number, seconds: number): Promise<Sample[]> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now();
  const pending: Promise<Sample>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(once(base, headers, body));
  }
  return Promise.all(pending);
}

interface Child {
  child: ChildProcess;
  url: string;
  headers: Record<string, string>;
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
  const up = await startChild('upstream-child.ts');
  const upstreamUrl = up.line.trim();
  const gw = await startChild('gateway-child.ts', [upstreamUrl], '1');
  const px = await startChild('node-proxy-child.ts', [upstreamUrl], '1');
  if (pin) {
    spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
    log('pinned: gateway and Node proxy on CPU 1; load generator and upstream on CPU 0');
  }
  const base = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
  const hostOf = (u: string) => new URL(u).host;
  const gwInfo = JSON.parse(gw.line) as { url: string; token: string };
  const pxInfo = JSON.parse(px.line) as { url: string };
  const paths: Record<'direct' | 'gateway' | 'proxy', Child> = {
    direct: { child: up.child, url: upstreamUrl, headers: { ...base, 'x-api-key': 'sk-ant-bench', host: hostOf(upstreamUrl) } },
    gateway: { child: gw.child, url: gwInfo.url, headers: { ...base, 'x-api-key': gwInfo.token, host: hostOf(gwInfo.url) } },
    proxy: { child: px.child, url: pxInfo.url, headers: { ...base, host: hostOf(pxInfo.url) } },
  };
  try {
    const seconds = Number(process.env.SLUICE_BENCH_SECONDS ?? 4);
    const rounds = 4;
    for (const stream of [false, true]) {
      const body = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 256, stream, messages: [{ role: 'user', content: 'Request #N#. ' + 'Summarise the design of a small gateway in one paragraph. '.repeat(20) }] });
      // Warm every path (JIT, keep-alive sockets, SQLite page cache).
      for (const p of Object.values(paths)) await load(p.url, p.headers, body, 200, 1);
      for (const rate of [100, 500, 1000]) {
        const samples: Record<keyof typeof paths, Sample[]> = { direct: [], gateway: [], proxy: [] };
        const order: Array<keyof typeof paths> = ['direct', 'gateway', 'proxy'];
        let gatewayCpuMs = 0;
        await ask(gw.child, 'mark');
        for (let r = 0; r < rounds; r++) {
          for (const name of order) {
            const p = paths[name];
            const before = name === 'gateway' ? await ask<ProcessStats>(gw.child, 'stats') : null;
            samples[name].push(...(await load(p.url, p.headers, body, rate, seconds / rounds)));
            if (before) gatewayCpuMs += (await ask<ProcessStats>(gw.child, 'stats')).cpuMs - before.cpuMs;
          }
          order.push(order.shift() as keyof typeof paths);
        }
        const gc = await ask<ProcessStats>(gw.child, 'stats');
        const ttlb = (k: keyof typeof paths) => summarize(samples[k].map((s) => s.ttlb));
        const ttfb = (k: keyof typeof paths) => summarize(samples[k].map((s) => s.ttfb));
        const [d, g, x] = [ttlb('direct'), ttlb('gateway'), ttlb('proxy')];
        const [dF, gF, xF] = [ttfb('direct'), ttfb('gateway'), ttfb('proxy')];
        const fails = Object.values(samples).reduce((n, list) => n + list.filter((s) => !s.ok).length, 0);
        log(
          `${stream ? 'stream' : 'json  '} @ ${String(rate).padStart(4)} rps: added p50 ${fmt(g.p50 - d.p50, 2)} / p99 ${fmt(g.p99 - d.p99, 2)} ms` +
            (stream ? ` (TTFB ${fmt(gF.p50 - dF.p50, 2)} / ${fmt(gF.p99 - dF.p99, 2)} ms)` : '') +
            `; Node proxy floor ${fmt(x.p50 - d.p50, 2)} / ${fmt(x.p99 - d.p99, 2)} ms` +
            (stream ? ` (TTFB ${fmt(xF.p50 - dF.p50, 2)} / ${fmt(xF.p99 - dF.p99, 2)} ms)` : '') +
            `; direct p50 ${fmt(d.p50, 2)} / p99 ${fmt(d.p99, 2)} ms` +
            `; gateway CPU ${fmt(gatewayCpuMs / Math.max(1, samples.gateway.length), 2)} ms/request, ${gc.gcPauses} GC pauses (max ${fmt(gc.gcMaxMs, 1)} ms)` +
            (fails ? `; ${fails} failed` : ''),
        );
      }
    }
    const m = await ask<ProcessStats>(gw.child, 'stats');
    log(`gateway memory after the run: RSS ${fmt(m.rss / 1e6)} MB, JS heap ${fmt(m.heap / 1e6)} MB`);
  } finally {
    agent.destroy();
    gw.child.kill('SIGTERM');
    px.child.kill('SIGTERM');
    up.child.kill('SIGTERM');
  }
}
