// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { err, ok } from '../../../shared/contract';
import { DispatchView } from '../../../renderer/src/ui/dispatch/DispatchView';
import { fakeCore } from '../support/fake-client';
import { task } from '../support/fixtures';

afterEach(cleanup);

const preview = { tier: 'fast' as const, model: 'claude-haiku-4-5', reason: 'a small, well-scoped change', estimatedCostMicros: { low: 20_000, high: 310_000 }, contextTokens: 12_400 };

describe('the dispatch window', () => {
  it('fills the project from the desktop folder picker, and drops the button where there is none', async () => {
    const picked = fakeCore({ recentProjects: () => ok([]), pickProjectFolder: () => ok({ path: '/Users/ada/new-app' }) });
    render(<DispatchView api={picked.client.api} close={() => {}} previewDelayMs={0} />);
    fireEvent.click(screen.getByRole('button', { name: 'Choose the project folder' }));
    await waitFor(() => expect((screen.getByLabelText('Project folder') as HTMLInputElement).value).toBe('/Users/ada/new-app'));
    cleanup();
    const browser = fakeCore({ recentProjects: () => ok([]), pickProjectFolder: () => err('unavailable', 'A folder picker needs the desktop app; type or paste the project path.') });
    render(<DispatchView api={browser.client.api} close={() => {}} previewDelayMs={0} />);
    fireEvent.click(screen.getByRole('button', { name: 'Choose the project folder' }));
    expect((await screen.findByRole('status')).textContent).toContain('type or paste the project path');
    expect(screen.queryByRole('button', { name: 'Choose the project folder' })).toBeNull();
  });

  it('previews the plan as the task is typed, then dispatches on Enter and closes', async () => {
    const core = fakeCore({ recentProjects: () => ok(['/Users/ada/app', '/Users/ada/site']), previewDispatch: () => ok(preview), dispatchTask: () => ok(task(7)) });
    let closed = 0;
    render(<DispatchView api={core.client.api} close={() => closed++} previewDelayMs={0} />);
    const box = screen.getByLabelText('Task');
    expect(document.activeElement).toBe(box);
    await waitFor(() => expect((screen.getByLabelText('Project folder') as HTMLInputElement).value).toBe('/Users/ada/app'));
    fireEvent.change(box, { target: { value: 'Add a dark mode toggle' } });
    await waitFor(() => expect(screen.getByTestId('dispatch-preview').textContent).toContain('claude-haiku-4-5'));
    expect(screen.getByTestId('dispatch-preview').textContent).toContain('$0.02–$0.31');
    expect(screen.getByTestId('dispatch-preview').textContent).toContain('12k tokens of context');
    fireEvent.keyDown(box, { key: 'Enter' });
    await screen.findByText('Dispatched');
    expect(core.callsTo('dispatchTask')).toEqual([{ prompt: 'Add a dark mode toggle', project: '/Users/ada/app', priority: 'normal' }]);
    await waitFor(() => expect(closed).toBe(1), { timeout: 2000 });
  });

  it('closes on Escape without dispatching', () => {
    const core = fakeCore({ recentProjects: () => ok([]) });
    let closed = 0;
    render(<DispatchView api={core.client.api} close={() => closed++} />);
    fireEvent.keyDown(screen.getByLabelText('Task'), { key: 'Escape' });
    expect(closed).toBe(1);
    expect(core.callsTo('dispatchTask')).toEqual([]);
  });

  it('shows why the plan or the dispatch failed', async () => {
    const core = fakeCore({ recentProjects: () => ok([]), previewDispatch: () => err('unavailable', 'The agent runner is not running in this host.'), dispatchTask: () => err('budget_exceeded', 'Today’s budget is spent.') });
    render(<DispatchView api={core.client.api} close={() => {}} previewDelayMs={0} />);
    fireEvent.change(screen.getByLabelText('Project folder'), { target: { value: '/tmp/x' } });
    fireEvent.change(screen.getByLabelText('Task'), { target: { value: 'do it' } });
    await waitFor(() => expect(screen.getByTestId('dispatch-preview').textContent).toContain('not running in this host'));
    fireEvent.click(screen.getByRole('button', { name: 'Dispatch' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Today’s budget is spent.');
  });

  it('keeps Shift+Enter for a new line', () => {
    const core = fakeCore({ recentProjects: () => ok(['/a']) });
    render(<DispatchView api={core.client.api} close={() => {}} />);
    fireEvent.change(screen.getByLabelText('Task'), { target: { value: 'line one' } });
    fireEvent.keyDown(screen.getByLabelText('Task'), { key: 'Enter', shiftKey: true });
    expect(core.callsTo('dispatchTask')).toEqual([]);
  });

  it('sends a deferrable task as a batch, previews its half price and when it goes, and offers no local tier for it', async () => {
    const batchPreview = {
      ...preview,
      estimatedCostMicros: { low: 9_000, high: 120_000 },
      batch: { syncCostMicros: { low: 18_000, high: 240_000 }, submit: 'off-peak' as const, note: 'Submitted in the off-peak window 22:00–06:00 (UTC) at 50 % off; the answer comes within 24 h of that.' },
    };
    const core = fakeCore({ recentProjects: () => ok(['/Users/ada/app']), previewDispatch: (i) => ok(i.deferrable ? batchPreview : preview), dispatchTask: () => ok(task(8)) });
    render(<DispatchView api={core.client.api} close={() => {}} previewDelayMs={0} />);
    await waitFor(() => expect((screen.getByLabelText('Project folder') as HTMLInputElement).value).toBe('/Users/ada/app'));
    fireEvent.change(screen.getByLabelText('Tier'), { target: { value: 'local' } });
    fireEvent.change(screen.getByLabelText('Task'), { target: { value: 'Write docstrings for src/' } });
    await waitFor(() => expect(screen.getByTestId('dispatch-preview').textContent).toContain('$0.02–$0.31'));

    const box = screen.getByRole('checkbox', { name: 'Deferrable: run as a batch at 50% off, answer within 24 h' });
    fireEvent.click(box);
    expect((screen.getByLabelText('Tier') as HTMLSelectElement).value).toBe('auto');
    expect((screen.getByRole('option', { name: 'Local' }) as HTMLOptionElement).disabled).toBe(true);
    await waitFor(() => expect(screen.getByTestId('dispatch-preview').textContent).toContain('$0.0090–$0.12'));
    const text = screen.getByTestId('dispatch-preview').textContent ?? '';
    expect(text).toContain('half of $0.02–$0.24');
    expect(text).toContain('Submitted in the off-peak window 22:00–06:00 (UTC)');
    expect(core.callsTo('previewDispatch').at(-1)).toEqual({ prompt: 'Write docstrings for src/', project: '/Users/ada/app', priority: 'normal', deferrable: true });

    fireEvent.click(screen.getByRole('button', { name: 'Dispatch' }));
    await screen.findByText('Dispatched');
    expect(core.callsTo('dispatchTask')).toEqual([{ prompt: 'Write docstrings for src/', project: '/Users/ada/app', priority: 'normal', deferrable: true }]);
  });
});
