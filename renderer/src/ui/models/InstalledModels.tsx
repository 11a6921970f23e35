import { useState } from 'react';
import type { LocalModel } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { formatBytes, formatContext } from '../../format/format';
import { Icon } from '../common/Icon';

/** Installed models with their facts; delete asks first, in place. */
export function InstalledModels({ models }: { models: LocalModel[] }) {
  const deleteModel = useApp((s) => s.deleteModel);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (models.length === 0) return <p className="empty-line">No local models yet. Pull one above, e.g. <code>qwen3-coder:30b</code>.</p>;
  const remove = async (name: string) => {
    const r = await deleteModel(name);
    setConfirming(null);
    setError(r.ok ? (r.value.deleted ? null : `${name} was already gone.`) : r.error.message);
  };
  return (
    <>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="rows" aria-label="Installed models">
        {models.map((m) => (
          <li key={m.name} className="row model">
            <div className="row-main">
              <div className="row-title">{m.name}</div>
              <div className="row-meta">{[m.family, m.parameterSize, m.quantization, formatBytes(m.sizeBytes)].filter(Boolean).join(' · ')}</div>
              <div className="row-meta">
                {m.contextLength ? `${formatContext(m.contextLength)} context` : 'context unknown'}
                {m.capabilities.includes('tools') ? ' · tools' : ''}
                {m.capabilities.includes('vision') ? ' · vision' : ''}
              </div>
              {m.tooSmallForAgents && m.contextLength ? (
                <p className="warning-line" role="note">
                  <Icon name="warning" />
                  <span>
                    Its {formatContext(m.contextLength)} context is too small for coding agents (they need 64k). Keep it for short background calls, or pull a long-context model such as <code>qwen3-coder:30b</code>.
                  </span>
                </p>
              ) : null}
              {confirming === m.name ? (
                <div className="confirm" role="group" aria-label={`Delete ${m.name}?`}>
                  <span>Delete {m.name}? This frees {formatBytes(m.sizeBytes)}.</span>
                  <button type="button" className="btn btn-small" onClick={() => setConfirming(null)} autoFocus>
                    Keep
                  </button>
                  <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(m.name)}>
                    Delete
                  </button>
                </div>
              ) : null}
            </div>
            <div className="row-actions">
              <button type="button" className="icon-btn" aria-label={`Delete ${m.name}`} title="Delete" onClick={() => setConfirming(m.name)}>
                <Icon name="trash" />
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
