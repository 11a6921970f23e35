// Issue 3 benchmark: latency the gateway adds over calling the same local fake upstream directly,
// at fixed request rates (open loop), JSON and streaming, plus the gateway's memory.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { summarize, fmt } from './stats';

const here = path.dirname(new URL(import.meta.url).pathname);

function startChild(script: string, args: string[] = []): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', script), ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
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

export default async function bench(log: (line: string) => void): Promise<void> {
  const up = await startChild('upstream-child.ts');
  const upstreamUrl = up.line.trim();
  const gw = await startChild('gateway-child.ts', [upstreamUrl]);
  const { url: gatewayUrl, token } = JSON.parse(gw.line) as { url: string; token: string };
  const mem = () =>
    new Promise<{ rss: number; heap: number }>((resolve) => {
      gw.child.once('message', (m) => resolve(m as { rss: number; heap: number }));
      gw.child.send('mem');
    });
  try {
    const base = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
    const seconds = Number(process.env.SLUICE_BENCH_SECONDS ?? 4);
    for (const stream of [false, true]) {
      const body = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 256, stream, messages: [{ role: 'user', content: 'Request #N#. ' + 'Summarise the design of a small gateway in one paragraph. '.repeat(20) }] });
      // Warm both paths (JIT, keep-alive sockets, SQLite page cache).
      await load(upstreamUrl, { ...base, 'x-api-key': 'sk-ant-bench', host: new URL(upstreamUrl).host }, body, 200, 1);
      await load(gatewayUrl, { ...base, 'x-api-key': token, host: new URL(gatewayUrl).host }, body, 200, 1);
      for (const rate of [100, 500, 1000]) {
        const direct = await load(upstreamUrl, { ...base, 'x-api-key': 'sk-ant-bench', host: new URL(upstreamUrl).host }, body, rate, seconds);
        const via = await load(gatewayUrl, { ...base, 'x-api-key': token, host: new URL(gatewayUrl).host }, body, rate, seconds);
        const d = summarize(direct.map((s) => s.ttlb));
        const g = summarize(via.map((s) => s.ttlb));
        const dF = summarize(direct.map((s) => s.ttfb));
        const gF = summarize(via.map((s) => s.ttfb));
        const fails = via.filter((s) => !s.ok).length + direct.filter((s) => !s.ok).length;
        log(
          `${stream ? 'stream' : 'json  '} @ ${String(rate).padStart(4)} rps: direct TTLB p50 ${fmt(d.p50, 2)} / p99 ${fmt(d.p99, 2)} ms; via gateway p50 ${fmt(g.p50, 2)} / p99 ${fmt(g.p99, 2)} ms → added p50 ${fmt(g.p50 - d.p50, 2)} ms, p99 ${fmt(g.p99 - d.p99, 2)} ms` +
            (stream ? `; TTFB added p50 ${fmt(gF.p50 - dF.p50, 2)} / p99 ${fmt(gF.p99 - dF.p99, 2)} ms` : '') +
            (fails ? `; ${fails} failed` : ''),
        );
      }
    }
    const m = await mem();
    log(`gateway memory after the run: RSS ${fmt(m.rss / 1e6)} MB, JS heap ${fmt(m.heap / 1e6)} MB`);
  } finally {
    agent.destroy();
    gw.child.kill('SIGTERM');
    up.child.kill('SIGTERM');
  }
}
