import { useMemo, useState, type FormEvent } from 'react';
import type { BudgetPolicy, Settings } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { numberOrNull, SaveStatus, useSave } from './useSave';

const POLICIES: { id: BudgetPolicy; label: string; note: string }[] = [
  { id: 'reject', label: 'Refuse', note: 'New requests get a clear message until the budget resets.' },
  { id: 'queue', label: 'Queue', note: 'Sluice’s own tasks wait for the reset; external agents are refused.' },
  { id: 'downgrade', label: 'Downgrade', note: 'New requests go to the cheaper tier set under Routing.' },
];

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

export function BudgetSection({ settings }: { settings: Settings }) {
  const updateSettings = useApp((s) => s.updateSettings);
  const [budget, setBudget] = useState(settings.dailyBudgetUsd === null ? '' : String(settings.dailyBudgetUsd));
  const [tokens, setTokens] = useState(settings.dailyTokenLimit === null ? '' : String(settings.dailyTokenLimit));
  const [thresholds, setThresholds] = useState(settings.thresholds.join(', '));
  const [policy, setPolicy] = useState<BudgetPolicy>(settings.policy);
  const [timeZone, setTimeZone] = useState(settings.timeZone);
  const zones = useMemo(() => timeZones(settings.timeZone), [settings.timeZone]);
  const [state, run] = useSave();

  const save = (e: FormEvent) => {
    e.preventDefault();
    const t = thresholds.split(/[,\s]+/).filter(Boolean).map(Number);
    void run(() => updateSettings({ dailyBudgetUsd: numberOrNull(budget), dailyTokenLimit: numberOrNull(tokens), thresholds: t, policy, timeZone }));
  };

  return (
    <form className="form" onSubmit={save} aria-label="Daily budget">
      <div className="field">
        <label htmlFor="budget-usd">Daily budget</label>
        <div className="input-affix">
          <span aria-hidden="true">$</span>
          <input id="budget-usd" className="input" inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} placeholder="No limit" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="budget-tokens">Daily tokens</label>
        <input id="budget-tokens" className="input" inputMode="numeric" value={tokens} onChange={(e) => setTokens(e.target.value)} placeholder="No limit" />
      </div>
      <div className="field">
        <label htmlFor="budget-thresholds">Alert at (%)</label>
        <input id="budget-thresholds" className="input" value={thresholds} onChange={(e) => setThresholds(e.target.value)} placeholder="50, 80, 95, 100" />
      </div>
      <fieldset className="field radios">
        <legend>At the limit</legend>
        <div>
          {POLICIES.map((p) => (
            <label key={p.id} className="radio">
              <input type="radio" name="policy" value={p.id} checked={policy === p.id} onChange={() => setPolicy(p.id)} />
              <span>
                <strong>{p.label}</strong> <span className="muted">{p.note}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="budget-tz">Budget day in</label>
        <select id="budget-tz" className="input" value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <SaveStatus state={state} />
        <button type="submit" className="btn btn-primary">
          Save budget
        </button>
      </div>
    </form>
  );
}
