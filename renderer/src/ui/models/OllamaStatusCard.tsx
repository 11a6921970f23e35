import type { OllamaStatus } from '../../../../shared/contract';
import { Icon } from '../common/Icon';

/** Whether Ollama answers, its version, and — when it does not — the one line that starts it. */
export function OllamaStatusLine({ status, onRefresh, busy }: { status: OllamaStatus; onRefresh: () => void; busy: boolean }) {
  return (
    <div className={`ollama-status ${status.running ? 'up' : 'down'}`}>
      <span className={`dot ${status.running ? 'dot-running' : 'dot-failed'}`} aria-hidden="true" />
      <div className="row-main">
        <div className="row-title" data-testid="ollama-status">
          {status.running ? `Ollama ${status.version ?? ''} is running` : 'Ollama is not running'}
        </div>
        <div className="row-meta">{status.host}</div>
        {!status.running ? (
          <div className="hint">
            <p>{status.hint ?? 'Start Ollama to use local models.'}</p>
            <p>
              In a terminal: <code>ollama serve</code> — or open the Ollama app. Install it from ollama.com.
            </p>
          </div>
        ) : null}
      </div>
      <button type="button" className="icon-btn" aria-label="Check Ollama again" title="Check again" onClick={onRefresh} disabled={busy}>
        <Icon name="refresh" />
      </button>
    </div>
  );
}
