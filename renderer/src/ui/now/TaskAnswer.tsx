import { useState } from 'react';
import type { Result, TaskAnswer as Answer } from '../../../../shared/contract';

type Loaded = { kind: 'closed' } | { kind: 'loading' } | { kind: 'ready'; text: string | null } | { kind: 'error'; message: string };

/**
 * A finished deferrable task's answer, fetched the first time it is opened: it can be tens of
 * kilobytes, so it does not travel with every task event.
 */
export function TaskAnswer({ id, title, load }: { id: string; title: string; load: (id: string) => Promise<Result<Answer>> }) {
  const [state, setState] = useState<Loaded>({ kind: 'closed' });
  const [copied, setCopied] = useState(false);
  const onToggle = (open: boolean) => {
    if (!open || state.kind === 'ready' || state.kind === 'loading') return;
    setState({ kind: 'loading' });
    void load(id).then((r) => setState(r.ok ? { kind: 'ready', text: r.value.text } : { kind: 'error', message: r.error.message }));
  };
  const copy = (text: string) => {
    void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <details className="row-meta task-answer" onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>Answer</summary>
      {state.kind === 'loading' ? (
        <span className="muted">Loading the answer…</span>
      ) : state.kind === 'error' ? (
        <span className="error-text">{state.message}</span>
      ) : state.kind === 'ready' ? (
        state.text === null ? (
          <span className="muted">No answer yet.</span>
        ) : (
          <>
            <pre className="task-answer-text" aria-label={`The answer to “${title}”`} tabIndex={0}>
              {state.text}
            </pre>
            {navigator.clipboard ? (
              <button type="button" className="btn btn-small" onClick={() => copy(state.text ?? '')}>
                {copied ? 'Copied' : 'Copy'}
              </button>
            ) : null}
          </>
        )
      ) : null}
    </details>
  );
}
