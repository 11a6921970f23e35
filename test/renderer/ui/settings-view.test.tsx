// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { err, ok, type SettingsPatch } from '../../../shared/contract';
import { fakeCore, pending, type Answers } from '../support/fake-client';
import { agent, overview, settings } from '../support/fixtures';
import { renderPopover } from '../support/render';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  cleanup();
});

const base: Answers = { getOverview: () => ok(overview({ agents: [agent(1, { name: 'claude-1', dailyCapMicros: 2_500_000 })] })), getSettings: () => ok(settings()) };

describe('Settings', () => {
  it('shows a loading state, then the settings', async () => {
    const held: { answer?: () => void } = {};
    const core = fakeCore({ ...base, getSettings: () => new Promise((resolve) => (held.answer = () => resolve(ok(settings())))) });
    stop = renderPopover(core, { tab: 'settings' }).stop;
    expect(await screen.findByText('Loading settings')).toBeTruthy();
    await waitFor(() => expect(held.answer).toBeDefined());
    held.answer?.();
    expect(((await screen.findByRole('textbox', { name: 'Daily budget' })) as HTMLInputElement).value).toBe('10');
  });

  it('shows an error when settings cannot be read', async () => {
    stop = renderPopover(fakeCore({ ...base, getSettings: () => err('internal', 'Settings are unreadable.') }), { tab: 'settings' }).stop;
    expect((await screen.findByRole('alert')).textContent).toContain('Settings are unreadable.');
  });

  it('takes an API key but never shows one back', async () => {
    const core = fakeCore({ ...base, setApiKey: () => ok({ hasApiKey: true }) });
    stop = renderPopover(core, { tab: 'settings' }).stop;
    expect(await screen.findByText(/No key yet/)).toBeTruthy();
    const input = screen.getByLabelText('API key') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'sk-ant-secret-123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save key' }));
    await screen.findByText(/A key is set/);
    expect(core.callsTo('setApiKey')).toEqual([{ key: 'sk-ant-secret-123' }]);
    // The status line can render a tick before the field is cleared (the store updates first).
    await waitFor(() => expect(input.value).toBe(''));
    expect(document.body.innerHTML).not.toContain('sk-ant-secret-123');
  });

  it('saves the budget, thresholds and policy as typed', async () => {
    const core = fakeCore({ ...base, updateSettings: (p: SettingsPatch) => ok({ ...settings(), ...p, routing: settings().routing }) });
    stop = renderPopover(core, { tab: 'settings' }).stop;
    fireEvent.change(await screen.findByRole('textbox', { name: 'Daily budget' }), { target: { value: '25.5' } });
    fireEvent.change(screen.getByLabelText('Alert at (%)'), { target: { value: '60, 90 100' } });
    fireEvent.click(screen.getByRole('radio', { name: /Downgrade/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save budget' }));
    await screen.findByText('Saved');
    expect(core.callsTo('updateSettings')).toEqual([{ dailyBudgetUsd: 25.5, dailyTokenLimit: null, thresholds: [60, 90, 100], policy: 'downgrade', timeZone: 'UTC' }]);
  });

  it('shows the core’s reason when a value is refused', async () => {
    const core = fakeCore({ ...base, updateSettings: () => err('bad_input', 'The daily budget must be a dollar amount between 0 and 1,000,000.') });
    stop = renderPopover(core, { tab: 'settings' }).stop;
    fireEvent.change(await screen.findByRole('textbox', { name: 'Daily budget' }), { target: { value: '-4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save budget' }));
    expect((await screen.findByRole('alert')).textContent).toContain('between 0 and 1,000,000');
  });

  it('sets a cap per agent', async () => {
    const core = fakeCore({ ...base, setAgentCap: ({ name, dailyCapUsd }) => ok(agent(1, { name, dailyCapMicros: dailyCapUsd === null ? null : dailyCapUsd * 1e6 })) });
    stop = renderPopover(core, { tab: 'settings' }).stop;
    const caps = await screen.findByRole('list', { name: 'Daily cap per agent' });
    const input = within(caps).getByLabelText('Daily cap for claude-1, in dollars') as HTMLInputElement;
    expect(input.value).toBe('2.5');
    fireEvent.change(input, { target: { value: '' } });
    fireEvent.click(within(caps).getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(core.callsTo('setAgentCap')).toEqual([{ name: 'claude-1', dailyCapUsd: null }]));
  });

  it('parses routing rules and refuses a malformed line before sending anything', async () => {
    const core = fakeCore({ ...base, updateSettings: () => ok(settings()) });
    stop = renderPopover(core, { tab: 'settings' }).stop;
    fireEvent.change(await screen.findByLabelText('Model aliases'), { target: { value: 'sonnet = claude-sonnet-4-6\nnonsense' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save routing' }));
    expect((await screen.findByRole('alert')).textContent).toContain('“nonsense” is not “name = model”.');
    expect(core.callsTo('updateSettings')).toEqual([]);
    fireEvent.change(screen.getByLabelText('Model aliases'), { target: { value: '# mine\nsonnet = claude-sonnet-4-6' } });
    fireEvent.change(screen.getByLabelText('Agent → model'), { target: { value: 'reviewer -> claude-haiku-4-5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save routing' }));
    await waitFor(() => expect(core.callsTo('updateSettings')).toHaveLength(1));
    expect(core.callsTo('updateSettings')[0]).toMatchObject({ routing: { aliases: { sonnet: 'claude-sonnet-4-6' }, agentRules: [{ agent: 'reviewer', model: 'claude-haiku-4-5' }] } });
  });

  it('stays usable while the agents are still loading', async () => {
    stop = renderPopover(fakeCore({ ...base, getOverview: () => pending() }), { tab: 'settings' }).stop;
    expect(await screen.findByText('Loading agents')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save budget' })).toBeTruthy();
  });
});
