import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatUsd } from '../../shared/money';
import { ensureRendererBuilt, launchChromium, SCREENSHOTS, startDashboard, type Dashboard } from './support/dashboard';
import { DemoRunner } from './support/demo-runner';
import { cspViolations, instrument, notes, openTab } from './support/page';

let d: Dashboard;
let browser: Browser;
let runner: DemoRunner;

/**
 * One request through the gateway that costs about `micros` (input tokens at the model's list rate,
 * $/MTok = µ$ per token). max_tokens is large enough that the router does not treat it as a
 * background call and send it to a cheaper tier.
 */
async function spend(agent: string, micros: number, cacheRead = 0, model = 'claude-sonnet-4-6'): Promise<void> {
  const perToken = d.core.catalog().lookup(model, 'anthropic').price.rates.input;
  d.anthropic.enqueue({ type: 'message', text: 'done', usage: { input_tokens: Math.ceil(micros / perToken), output_tokens: 1, cache_read_input_tokens: cacheRead } });
  await d.agent(agent).messages.create({ model, max_tokens: 4096, messages: [{ role: 'user', content: 'go' }] });
}

async function popover(scheme: 'light' | 'dark', size = { width: 380, height: 760 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: size, colorScheme: scheme, deviceScaleFactor: 2 });
  await context.grantPermissions(['notifications'], { origin: d.host.url });
  await instrument(context);
  const page = await context.newPage();
  await page.goto(d.dashboardUrl);
  await page.getByTestId('gauge-spent').waitFor();
  return { context, page };
}

const gauge = (page: Page) => page.getByTestId('gauge-spent').textContent();

beforeAll(async () => {
  await ensureRendererBuilt();
  d = await startDashboard({
    ollama: { pull: { layers: 3, bytesPerLayer: 1_800_000_000, stepDelayMs: 120 } },
    runner: (core) => (runner = new DemoRunner(core.events)),
  });
  d.core.settings.update({ dailyBudgetUsd: 1 });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
});

