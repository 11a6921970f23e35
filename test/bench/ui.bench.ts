// The popover in Chromium against a real host: time to first meaningful render with 50 agents and a
// 1,000,000-row ledger, and the sustained cost of 50 agents streaming events.
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, launchChromium, startDashboard, type Dashboard } from '../e2e/support/dashboard';
import { DemoRunner } from '../e2e/support/demo-runner';
import { createCoreApi } from '../../electron/core/api/core-api';
import type { TaskRow } from '../../shared/contract';

const ROWS = 1_000_000;
const AGENTS = 50;
const OPENS = 12;
const STREAM_SECONDS = 10;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** One INSERT … SELECT over a recursive CTE: a month of requests, then the rollups rebuilt from them. */
function seedLedger(d: Dashboard, firstAgentId: number): void {
  const db = d.core.db;
  const now = Math.floor(Date.now() / 1000);
  const step = (30 * 86_400) / ROWS;
  db.exec('BEGIN');
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1}),
     r AS (SELECT i, ${now} - CAST(i * ${step} AS INTEGER) AS t,
                  CASE i % 4 WHEN 0 THEN 'claude-sonnet-4-6' WHEN 1 THEN 'claude-opus-4-8' WHEN 2 THEN 'claude-haiku-4-5' ELSE 'qwen3-coder:30b' END AS model,
                  2000 + i % 5000 AS inp, 200 + i % 700 AS outp, (i % 3) * 10000 AS cr FROM n)
     INSERT INTO requests (started_at, finished_at, budget_day, hour, agent_id, session_id, provider, model_requested, model_used, tier, route_reason,
                           input_tokens, output_tokens, cache_read_tokens, cost_micros, baseline_micros, status, latency_ms)
     SELECT strftime('%Y-%m-%dT%H:%M:%SZ', t, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%SZ', t + 3, 'unixepoch'), date(t, 'unixepoch'),
            CAST(strftime('%H', t, 'unixepoch') AS INTEGER), ${firstAgentId} + i % ${AGENTS}, 'session-' || (i % 997),
            CASE WHEN model LIKE 'qwen%' THEN 'ollama' ELSE 'anthropic' END, model, model, 'strong', 'as requested',
            inp, outp, cr, CASE WHEN model LIKE 'qwen%' THEN 0 ELSE inp * 3 + outp * 15 + cr * 3 / 10 END, (inp + cr) * 3 + outp * 15, 'ok', 900 + i % 4000
     FROM r`,
  ).run();
  db.exec(`INSERT INTO spend_hourly (budget_day, hour, agent_id, model, requests, cost_micros, baseline_micros, input_tokens, output_tokens, cache_read_tokens)
           SELECT budget_day, hour, agent_id, model_used, COUNT(*), SUM(cost_micros), SUM(baseline_micros), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens)
           FROM requests GROUP BY budget_day, hour, agent_id, model_used`);
  db.exec(`INSERT INTO daily_spend (budget_day, agent_id, spent_micros, tokens, requests)
           SELECT budget_day, agent_id, SUM(cost_micros), SUM(input_tokens + output_tokens + cache_read_tokens), COUNT(*) FROM requests GROUP BY budget_day, agent_id`);
  db.exec(`INSERT INTO daily_spend (budget_day, agent_id, spent_micros, tokens, requests)
           SELECT budget_day, 0, SUM(cost_micros), SUM(input_tokens + output_tokens + cache_read_tokens), COUNT(*) FROM requests GROUP BY budget_day`);
  db.exec('COMMIT');
}

async function firstOverviewMark(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('sluice:first-overview').length > 0, undefined, { timeout: 30_000 });
  return page.evaluate(() => performance.getEntriesByName('sluice:first-overview')[0]?.startTime ?? NaN);
}

export default async function bench(log: (line: string) => void): Promise<void> {
  await ensureRendererBuilt();
  let runner: DemoRunner | null = null;
  const d = await startDashboard({ runner: (core) => (runner = new DemoRunner(core.events)) });
  const browser = await launchChromium();
  try {
    d.core.settings.update({ dailyBudgetUsd: 20_000 });
    const ids: number[] = [];
    for (let i = 0; i < AGENTS; i++) ids.push(d.core.agents.create(`agent-${String(i + 1).padStart(2, '0')}`).agent.id);
    let t = performance.now();
    seedLedger(d, Math.min(...ids));
    const count = (d.core.db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
    log(`ledger: ${count.toLocaleString('en-US')} requests, ${AGENTS} agents (seeded in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    const r = runner as DemoRunner | null;
    if (!r) throw new Error('runner not built');
    const tasks: TaskRow[] = [];
    for (let i = 0; i < AGENTS; i++) tasks.push(r.add({ prompt: `Task ${i + 1}: fix the thing in module ${i + 1}`, currentStep: 'Reading files', elapsedMs: 1000 * i }));

    // The core side of an open: the calls the popover makes first.
    const api = createCoreApi(d.core, { runner: r });
    const overviewMs: number[] = [];
    const spendMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      await api.getOverview();
      overviewMs.push(performance.now() - t);
      t = performance.now();
      await api.getSpend();
      spendMs.push(performance.now() - t);
    }
    log(`getOverview over 1M rows: median ${ms(pct(overviewMs, 50))}, p95 ${ms(pct(overviewMs, 95))}; getSpend: median ${ms(pct(spendMs, 50))}, p95 ${ms(pct(spendMs, 95))}`);

    const context = await browser.newContext({ viewport: { width: 380, height: 720 } });
    const page = await context.newPage();
    await page.goto(d.dashboardUrl);
    const cold = await firstOverviewMark(page);
    const warm: number[] = [];
    const fcp: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      await page.reload();
      warm.push(await firstOverviewMark(page));
      fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    }
    log(`time to first meaningful render (navigation → gauge, 50 agents on screen): first open ${ms(cold)}; reopen median ${ms(pct(warm, 50))}, p95 ${ms(pct(warm, 95))} (first paint median ${ms(pct(fcp, 50))})`);

    // Sustained: 50 agents each report a step every 100 ms, 5 requests settle every 100 ms.
    await page.waitForTimeout(2_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate(() => {
      const w = window as unknown as { __commits: number; __long: number; __longMs: number };
      w.__commits = 0;
      w.__long = 0;
      w.__longMs = 0;
      new MutationObserver(() => w.__commits++).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          w.__long++;
          w.__longMs += e.duration;
        }
      }).observe({ type: 'longtask' });
    });
    const metrics = async () => {
      const m = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const get = (n: string) => m.metrics.find((x) => x.name === n)?.value ?? 0;
      return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration') };
    };
    const counters = () => page.evaluate(() => {
      const w = window as unknown as { __commits: number; __long: number; __longMs: number };
      return { commits: w.__commits, long: w.__long, longMs: w.__longMs };
    });

    const idle0 = await metrics();
    const idleC0 = await counters();
    await page.waitForTimeout(3_000);
    const idle1 = await metrics();
    const idleC1 = await counters();
    log(`idle (Now, 50 agents, clocks ticking): ${((idle1.task - idle0.task) / 3 * 1000).toFixed(1)} ms main-thread per second, ${((idleC1.commits - idleC0.commits) / 3).toFixed(1)} DOM commits/s`);

    const m0 = await metrics();
    const c0 = await counters();
    let sent = 0;
    let tick = 0;
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        tick++;
        for (const task of r.tasks) {
          r.update(task.id, {
            turns: tick,
            currentStep: `Step ${tick}: editing file ${tick % 17}.ts`,
            tokens: { input: tick * 1000, output: tick * 90, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: tick * 4000 },
            costMicros: tick * 3_100,
            elapsedMs: 100 * tick,
          });
          sent++;
        }
        for (let k = 0; k < 5; k++) {
          d.core.events.emit({
            type: 'request',
            request: { id: 0, at: new Date().toISOString(), agent: `agent-${String((tick * 5 + k) % AGENTS + 1).padStart(2, '0')}`, session: null, taskId: null, provider: 'anthropic', modelRequested: 'claude-sonnet-4-6', modelUsed: 'claude-sonnet-4-6', routeReason: '', tokens: { input: 1000, output: 100, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, costMicros: 4_500, latencyMs: 900, status: 'ok', error: null, priceFlag: 'ok', batch: false },
          });
          sent++;
        }
        d.core.events.emit({ type: 'budget', budget: d.core.enforcer.status() });
        sent++;
        if (Date.now() - started >= STREAM_SECONDS * 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 100);
    });
    await page.waitForTimeout(300);
    const seconds = (Date.now() - started) / 1000;
    const m1 = await metrics();
    const c1 = await counters();
    const perSec = (a: number, b: number) => ((b - a) / seconds) * 1000;
    log(`streaming (${(sent / seconds).toFixed(0)} events/s from 50 agents, ${seconds.toFixed(1)} s): ${((c1.commits - c0.commits) / seconds).toFixed(1)} DOM commits/s (cap 10 + clocks)`);
    log(`  main thread: ${perSec(m0.task, m1.task).toFixed(1)} ms per second busy (script ${perSec(m0.script, m1.script).toFixed(1)}, style ${perSec(m0.style, m1.style).toFixed(1)}, layout ${perSec(m0.layout, m1.layout).toFixed(1)}); long tasks: ${c1.long - c0.long} (${(c1.longMs - c0.longMs).toFixed(0)} ms)`);
    const shown = await page.locator('.task').count();
    log(`  rows on screen at the end: ${shown} tasks; last step shown: "${await page.locator('.task .step').first().textContent()}"`);
    await context.close();
  } finally {
    await browser.close();
    await d.close();
  }
}
