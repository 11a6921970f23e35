import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { SaveStatus, useSave } from './useSave';

export function ScheduleSection({ settings }: { settings: Settings }) {
  const { updateSettings, transport } = useApp((s) => ({ updateSettings: s.updateSettings, transport: s.transport }));
  const [offPeak, setOffPeak] = useState(settings.offPeak !== null);
  const [start, setStart] = useState(settings.offPeak?.start ?? '22:00');
  const [end, setEnd] = useState(settings.offPeak?.end ?? '07:00');
  const [concurrency, setConcurrency] = useState(String(settings.concurrency));
  const [hotkey, setHotkey] = useState(settings.hotkey);
  const [state, run] = useSave();
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(() => updateSettings({ offPeak: offPeak ? { start, end } : null, concurrency: Number(concurrency), hotkey }));
  };
  return (
    <form className="form" onSubmit={save} aria-label="Agents and schedule">
      <div className="field">
        <label htmlFor="concurrency">Agents at once</label>
        <input id="concurrency" className="input input-narrow" type="number" min={1} max={64} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="off-peak">Off-peak window</label>
        <label className="inline-controls">
          <input id="off-peak" type="checkbox" className="switch" role="switch" checked={offPeak} onChange={(e) => setOffPeak(e.target.checked)} aria-describedby="off-peak-note" />
          <span id="off-peak-note" className="muted">
            Low-priority tasks wait for it
          </span>
        </label>
      </div>
      <div className="field">
        <span />
        <div className="inline-controls">
          <input className="input input-time" type="time" value={start} onChange={(e) => setStart(e.target.value)} disabled={!offPeak} aria-label="Off-peak starts" />
          <span className="muted">to</span>
          <input className="input input-time" type="time" value={end} onChange={(e) => setEnd(e.target.value)} disabled={!offPeak} aria-label="Off-peak ends" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="hotkey">Dispatch hotkey</label>
        <input id="hotkey" className="input" value={hotkey} onChange={(e) => setHotkey(e.target.value)} spellCheck={false} />
      </div>
      {transport === 'ws' ? <p className="field-note muted">The hotkey works in the desktop app.</p> : null}
      <div className="form-actions">
        <SaveStatus state={state} />
        <button type="submit" className="btn btn-primary">
          Save
        </button>
      </div>
    </form>
  );
}
