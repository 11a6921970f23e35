import type { LoadedModel } from '../../../../shared/contract';
import { formatBytes, formatContext, formatUntil } from '../../format/format';
import { Icon } from '../common/Icon';

const AGENT_MIN_CONTEXT = 65_536;

/** Models in memory now: how much of it is on the GPU, when Ollama unloads them, their allocated context. */
export function LoadedModels({ models, now }: { models: LoadedModel[]; now: number }) {
  if (models.length === 0) return <p className="empty-line">Nothing loaded. Ollama loads a model on its first request.</p>;
  return (
    <ul className="rows" aria-label="Loaded models">
      {models.map((m) => {
        const gpu = m.sizeBytes > 0 ? Math.round((m.vramBytes / m.sizeBytes) * 100) : 0;
        const small = m.contextLength !== null && m.contextLength < AGENT_MIN_CONTEXT;
        return (
          <li key={m.name} className="row model">
            <div className="row-main">
              <div className="row-title">{m.name}</div>
              <div className="row-meta">
                {formatBytes(m.sizeBytes)} in memory · {gpu === 100 ? 'all on GPU' : gpu === 0 ? 'on CPU' : `${gpu}% on GPU`}
                {m.contextLength ? ` · ${formatContext(m.contextLength)} context` : ''}
                {m.expiresAt ? ` · unloads ${formatUntil(Date.parse(m.expiresAt) - now)}` : ''}
              </div>
              {small && m.contextLength ? (
                <p className="warning-line" role="note">
                  <Icon name="warning" />
                  <span>
                    Loaded with a {formatContext(m.contextLength)} context; agents need 64k. Restart Ollama with <code>OLLAMA_CONTEXT_LENGTH=65536 ollama serve</code>, or raise the context length in the Ollama app’s settings.
                  </span>
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
