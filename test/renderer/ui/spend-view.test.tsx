// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { err, ok } from '../../../shared/contract';
import { fakeCore, pending } from '../support/fake-client';
import { emptySpend, overview, requestRow, spendReport } from '../support/fixtures';
import { renderPopover } from '../support/render';
import { monthDays } from '../../../renderer/src/ui/spend/SpendView';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  cleanup();
});

const base = { getOverview: () => ok(overview()) };

describe('Spend', () => {
  it('shows each agent\'s and each project\'s cache-read share', async () => {
    const r = spendReport();
    const report = {
      ...r,
      byAgent: [{ key: 'claude-1', label: 'claude-1', micros: 500_000, requests: 3, cacheReadShare: 0.62 }],
      byProject: [{ key: '/code/app', label: 'code/app', micros: 300_000, requests: 9, cacheReadShare: 0.81 }],
    };
    stop = renderPopover(fakeCore({ ...base, getSpend: () => ok(report) }), { tab: 'spend' }).stop;
    const agents = await screen.findByRole('list', { name: 'Spend by agent today' });
    expect(agents.textContent).toContain('cache 62%');
    expect(screen.getByRole('list', { name: 'Spend by project today' }).textContent).toContain('cache 81%');
  });

  it('shows a loading state while the report is on its way', async () => {
    stop = renderPopover(fakeCore({ ...base, getSpend: () => pending() }), { tab: 'spend' }).stop;
    expect(await screen.findByText('Loading spend')).toBeTruthy();
  });

  it('shows the error and retries', async () => {
    let fail = true;
    const core = fakeCore({ ...base, getSpend: () => (fail ? err('internal', 'The ledger is locked.') : ok(spendReport())) });
    stop = renderPopover(core, { tab: 'spend' }).stop;
    expect((await screen.findByRole('alert')).textContent).toContain('The ledger is locked.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect((await screen.findByTestId('spend-today')).textContent).toContain('$4.20');
  });

  it('explains how to get data when the month is empty', async () => {
    stop = renderPopover(fakeCore({ ...base, getSpend: () => ok(emptySpend()) }), { tab: 'spend' }).stop;
    expect(await screen.findByText('No spend yet this month')).toBeTruthy();
  });

  it('summarises today, ranks models and agents, and shows the cache share', async () => {
    stop = renderPopover(fakeCore({ ...base, getSpend: () => ok(spendReport({ unknownModelRequests: 2 })) }), { tab: 'spend' }).stop;
    expect((await screen.findByTestId('spend-today')).textContent).toBe('$4.20 · 6 req · 405k tok');
    const models = screen.getByRole('list', { name: 'Spend by model today' });
    expect(within(models).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual([
      'claude-opus-4-8: $3.00, 2 requests. Show them.',
      'claude-haiku-4-5: $1.20, 4 requests. Show them.',
    ]);
    expect(screen.getByTestId('cache-share').textContent).toBe('75%');
    expect(screen.getByTestId('unknown-model-warning').textContent).toContain('2 requests today');
  });

  it('lists the requests behind a bar, and goes back with Escape', async () => {
    const core = fakeCore({ ...base, getSpend: () => ok(spendReport()), listRequests: () => ok([requestRow(1), requestRow(2, { agent: 'claude-2', priceFlag: 'unknown_model', modelUsed: 'claude-haiku-4-5' })]) });
    stop = renderPopover(core, { tab: 'spend' }).stop;
    fireEvent.click(await screen.findByRole('button', { name: /^claude-opus-4-8:/ }));
    const sheet = await screen.findByRole('region', { name: 'Requests: claude-opus-4-8 today' });
    await waitFor(() => expect(within(sheet).getAllByRole('listitem')).toHaveLength(2));
    expect(core.callsTo('listRequests')).toEqual([{ limit: 200, day: '2026-11-28', model: 'claude-opus-4-8' }]);
    expect(within(sheet).getByText('no price')).toBeTruthy();
    expect(within(sheet).getByText('from claude-opus-4-8')).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('spend-today');
  });

  it('lets the keyboard pick an hour and open its requests', async () => {
    const core = fakeCore({ ...base, getSpend: () => ok(spendReport()), listRequests: () => ok([]) });
    stop = renderPopover(core, { tab: 'spend' }).stop;
    const chart = await screen.findByRole('group', { name: /^Spend by hour today/ });
    fireEvent.keyDown(chart, { key: 'Home' });
    fireEvent.keyDown(chart, { key: 'ArrowRight' });
    expect(chart.textContent).toContain('01:00: $0.00, 0 requests');
    fireEvent.keyDown(chart, { key: 'Enter' });
    await screen.findByText('No requests here');
    expect(core.callsTo('listRequests')).toEqual([{ limit: 200, day: '2026-11-28', hour: 1 }]);
  });

  it('reloads the report after live requests while it is open', async () => {
    let spent = 4_200_000;
    const core = fakeCore({ ...base, getSpend: () => ok(spendReport({ byHour: spendReport().byHour.map((p) => (p.key === '10' ? { ...p, micros: spent - 1_200_000 } : p)) })) });
    stop = renderPopover(core, { tab: 'spend' }).stop;
    await screen.findByTestId('spend-today');
    spent = 5_000_000;
    core.emit({ type: 'request', request: requestRow(9, { costMicros: 800_000 }) });
    await waitFor(() => expect(screen.getByTestId('spend-today').textContent).toContain('$5.00'), { timeout: 3000 });
  });

  it('fills every day of the month so the chart reads as a calendar', () => {
    const days = monthDays(spendReport());
    expect(days).toHaveLength(30);
    expect(days[26]).toMatchObject({ key: '2026-11-27', label: '27', micros: 8_000_000 });
    expect(days[0]).toMatchObject({ key: '2026-11-01', micros: 0 });
  });
});
