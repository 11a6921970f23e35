import type { BudgetStatus } from '../../../../shared/contract';
import { formatPercent, formatUntil, formatUsd } from '../../format/format';

const CX = 80;
const CY = 82;
const R = 62;
const HALF = Math.PI * R;
const ARC = `M ${CX - R} ${CY} A ${R} ${R} 0 0 1 ${CX + R} ${CY}`;

/** Point at radius `r` on the gauge's half circle for a share 0..1 (left to right). */
function at(share: number, r: number): { x: number; y: number } {
  const a = Math.PI * (1 - share);
  return { x: CX + r * Math.cos(a), y: CY - r * Math.sin(a) };
}

const STATE_WORDS: Record<BudgetStatus['state'], string> = { ok: 'On track', warning: 'Getting close', critical: 'Nearly spent', exhausted: 'Budget spent' };

/**
 * Today's spend against the daily budget: a half-circle gauge whose colour follows the budget's state
 * (the thresholds), with money in flight drawn lighter so a burst of agents shows before it settles.
 */
export function BudgetGauge({ budget, now }: { budget: BudgetStatus; now: number }) {
  const limit = budget.limitMicros;
  const spentShare = limit ? Math.min(1, budget.spentMicros / limit) : 0;
  const flightShare = limit ? Math.min(1 - spentShare, budget.reservedMicros / limit) : 0;
  const resets = formatUntil(Date.parse(budget.resetsAt) - now);
  const valueText = limit
    ? `${formatUsd(budget.spentMicros)} of ${formatUsd(limit)} spent today, ${formatPercent(budget.percent)}. ${STATE_WORDS[budget.state]}.`
    : `${formatUsd(budget.spentMicros)} spent today. No daily limit.`;
  return (
    <div className={`gauge gauge-${limit === null ? 'none' : budget.state}`}>
      <svg viewBox="0 0 160 88" className="gauge-svg" role="meter" aria-label="Today’s spend" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(100, budget.percent))} aria-valuetext={valueText}>
        <path className="gauge-track" d={ARC} pathLength={HALF} />
        {flightShare > 0 ? (
          <path className="gauge-flight" d={ARC} pathLength={HALF} strokeDasharray={`0 ${spentShare * HALF} ${flightShare * HALF} ${HALF}`} />
        ) : null}
        {spentShare > 0 ? <path className="gauge-value" d={ARC} pathLength={HALF} strokeDasharray={`${spentShare * HALF} ${HALF}`} /> : null}
        {limit
          ? budget.thresholds
              .filter((t) => t < 100)
              .map((t) => {
                const inner = at(t / 100, R + 8);
                const outer = at(t / 100, R + 14);
                return <line key={t} className={`gauge-tick${budget.crossed.includes(t) ? ' crossed' : ''}`} x1={inner.x} y1={inner.y} x2={outer.x} y2={outer.y} />;
              })
          : null}
      </svg>
      <div className="gauge-center" aria-hidden="true">
        <div className="gauge-amount" data-testid="gauge-spent">
          {formatUsd(budget.spentMicros)}
        </div>
        <div className="gauge-sub">{limit ? `of ${formatUsd(limit)} · ${formatPercent(budget.percent)}` : 'today · no limit'}</div>
      </div>
      <div className="gauge-foot">
        <span className="gauge-state">{limit ? STATE_WORDS[budget.state] : 'No daily budget set'}</span>
        <span className="muted">
          {budget.reservedMicros > 0 ? `${formatUsd(budget.reservedMicros)} in flight · ` : ''}resets {resets}
        </span>
      </div>
    </div>
  );
}
