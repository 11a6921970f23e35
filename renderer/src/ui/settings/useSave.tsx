import { useState } from 'react';
import type { Result } from '../../../../shared/contract';
import { Icon } from '../common/Icon';

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

/** One save at a time per section, with its outcome for the status line. */
export function useSave(): [SaveState, (fn: () => Promise<Result<unknown>>) => Promise<boolean>, () => void] {
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const run = async (fn: () => Promise<Result<unknown>>) => {
    setState({ kind: 'saving' });
    const r = await fn();
    setState(r.ok ? { kind: 'saved' } : { kind: 'error', message: r.error.message });
    return r.ok;
  };
  return [state, run, () => setState({ kind: 'idle' })];
}

export function SaveStatus({ state }: { state: SaveState }) {
  if (state.kind === 'error') {
    return (
      <p className="inline-error" role="alert">
        {state.message}
      </p>
    );
  }
  return (
    <span className="save-status" aria-live="polite">
      {state.kind === 'saved' ? (
        <>
          <Icon name="check" /> Saved
        </>
      ) : state.kind === 'saving' ? (
        'Saving…'
      ) : (
        ''
      )}
    </span>
  );
}

/** "" → null, else a number (NaN when it is not one, for the validator to refuse). */
export function numberOrNull(text: string): number | null {
  const t = text.trim();
  return t === '' ? null : Number(t);
}
