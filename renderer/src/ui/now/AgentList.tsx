import type { AgentRow } from '../../../../shared/contract';
import { formatUsd } from '../../format/format';
import { Meter } from '../common/Meter';

/** Every agent with today's spend, biggest spender first; caps shown as a bar. */
export function AgentList({ agents }: { agents: AgentRow[] }) {
  const shown = agents.filter((a) => !a.revoked || a.spentTodayMicros > 0).sort((a, b) => b.spentTodayMicros - a.spentTodayMicros || a.name.localeCompare(b.name));
  if (shown.length === 0) {
    return <p className="empty-line">No agents yet. Create one with <code>sluice agents add NAME</code> and point it at Sluice.</p>;
  }
  return (
    <ul className="rows compact" aria-label="Agents and their spend today">
      {shown.map((a) => {
        const share = a.dailyCapMicros ? a.spentTodayMicros / a.dailyCapMicros : 0;
        return (
          <li key={a.id} className="row agent">
            <div className="row-main">
              <div className="row-title">
                {a.name}
                {a.kind === 'task' ? <span className="chip">task</span> : null}
                {a.revoked ? <span className="chip">revoked</span> : null}
              </div>
              <div className="row-meta">
                {a.requestsToday} request{a.requestsToday === 1 ? '' : 's'}
                {a.dailyCapMicros !== null ? ` · cap ${formatUsd(a.dailyCapMicros)}` : ''}
              </div>
              {a.dailyCapMicros !== null ? (
                <Meter value={a.spentTodayMicros} max={a.dailyCapMicros} tone={share >= 1 ? 'exhausted' : share >= 0.8 ? 'critical' : 'accent'} label={`${a.name}: ${formatUsd(a.spentTodayMicros)} of its ${formatUsd(a.dailyCapMicros)} cap`} />
              ) : null}
            </div>
            <div className="row-amount">{formatUsd(a.spentTodayMicros)}</div>
          </li>
        );
      })}
    </ul>
  );
}
