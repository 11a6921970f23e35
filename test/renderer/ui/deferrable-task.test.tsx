// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { ok } from '../../../shared/contract';
import { fakeCore } from '../support/fake-client';
import { overview, task } from '../support/fixtures';
import { renderPopover } from '../support/render';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  cleanup();
});

describe('a deferrable task on Now', () => {
  it('says what it waits for, and can be cancelled but not paused while it waits', async () => {
    const waiting = task(1, { deferrable: true, state: 'queued', currentStep: 'waiting for the off-peak window 22:00–06:00 (UTC)' });
    const budget = task(2, { deferrable: true, state: 'paused', pausedReason: 'budget', currentStep: null, error: 'waiting for budget: today’s budget of $1.00 is spent' });
    const core = fakeCore({ getOverview: () => ok(overview({ tasks: [waiting, budget] })) });
    stop = renderPopover(core).stop;
    expect(await screen.findByText('Waiting for its batch')).toBeTruthy();
    expect(screen.getByText('waiting for the off-peak window 22:00–06:00 (UTC)')).toBeTruthy();
    expect(screen.getAllByText('batch')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Cancel “Task number 1”' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Pause “Task number 1”' })).toBeNull();

    expect(screen.getByText('Waiting for budget')).toBeTruthy();
    expect(screen.getByText('waiting for budget: today’s budget of $1.00 is spent')).toBeTruthy();
    // It goes by itself once the budget allows: there is nothing to resume.
    expect(screen.queryByRole('button', { name: 'Resume “Task number 2”' })).toBeNull();
  });

  it('offers no control once its request is in a batch at Anthropic', async () => {
    const inBatch = task(3, { deferrable: true, state: 'running', currentStep: 'submitted in batch msgbatch_01abc' });
    stop = renderPopover(fakeCore({ getOverview: () => ok(overview({ tasks: [inBatch] })) })).stop;
    expect(await screen.findByText('submitted in batch msgbatch_01abc')).toBeTruthy();
    for (const action of ['Pause', 'Cancel', 'Resume']) expect(screen.queryByRole('button', { name: `${action} “Task number 3”` })).toBeNull();
  });

  it('shows its answer when opened, fetched once', async () => {
    const answer = '/** Adds two numbers. */\nexport function add(a, b) {}';
    const core = fakeCore({
      getOverview: () => ok(overview({ tasks: [task(4, { deferrable: true, state: 'done', currentStep: null })] })),
      getTaskAnswer: ({ id }) => ok({ id, state: 'done', text: answer }),
    });
    stop = renderPopover(core).stop;
    const summary = await screen.findByText('Answer');
    expect(core.callsTo('getTaskAnswer')).toEqual([]);
    const details = summary.closest('details') as HTMLDetailsElement;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    const text = await screen.findByLabelText('The answer to “Task number 4”');
    expect(text.textContent).toBe(answer);
    details.open = false;
    fireEvent(details, new Event('toggle'));
    details.open = true;
    fireEvent(details, new Event('toggle'));
    await waitFor(() => expect(core.callsTo('getTaskAnswer')).toEqual([{ id: 't4' }]));
  });

  it('keeps the answer away from ordinary agent tasks', async () => {
    stop = renderPopover(fakeCore({ getOverview: () => ok(overview({ tasks: [task(5, { state: 'done', currentStep: null })] })) })).stop;
    expect(await screen.findByText('Task number 5')).toBeTruthy();
    expect(screen.queryByText('Answer')).toBeNull();
    expect(screen.queryByText('batch')).toBeNull();
  });
});
