// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { ok } from '../../../shared/contract';
import { parseFocus } from '../../../renderer/src/state/focus';
import { fakeCore } from '../support/fake-client';
import { overview, task } from '../support/fixtures';
import { renderPopover } from '../support/render';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  cleanup();
});

describe('opening the popover on an item', () => {
  it('reads the hash Electron main sets', () => {
    expect(parseFocus('#focus=task:t%2F1')).toEqual({ kind: 'task', id: 't/1' });
    expect(parseFocus('#focus=budget')).toEqual({ kind: 'budget' });
    for (const h of ['', '#', '#focus=', '#focus=task:', '#focus=nothing', '#focus=task:%E0%A4%A']) expect(parseFocus(h)).toBeNull();
  });

  it('switches to Now and highlights the task a notification named', async () => {
    const core = fakeCore({ getOverview: () => ok(overview({ tasks: [task(1), task(2), task(3)] })), getSettings: () => pending() });
    const { store, stop: s } = renderPopover(core, { tab: 'settings' });
    stop = s;
    act(() => store.getState().focusOn({ kind: 'task', id: 't2' }));
    await waitFor(() => expect(document.querySelector('.task.focused')?.textContent).toContain('Task number 2'));
    expect(screen.getByRole('tab', { name: 'Now' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement?.classList.contains('focused')).toBe(true);
  });
});

function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
