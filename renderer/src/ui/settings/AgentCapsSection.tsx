import { useState } from 'react';
import type { AgentRow } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { formatUsd } from '../../format/format';
import { numberOrNull, SaveStatus, useSave } from './useSave';

/** A daily cap per agent: one row each, saved on its own. */
export function AgentCapsSection({ agents }: { agents: AgentRow[] }) {
  const live = agents.filter((a) => !a.revoked);
  if (live.length === 0) return <p className="empty-line">No agents yet. Caps appear here once one exists.</p>;
  return (
    <ul className="rows compact" aria-label="Daily cap per agent">
      {live.map((a) => (
        <CapRow key={a.id} agent={a} />
      ))}
    </ul>
  );
}

function CapRow({ agent }: { agent: AgentRow }) {
  const setAgentCap = useApp((s) => s.setAgentCap);
  const initial = agent.dailyCapMicros === null ? '' : String(agent.dailyCapMicros / 1_000_000);
  const [value, setValue] = useState(initial);
  const [state, run] = useSave();
  const id = `cap-${agent.id}`;
  return (
    <li className="row cap-row">
      <div className="row-main">
        <label className="row-title" htmlFor={id}>
          {agent.name}
        </label>
        <div className="row-meta">{formatUsd(agent.spentTodayMicros)} today</div>
        <SaveStatus state={state} />
      </div>
      <form
        className="cap-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => setAgentCap(agent.name, numberOrNull(value)));
        }}
      >
        <div className="input-affix">
          <span aria-hidden="true">$</span>
          <input id={id} className="input input-narrow" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} placeholder="No cap" aria-label={`Daily cap for ${agent.name}, in dollars`} />
        </div>
        <button type="submit" className="btn btn-small" disabled={value === initial}>
          Set
        </button>
      </form>
    </li>
  );
}
