import { useState, type FormEvent } from 'react';
import { useApp } from '../../state/store-context';
import { SaveStatus, useSave } from './useSave';

/** Write-only: the key goes in, never comes back; the view only knows whether one is set. */
export function ApiKeySection({ hasApiKey }: { hasApiKey: boolean }) {
  const { setApiKey, transport } = useApp((s) => ({ setApiKey: s.setApiKey, transport: s.transport }));
  const [key, setKey] = useState('');
  const [state, run] = useSave();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => setApiKey(key.trim()))) setKey('');
  };
  return (
    <form className="form" onSubmit={(e) => void save(e)} aria-label="Anthropic API key">
      <p className="field-note">
        <span className={`dot ${hasApiKey ? 'dot-running' : 'dot-queued'}`} aria-hidden="true" /> {hasApiKey ? 'A key is set. Paste a new one to replace it.' : 'No key yet: requests to Anthropic will fail until you add one.'}
      </p>
      <div className="field">
        <label htmlFor="api-key">API key</label>
        <input id="api-key" className="input" type="password" value={key} onChange={(e) => setKey(e.target.value)} placeholder="sk-ant-…" autoComplete="off" spellCheck={false} />
      </div>
      <p className="field-note muted">{transport === 'ipc' ? 'Kept in the macOS keychain, never shown again.' : 'Kept by sluice serve in a file only your user can read, never shown again. ANTHROPIC_API_KEY in its environment wins over it.'}</p>
      <div className="form-actions">
        <SaveStatus state={state} />
        {hasApiKey ? (
          <button type="button" className="btn" onClick={() => void run(() => setApiKey(null))}>
            Remove
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={key.trim() === ''}>
          Save key
        </button>
      </div>
    </form>
  );
}
