import { useState, type FormEvent } from 'react';
import type { PullProgress } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { formatBytes } from '../../format/format';
import { Icon } from '../common/Icon';
import { Meter } from '../common/Meter';

/** Pull a model by name; each pull shows its layers, speed and a cancel button until it ends. */
export function PullPanel({ disabled }: { disabled: boolean }) {
  const { pulls, pullModel, cancelPull, dismissPull } = useApp((s) => ({ pulls: s.pulls, pullModel: s.pullModel, cancelPull: s.cancelPull, dismissPull: s.dismissPull }));
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const model = name.trim();
    if (!model) return;
    const r = await pullModel(model);
    if (r.ok) {
      setName('');
      setError(null);
    } else setError(r.error.message);
  };
  return (
    <div className="pull">
      <form className="pull-form" onSubmit={(e) => void submit(e)}>
        <label className="visually-hidden" htmlFor="pull-name">
          Model to pull
        </label>
        <input id="pull-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="qwen3-coder:30b" autoComplete="off" spellCheck={false} disabled={disabled} />
        <button type="submit" className="btn btn-primary" disabled={disabled || name.trim() === ''}>
          <Icon name="download" /> Pull
        </button>
      </form>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {pulls.length ? (
        <ul className="rows" aria-label="Downloads">
          {pulls.map((p) => (
            <PullRow key={p.pullId} p={p} onCancel={() => void cancelPull(p.pullId)} onDismiss={() => dismissPull(p.pullId)} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function PullRow({ p, onCancel, onDismiss }: { p: PullProgress; onCancel: () => void; onDismiss: () => void }) {
  const pct = p.totalBytes > 0 ? Math.floor((p.completedBytes / p.totalBytes) * 100) : p.state === 'done' ? 100 : 0;
  const tone = p.state === 'failed' ? 'exhausted' : p.state === 'done' ? 'ok' : p.state === 'cancelled' ? 'muted' : 'accent';
  const words = p.state === 'done' ? 'Pulled' : p.state === 'failed' ? 'Failed' : p.state === 'cancelled' ? 'Cancelled' : p.status;
  return (
    <li className={`row pull-row pull-${p.state}`} data-testid={`pull-${p.model}`} data-state={p.state}>
      <div className="row-main">
        <div className="row-title">
          {p.model}
          <span className="muted pull-status">{words}</span>
        </div>
        <Meter value={pct} max={100} tone={tone} label={`Pulling ${p.model}: ${pct}%`} className="pull-meter" />
        <div className="row-meta">
          <span data-testid="pull-percent">{pct}%</span>
          {p.totalBytes > 0 ? <span>{formatBytes(p.completedBytes)} of {formatBytes(p.totalBytes)}</span> : null}
          {p.state === 'running' && p.bytesPerSecond > 0 ? <span>{formatBytes(p.bytesPerSecond)}/s</span> : null}
        </div>
        {p.error ? <div className="row-meta error-text">{p.error}</div> : null}
        {p.state === 'running' && p.layers.length > 1 ? (
          <details className="layers">
            <summary>{p.layers.length} layers</summary>
            <ul>
              {p.layers.map((l) => (
                <li key={l.digest}>
                  <code>{l.digest.replace(/^sha256:/, '').slice(0, 12)}</code>
                  <Meter value={l.completed} max={l.total || 1} label={`Layer ${l.digest.slice(0, 12)}`} />
                  <span className="muted">{formatBytes(l.total)}</span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      <div className="row-actions">
        {p.state === 'running' ? (
          <button type="button" className="icon-btn danger" aria-label={`Cancel pulling ${p.model}`} title="Cancel" onClick={onCancel}>
            <Icon name="stop" />
          </button>
        ) : (
          <button type="button" className="icon-btn" aria-label={`Dismiss ${p.model}`} title="Dismiss" onClick={onDismiss}>
            {p.state === 'done' ? <Icon name="check" /> : <Icon name="stop" />}
          </button>
        )}
      </div>
    </li>
  );
}
