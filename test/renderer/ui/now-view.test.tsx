// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { err, ok } from '../../../shared/contract';
import { fakeCore, pending } from '../support/fake-client';
import { agent, budget, overview, task } from '../support/fixtures';
import { renderPopover } from '../support/render';
import type { Notice } from '../../../renderer/src/state/notify';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  cleanup();
});

describe('Now', () => {
  it('shows a loading state until the first overview arrives', () => {
    const core = fakeCore({ getOverview: () => pending() });
    stop = renderPopover(core).stop;
    expect(screen.getByRole('status').textContent).toContain('Loading today’s spend');
    expect(screen.queryByTestId('gauge-spent')).toBeNull();
  });

  it('says what went wrong and retries on request', async () => {
    let fail = true;
    const core = fakeCore({ getOverview: () => (fail ? err('unavailable', 'Sluice is not running.') : ok(overview())) });
    stop = renderPopover(core).stop;
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Sluice is not running.');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect((await screen.findByTestId('gauge-spent')).textContent).toBe('$4.20');
  });

  it('reads well on an empty first day: no limit, no agents, no tasks', async () => {
    const core = fakeCore({
      getOverview: () => ok(overview({ budget: budget({ limitMicros: null, spentMicros: 0, percent: 0 }), agents: [], tasks: [], savings: { actualMicros: 0, baselineMicros: 0, savedMicros: 0, baselineModel: 'claude-sonnet-4-6', assumptions: [] } })),
      recentProjects: () => err('unavailable', 'The agent runner is not running in this host.'),
    });
    stop = renderPopover(core).stop;
    expect((await screen.findByTestId('gauge-spent')).textContent).toBe('$0.00');
    expect(screen.getByText('No daily budget set')).toBeTruthy();
    expect(screen.getByTestId('saved-today').textContent).toBe('—');
    expect(screen.getByText(/No agents yet/)).toBeTruthy();
    await screen.findByText(/does not run Sluice’s own agents/);
  });

  it('colours the gauge by the budget state and says it in words', async () => {
    const core = fakeCore({ getOverview: () => ok(overview({ budget: budget({ spentMicros: 9_600_000, percent: 96, state: 'critical', crossed: [50, 80, 95] }) })) });
    stop = renderPopover(core).stop;
    const meter = await screen.findByRole('meter', { name: 'Today’s spend' });
    expect(meter.getAttribute('aria-valuetext')).toBe('$9.60 of $10.00 spent today, 96%. Nearly spent.');
    expect(meter.closest('.gauge')?.classList.contains('gauge-critical')).toBe(true);
  });

  it('lists 50 running agents with their controls, and pauses the one asked', async () => {
    const tasks = Array.from({ length: 50 }, (_, i) => task(i + 1));
    const agents = Array.from({ length: 50 }, (_, i) => agent(i + 1));
    const core = fakeCore({
      getOverview: () => ok(overview({ tasks, agents })),
      controlTask: ({ id }) => ok({ ...task(Number(id.slice(1))), state: 'paused', pausedReason: 'user' }),
    });
    stop = renderPopover(core).stop;
    const list = await screen.findByRole('list', { name: 'Agents at work' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(50);
    expect(screen.getByText('50 running')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Agents and their spend today' })).getAllByRole('listitem')).toHaveLength(50);
    fireEvent.click(screen.getByRole('button', { name: 'Pause “Task number 17”' }));
    await waitFor(() => expect(core.callsTo('controlTask')).toEqual([{ id: 't17', action: 'pause' }]));
    await screen.findByRole('button', { name: 'Resume “Task number 17”' });
  });

  it('shows what context each task was given', async () => {
    const core = fakeCore({ getOverview: () => ok(overview({ tasks: [task(4, { contextTokens: 4_870, contextFiles: ['src/index.js', 'src/plugin/utc/index.js'] })] })) });
    stop = renderPopover(core).stop;
    expect(await screen.findByText(/Context: 4\.9k tokens · 2 files/)).toBeTruthy();
    const files = screen.getByRole('list', { name: 'Files in the context of “Task number 4”', hidden: true });
    expect(within(files).getAllByRole('listitem', { hidden: true }).map((li) => li.textContent)).toEqual(['src/index.js', 'src/plugin/utc/index.js']);
  });

  it('asks how a finished task went and passes the verdict to the router', async () => {
    const core = fakeCore({ getOverview: () => ok(overview({ tasks: [task(5, { state: 'done', currentStep: null })] })), rateTask: () => ok({ recorded: true }) });
    stop = renderPopover(core).stop;
    fireEvent.click(await screen.findByRole('button', { name: '“Task number 5” went badly' }));
    await waitFor(() => expect(core.callsTo('rateTask')).toEqual([{ id: 't5', good: false }]));
    expect((await screen.findByText('Noted — the router learns from it.')).getAttribute('role')).toBe('status');
  });

  it('offers to merge or discard a finished task\'s branch, asking before it discards', async () => {
    const done = task(3, { state: 'done', branch: 'sluice/t3', currentStep: null });
    const core = fakeCore({
      getOverview: () => ok(overview({ tasks: [done] })),
      finishTask: ({ id, action }) => ok({ ...task(Number(id.slice(1))), state: 'done', branch: action === 'discard' ? null : 'sluice/t3' }),
    });
    stop = renderPopover(core).stop;
    expect(await screen.findByText('sluice/t3')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Merge the branch of “Task number 3”' }));
    await waitFor(() => expect(core.callsTo('finishTask')).toEqual([{ id: 't3', action: 'merge' }]));
    fireEvent.click(screen.getByRole('button', { name: 'Discard the branch of “Task number 3”' }));
    expect(core.callsTo('finishTask')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Really discard the branch of “Task number 3”' }));
    await waitFor(() => expect(core.callsTo('finishTask')).toEqual([{ id: 't3', action: 'merge' }, { id: 't3', action: 'discard' }]));
  });

  it('shows a task paused by the budget as such, and says why a control failed', async () => {
    const core = fakeCore({
      getOverview: () => ok(overview({ tasks: [task(1, { state: 'paused', pausedReason: 'budget', currentStep: null })] })),
      controlTask: () => err('budget_exceeded', 'The daily budget is spent; it resets at 00:00.'),
    });
    stop = renderPopover(core).stop;
    expect(await screen.findByText('Paused by the budget')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resume “Task number 1”' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The daily budget is spent');
  });

  it('flags spend on models with no known price', async () => {
    const core = fakeCore({ getOverview: () => ok(overview({ unknownModelRequests: 3 })) });
    stop = renderPopover(core).stop;
    expect((await screen.findByTestId('unknown-model-warning')).textContent).toContain('3 requests today used a model Sluice has no price for');
  });

  it('follows live budget events and notifies once a threshold is crossed', async () => {
    const notices: Notice[] = [];
    const core = fakeCore({ getOverview: () => ok(overview()) });
    stop = renderPopover(core, { notify: (n) => notices.push(n) }).stop;
    await screen.findByTestId('gauge-spent');
    const crossed = budget({ spentMicros: 8_100_000, percent: 81, state: 'warning', crossed: [50, 80] });
    core.emit({ type: 'threshold', percent: 80, budget: crossed });
    await waitFor(() => expect(screen.getByTestId('gauge-spent').textContent).toBe('$8.10'));
    expect(screen.getByRole('alert').textContent).toContain('80% of today’s budget is used.');
    expect(notices.map((n) => n.title)).toEqual(['80% of today’s budget used']);
    expect(notices[0]?.body).toContain('$8.10 of $10.00 spent today.');
  });

  it('shows money saved with its assumptions', async () => {
    const core = fakeCore({ getOverview: () => ok(overview()) });
    stop = renderPopover(core).stop;
    expect((await screen.findByTestId('saved-today')).textContent).toBe('$4.80');
    expect(screen.getByText(/53% less than \$9.00/)).toBeTruthy();
    expect(screen.getByText('Baseline: every request priced on claude-sonnet-4-6.')).toBeTruthy();
  });
});
