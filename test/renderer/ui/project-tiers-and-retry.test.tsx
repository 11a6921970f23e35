// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { err, ok, type Settings, type SettingsPatch } from '../../../shared/contract';
import { DispatchView } from '../../../renderer/src/ui/dispatch/DispatchView';
import { fakeCore } from '../support/fake-client';
import { overview, settings, task } from '../support/fixtures';
import { renderPopover } from '../support/render';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  cleanup();
});

/** A core that applies routing patches to the settings it holds, as the real one does. */
function settingsCore(initial: Settings) {
  let current = initial;
  return fakeCore({
    getOverview: () => ok(overview({ tasks: [task(1, { project: '/Users/ada/code/site', state: 'done', currentStep: null })] })),
    getSettings: () => ok(current),
    updateSettings: (p: SettingsPatch) => {
      if (p.routing?.projects && Object.keys(p.routing.projects).some((f) => f.includes('missing'))) return err('bad_input', 'The project folder "/missing" does not exist.');
      current = { ...current, routing: { ...current.routing, ...p.routing } };
      return ok(current);
    },
  });
}

describe('Settings → Routing per project', () => {
  it('lists the saved tiers, changes and removes one, adds another, and shows the core’s refusal', async () => {
    const base = settings();
    const core = settingsCore({ ...base, routing: { ...base.routing, projects: { '/Users/ada/code/api': { tier: 'fast' } } } });
    stop = renderPopover(core, { tab: 'settings' }).stop;
    const list = await screen.findByRole('list', { name: 'Tier per project' });
    expect(within(list).getByText('/Users/ada/code/api')).toBeTruthy();
    // No local model is set: the local tier cannot be picked.
    const tier = within(list).getByLabelText('Tier for /Users/ada/code/api') as HTMLSelectElement;
    expect(tier.value).toBe('fast');
    expect((within(tier).getByRole('option', { name: 'Local' }) as HTMLOptionElement).disabled).toBe(true);

    fireEvent.change(tier, { target: { value: 'strong' } });
    await waitFor(() => expect(core.callsTo('updateSettings')).toEqual([{ routing: { projects: { '/Users/ada/code/api': { tier: 'strong' } } } }]));

    const add = screen.getByRole('form', { name: 'Add a project tier' });
    fireEvent.change(within(add).getByLabelText('Project folder'), { target: { value: '/missing' } });
    fireEvent.click(within(add).getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toContain('does not exist');

    fireEvent.change(within(add).getByLabelText('Project folder'), { target: { value: '/Users/ada/code/site' } });
    fireEvent.change(within(add).getByLabelText('Tier for the new project'), { target: { value: 'fast' } });
    fireEvent.click(within(add).getByRole('button', { name: 'Add' }));
    await screen.findByText('/Users/ada/code/site');
    await waitFor(() => expect((within(add).getByLabelText('Project folder') as HTMLInputElement).value).toBe(''));
    expect(core.callsTo('updateSettings').at(-1)).toEqual({ routing: { projects: { '/Users/ada/code/api': { tier: 'strong' }, '/Users/ada/code/site': { tier: 'fast' } } } });

    fireEvent.click(screen.getByRole('button', { name: 'Remove the tier for /Users/ada/code/api' }));
    await waitFor(() => expect(screen.queryByText('/Users/ada/code/api')).toBeNull());
    expect(core.callsTo('updateSettings').at(-1)).toEqual({ routing: { projects: { '/Users/ada/code/site': { tier: 'fast' } } } });
  });
});

describe('Retry on a stronger tier', () => {
  it('offers a retry on finished fast- and local-tier work only, and shows the link both ways once it is queued', async () => {
    const fast = task(5, { state: 'failed', tier: 'fast', model: 'claude-haiku-4-5', currentStep: null, error: 'It gave up.' });
    const strong = task(6, { state: 'done', tier: 'strong', currentStep: null });
    const running = task(7, { state: 'running', tier: 'fast' });
    const retry = task(8, { state: 'queued', tier: 'strong', retryOf: 't5', prompt: 'Task number 5', currentStep: null });
    const core = fakeCore({ getOverview: () => ok(overview({ tasks: [fast, strong, running] })), recentProjects: () => ok([]), retryTask: () => ok(retry) });
    stop = renderPopover(core).stop;
    fireEvent.click(await screen.findByRole('button', { name: 'Retry “Task number 5” on the strong tier' }));
    expect(screen.queryByRole('button', { name: 'Retry “Task number 6” on the strong tier' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry “Task number 7” on the strong tier' })).toBeNull();
    await waitFor(() => expect(core.callsTo('retryTask')).toEqual([{ id: 't5' }]));
    // The new task arrives as a row; the core then sends the original with its link.
    expect(await screen.findByText(/Retry of/)).toBeTruthy();
    expect(screen.getByText('t5').closest('.task-retry')?.textContent).toBe('Retry of t5 on a stronger tier');
    core.emit({ type: 'task', task: { ...fast, retriedBy: 't8' } });
    expect((await screen.findByText(/Retried on a stronger tier as/)).textContent).toContain('t8');
    expect(screen.queryByRole('button', { name: 'Retry “Task number 5” on the strong tier' })).toBeNull();
  });

  it('says why a retry was refused', async () => {
    const core = fakeCore({ getOverview: () => ok(overview({ tasks: [task(5, { state: 'done', tier: 'local', currentStep: null })] })), recentProjects: () => ok([]), retryTask: () => err('bad_input', 'The project folder "/repo" does not exist.') });
    stop = renderPopover(core).stop;
    fireEvent.click(await screen.findByRole('button', { name: 'Retry “Task number 5” on the strong tier' }));
    expect((await screen.findByRole('alert')).textContent).toContain('does not exist');
  });

  it('offers no retry where the host runs no agents', async () => {
    const core = fakeCore({ getOverview: () => ok(overview({ tasks: [task(5, { state: 'done', tier: 'fast', currentStep: null })] })) });
    stop = renderPopover(core).stop;
    await screen.findByText('Task number 5');
    // Until the core says whether it runs agents the row may offer it; once it says no, the offer goes.
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Retry “Task number 5” on the strong tier' })).toBeNull());
    expect(core.callsTo('recentProjects')).toHaveLength(1);
  });
});

describe('the dispatch window remembers a tier for the project', () => {
  it('offers “Remember for this project” only with a chosen tier, and saves it next to the others before dispatching', async () => {
    const base = settings();
    const core = fakeCore({
      recentProjects: () => ok(['/Users/ada/app']),
      previewDispatch: () => ok({ tier: 'fast', model: 'claude-haiku-4-5', reason: 'fast: the fast tier (claude-haiku-4-5)', estimatedCostMicros: { low: 1, high: 2 }, contextTokens: 0 }),
      getSettings: () => ok({ ...base, routing: { ...base.routing, projects: { '/Users/ada/other': { tier: 'strong' } } } }),
      updateSettings: () => ok(base),
      dispatchTask: () => ok(task(9)),
    });
    render(<DispatchView api={core.client.api} close={() => {}} previewDelayMs={0} />);
    await waitFor(() => expect((screen.getByLabelText('Project folder') as HTMLInputElement).value).toBe('/Users/ada/app'));
    expect(screen.queryByLabelText('Remember for this project')).toBeNull();
    fireEvent.change(screen.getByLabelText('Tier'), { target: { value: 'fast' } });
    fireEvent.click(screen.getByLabelText('Remember for this project'));
    fireEvent.change(screen.getByLabelText('Task'), { target: { value: 'Fix the lint errors' } });
    fireEvent.click(screen.getByRole('button', { name: 'Dispatch' }));
    await screen.findByText('Dispatched');
    expect(core.callsTo('updateSettings')).toEqual([{ routing: { projects: { '/Users/ada/other': { tier: 'strong' }, '/Users/ada/app': { tier: 'fast' } } } }]);
    expect(core.callsTo('dispatchTask')).toEqual([{ prompt: 'Fix the lint errors', project: '/Users/ada/app', priority: 'normal', tier: 'fast' }]);
    const order = core.calls.map((c) => c.call).filter((c) => c === 'updateSettings' || c === 'dispatchTask');
    expect(order).toEqual(['updateSettings', 'dispatchTask']);
  });
});
