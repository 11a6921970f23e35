import type { SavingsEstimate } from '../../../../shared/contract';
import { formatUsd } from '../../format/format';

/** Money saved today against the no-Sluice baseline, with the assumptions one click away. */
export function Savings({ savings }: { savings: SavingsEstimate }) {
  const { savedMicros, baselineMicros, actualMicros, baselineModel } = savings;
  const share = baselineMicros > 0 ? Math.round((savedMicros / baselineMicros) * 100) : 0;
  return (
    <div className="savings">
      <div className="savings-head">
        <span className="muted">Saved today</span>
        <span className={`savings-amount${savedMicros < 0 ? ' negative' : ''}`} data-testid="saved-today">
          {baselineMicros === 0 && actualMicros === 0 ? '—' : formatUsd(savedMicros)}
        </span>
      </div>
      <p className="savings-line">
        {baselineMicros === 0 && actualMicros === 0
          ? 'Nothing to compare yet today.'
          : savedMicros >= 0
            ? <>{share}% less than {formatUsd(baselineMicros)} for the same tokens on <span className="nowrap">{baselineModel}</span> without caching.</>
            : <>{formatUsd(-savedMicros)} more than the same tokens on <span className="nowrap">{baselineModel}</span> would have cost.</>}
      </p>
      <details className="assumptions">
        <summary>How this is counted</summary>
        <ul>
          {savings.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
