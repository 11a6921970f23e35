// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { err, ok } from '../../../shared/contract';
import { fakeCore, pending, type Answers } from '../support/fake-client';
import { localModel, overview, pull } from '../support/fixtures';
import { renderPopover } from '../support/render';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  cleanup();
});

const running: Answers = {
  getOverview: () => ok(overview()),
  getOllamaStatus: () => ok({ running: true, version: '0.13.0', host: 'http://127.0.0.1:11434', hint: null }),
  listLocalModels: () =>
    ok({
      installed: [localModel('llama3.2:3b'), localModel('qwen2.5-coder:7b', { contextLength: 32_768, tooSmallForAgents: true, sizeBytes: 4_700_000_000 })],
      loaded: [{ name: 'llama3.2:3b', sizeBytes: 3_000_000_000, vramBytes: 3_000_000_000, expiresAt: new Date(Date.now() + 4 * 60_000).toISOString(), contextLength: 4096 }],
    }),
};

describe('Models', () => {
  it('shows a loading state while Ollama is checked', async () => {
    stop = renderPopover(fakeCore({ ...running, getOllamaStatus: () => pending() }), { tab: 'models' }).stop;
    expect(await screen.findByText('Checking Ollama')).toBeTruthy();
  });

  it('shows an error when the check itself fails', async () => {
    stop = renderPopover(fakeCore({ ...running, getOllamaStatus: () => err('internal', 'Sluice lost its mind.') }), { tab: 'models' }).stop;
    expect((await screen.findByRole('alert')).textContent).toContain('Sluice lost its mind.');
  });

  it('says how to start Ollama when it is not running, and disables pulling', async () => {
    const core = fakeCore({ ...running, getOllamaStatus: () => ok({ running: false, version: null, host: 'http://127.0.0.1:11434', hint: 'Ollama is not running at http://127.0.0.1:11434.' }) });
    stop = renderPopover(core, { tab: 'models' }).stop;
    expect((await screen.findByTestId('ollama-status')).textContent).toBe('Ollama is not running');
    expect(screen.getByText('Ollama is not running at http://127.0.0.1:11434.')).toBeTruthy();
    expect(screen.getByText('ollama serve')).toBeTruthy();
    expect(screen.getByLabelText('Model to pull').hasAttribute('disabled')).toBe(true);
    expect(core.callsTo('listLocalModels')).toEqual([]);
  });

  it('lists installed models with their facts and warns about small contexts, with the fix', async () => {
    stop = renderPopover(fakeCore(running), { tab: 'models' }).stop;
    const installed = await screen.findByRole('list', { name: 'Installed models' });
    const rows = within(installed).getAllByRole('listitem');
    expect(rows.map((r) => r.querySelector('.row-title')?.textContent)).toEqual(['llama3.2:3b', 'qwen2.5-coder:7b']);
    expect(rows[0]?.textContent).toContain('llama · 3.2B · Q4_K_M · 2.0 GB');
    expect(rows[0]?.textContent).toContain('128k context');
    expect(within(rows[1] as HTMLElement).getByRole('note').textContent).toContain('Its 32k context is too small for coding agents');
    const loaded = screen.getByRole('list', { name: 'Loaded models' });
    expect(loaded.textContent).toContain('unloads in 4 min');
    expect(within(loaded).getByRole('note').textContent).toContain('OLLAMA_CONTEXT_LENGTH=65536 ollama serve');
  });

  it('deletes a model only after confirming', async () => {
    const core = fakeCore({ ...running, deleteModel: () => ok({ deleted: true }) });
    stop = renderPopover(core, { tab: 'models' }).stop;
    fireEvent.click(await screen.findByRole('button', { name: 'Delete qwen2.5-coder:7b' }));
    const confirm = screen.getByRole('group', { name: 'Delete qwen2.5-coder:7b?' });
    expect(confirm.textContent).toContain('This frees 4.7 GB.');
    expect(core.callsTo('deleteModel')).toEqual([]);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByText('qwen2.5-coder:7b')).toBeNull());
    expect(core.callsTo('deleteModel')).toEqual([{ name: 'qwen2.5-coder:7b' }]);
  });

  it('pulls by name, shows progress per layer with speed, and cancels', async () => {
    const core = fakeCore({ ...running, pullModel: () => ok({ pullId: 'p1' }), cancelPull: () => ok({ cancelled: true }) });
    stop = renderPopover(core, { tab: 'models' }).stop;
    fireEvent.change(await screen.findByLabelText('Model to pull'), { target: { value: ' qwen3-coder:30b ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pull' }));
    await waitFor(() => expect(core.callsTo('pullModel')).toEqual([{ name: 'qwen3-coder:30b' }]));
    const layers = [
      { digest: 'sha256:aaaaaaaaaaaa1111', total: 2_000_000_000, completed: 2_000_000_000 },
      { digest: 'sha256:bbbbbbbbbbbb2222', total: 2_000_000_000, completed: 500_000_000 },
    ];
    core.emit({ type: 'pull', progress: pull({ layers, completedBytes: 2_500_000_000, totalBytes: 4_000_000_000, bytesPerSecond: 50_000_000 }) });
    const row = await screen.findByTestId('pull-qwen3-coder:30b');
    await waitFor(() => expect(within(row).getByTestId('pull-percent').textContent).toBe('62%'));
    expect(row.textContent).toContain('2.5 GB of 4.0 GB');
    expect(row.textContent).toContain('50 MB/s');
    expect(row.textContent).toContain('2 layers');
    fireEvent.click(within(row).getByRole('button', { name: 'Cancel pulling qwen3-coder:30b' }));
    await waitFor(() => expect(core.callsTo('cancelPull')).toEqual([{ pullId: 'p1' }]));
    core.emit({ type: 'pull', progress: pull({ state: 'cancelled', status: 'cancelled', layers, completedBytes: 2_500_000_000, totalBytes: 4_000_000_000 }) });
    await waitFor(() => expect(screen.getByTestId('pull-qwen3-coder:30b').getAttribute('data-state')).toBe('cancelled'));
  });

  it('shows why a pull could not start', async () => {
    const core = fakeCore({ ...running, pullModel: () => err('bad_input', 'The model name must look like llama3.2:3b.') });
    stop = renderPopover(core, { tab: 'models' }).stop;
    fireEvent.change(await screen.findByLabelText('Model to pull'), { target: { value: 'bad name' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pull' }));
    expect((await screen.findByRole('alert')).textContent).toContain('must look like');
  });
});
