import type { SpendPoint } from '../../../../shared/contract';
import { formatUsd } from '../../format/format';

/** A ranked list with inline bars (by model, by agent): every row is a button to its requests. */
export function RankedBars({ points, label, onPick, limit = 8 }: { points: SpendPoint[]; label: string; onPick: (p: SpendPoint) => void; limit?: number }) {
  const top = points.slice(0, limit);
  const max = Math.max(1, ...top.map((p) => p.micros));
  const total = points.reduce((s, p) => s + p.micros, 0);
  return (
    <ul className="ranked" aria-label={label}>
      {top.map((p) => (
        <li key={p.key}>
          <button type="button" className="ranked-row" onClick={() => onPick(p)} aria-label={`${p.label}: ${formatUsd(p.micros)}, ${p.requests} requests. Show them.`}>
            <span className="ranked-label" title={p.label}>
              {p.label}
            </span>
            <span className="ranked-amount">
              {formatUsd(p.micros)}
              {p.cacheReadShare !== undefined ? <span className="muted ranked-cache"> · cache {Math.round(p.cacheReadShare * 100)}%</span> : null}
            </span>
            <span className="ranked-track" aria-hidden="true">
              <span className="ranked-fill" style={{ transform: `scaleX(${p.micros / max})` }} />
            </span>
            <span className="ranked-share muted">{total > 0 ? `${Math.round((p.micros / total) * 100)}%` : ''}</span>
          </button>
        </li>
      ))}
      {points.length > limit ? <li className="muted ranked-more">and {points.length - limit} more</li> : null}
    </ul>
  );
}