describe('the web dashboard served by sluice serve, in Chromium', () => {
  it('trades the token in the link for a cookie and strips it from the address bar', async () => {
    const { context, page } = await popover('light');
    expect(new URL(page.url()).search).toBe('');
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name.startsWith('sluice_ui_'));
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });

  it('moves the gauge and the spend charts when a request goes through the gateway', async () => {
    const { context, page } = await popover('light');
    const before = await gauge(page);
    await spend('claude-1', 300_000, 40_000);
    const after = formatUsd(d.core.enforcer.status().spentMicros);
    expect(after).not.toBe(before);
    await expect.poll(() => gauge(page)).toBe(after);

    await openTab(page, 'Spend');
    await expect.poll(() => page.getByTestId('spend-today').textContent()).toContain(after);
    // The hour chart drew a bar for this hour's spend.
    await expect.poll(() => page.locator('.chart .recharts-bar-rectangle path').evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height > 1).length)).toBeGreaterThan(0);
    // One click from a bar to the requests behind it.
    await page.getByRole('button', { name: /^claude-sonnet-4-6: .* Show them\.$/ }).click();
    const sheet = page.getByRole('region', { name: /Requests: claude-sonnet-4-6 today/ });
    await expect.poll(() => sheet.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await sheet.textContent()).toContain('claude-1');
    await page.keyboard.press('Escape');
    await page.getByTestId('cache-share').waitFor();
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a browser notification when spend crosses 80% of the daily budget', async () => {
    const { context, page } = await popover('light');
    const spent = d.core.enforcer.status().spentMicros;
    await spend('claude-2', Math.max(1, 850_000 - spent));
    await expect.poll(async () => (await notes(page)).map((n) => n.title)).toContain('80% of today’s budget used');
    const note = (await notes(page)).find((n) => n.title.startsWith('80%'));
    expect(note?.body).toContain(`of ${formatUsd(1_000_000)} spent today`);
    await expect.poll(() => page.locator('.gauge').getAttribute('class')).toContain('gauge-warning');
    await page.getByRole('alert').filter({ hasText: '80% of today’s budget is used.' }).waitFor();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'now-threshold-light.png') });
    await context.close();
  });

  it('pulls a model with a progress bar that moves through the download and ends done', async () => {
    const { context, page } = await popover('light');
    await openTab(page, 'Models');
    await page.getByTestId('ollama-status').filter({ hasText: 'is running' }).waitFor();
    await page.getByLabel('Model to pull').fill('mistral-small:24b');
    await page.getByRole('button', { name: 'Pull' }).click();
    const row = page.getByTestId('pull-mistral-small:24b');
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await row.getByTestId('pull-percent').textContent()) ?? '');
          return row.getAttribute('data-state');
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe('done');
    expect(await row.getByTestId('pull-percent').textContent()).toBe('100%');
    // The bar moved through the download, not straight to the end.
    expect([...seen].some((p) => p !== '0%' && p !== '100%' && p !== '')).toBe(true);
    expect(await row.textContent()).toContain('5.4 GB of 5.4 GB');
    await context.close();
  });

  it('pauses and cancels an agent from its row', async () => {
    const t = runner.add({ prompt: 'Rename the ledger tables', currentStep: 'Editing migrations.ts' });
    const { context, page } = await popover('light');
    const row = page.locator('.task', { hasText: 'Rename the ledger tables' });
    await row.getByRole('button', { name: /^Pause/ }).click();
    await expect.poll(() => row.getAttribute('class')).toContain('task-paused');
    expect(runner.tasks.find((x) => x.id === t.id)?.state).toBe('paused');
    await row.getByRole('button', { name: /^Cancel/ }).click();
    await expect.poll(() => runner.tasks.find((x) => x.id === t.id)?.state).toBe('cancelled');
    await context.close();
  });

  it('saves a screenshot of every view, light and dark', async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await seedForScreenshots();
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page } = await popover(scheme);
      const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
      await page.locator('.task').first().waitFor();
      await shot('now');
      await openTab(page, 'Spend');
      await page.getByTestId('cache-share').waitFor();
      await page.waitForTimeout(200);
      await shot('spend');
      await page.getByRole('button', { name: /^claude-opus-4-8: .* Show them\.$/ }).click();
      await page.locator('.sheet .request').first().waitFor();
      await shot('spend-requests');
      await page.keyboard.press('Escape');
      await openTab(page, 'Models');
      await page.getByRole('list', { name: 'Installed models' }).waitFor();
      await page.getByLabel('Model to pull').fill('qwen3-coder:30b');
      await page.getByRole('button', { name: 'Pull' }).click();
      await page.getByTestId('pull-qwen3-coder:30b').filter({ hasText: 'GB of' }).waitFor();
      await page.locator('.layers summary').click();
      await shot('models');
      await openTab(page, 'Settings');
      await page.getByRole('textbox', { name: 'Daily budget' }).waitFor();
      await shot('settings');
      expect(await cspViolations(page)).toEqual([]);
      // The dispatch window is the same page with ?view=dispatch.
      await page.setViewportSize({ width: 640, height: 230 });
      await page.goto(`${d.host.url}/?view=dispatch`);
      await page.getByLabel('Task', { exact: true }).fill('Add a dark mode toggle to the settings page');
      await page.getByTestId('dispatch-preview').filter({ hasText: 'tokens of context' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, `dispatch-${scheme}.png`) });
      await context.close();
    }
    const { context, page } = await popover('light', { width: 1280, height: 900 });
    await page.locator('.task').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'browser-now-light.png') });
    await openTab(page, 'Spend');
    await page.getByTestId('cache-share').waitFor();
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'browser-spend-light.png') });
    await context.close();
    expect(fs.readdirSync(SCREENSHOTS).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(14);
  });
});

async function seedForScreenshots(): Promise<void> {
  d.core.settings.update({ dailyBudgetUsd: 12 });
  await spend('claude-1', 2_400_000, 900_000, 'claude-opus-4-8');
  await spend('claude-2', 1_100_000, 300_000, 'claude-opus-4-8');
  await spend('review-bot', 420_000, 0, 'claude-haiku-4-5');
  await spend('claude-1', 900_000, 200_000);
  const k = (input: number, output: number, cacheRead = 0) => ({ input, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead });
  runner.add({ prompt: 'Fix the flaky budget-day test around DST', currentStep: 'Running npm test', turns: 14, tokens: k(48_200, 3_900, 310_000), costMicros: 412_000, elapsedMs: 312_000 });
  runner.add({ prompt: 'Add a --json flag to sluice usage', model: 'claude-haiku-4-5', tier: 'fast', currentStep: 'Reading electron/core/cli/commands/usage.ts', turns: 5, tokens: k(12_400, 1_100, 40_000), costMicros: 31_000, elapsedMs: 74_000 });
  runner.add({ prompt: 'Write docs for the pruner', state: 'paused', pausedReason: 'budget', currentStep: null, turns: 9, tokens: k(30_000, 2_000), costMicros: 120_000, elapsedMs: 200_000 });
  runner.add({ prompt: 'Refactor the settings store into smaller files', state: 'queued', startedAt: null, model: null });
}
