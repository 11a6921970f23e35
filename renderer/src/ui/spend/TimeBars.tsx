import { useId, useState, type KeyboardEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpendPoint } from '../../../../shared/contract';
import { formatUsd, formatUsdShort } from '../../format/format';

function describe(p: SpendPoint): string {
  return `${p.label}: ${formatUsd(p.micros)}, ${p.requests} request${p.requests === 1 ? '' : 's'}`;
}

/** Recharts hands the hovered row back untyped; it is one of `points`, found again by key. */
function Tip({ active, payload, points }: { active?: boolean; payload?: readonly { payload?: unknown }[]; points: SpendPoint[] }) {
  const row = active ? payload?.[0]?.payload : undefined;
  const key = row && typeof row === 'object' && 'key' in row ? row.key : undefined;
  const point = points.find((p) => p.key === key);
  if (!point) return null;
  return (
    <div className="chart-tip">
      <strong>{point.label}</strong>
      <span>{formatUsd(point.micros)}</span>
      <span className="muted">
        {point.requests} request{point.requests === 1 ? '' : 's'}
      </span>
    </div>
  );
}

/**
 * Spend over time as bars; a click — or arrows then Enter, for the keyboard — lists the requests
 * behind a bar. The chart is one tab stop; the bar in focus is announced.
 */
export function TimeBars({ points, label, highlight, onPick, tickEvery }: { points: SpendPoint[]; label: string; highlight?: string; onPick: (p: SpendPoint) => void; tickEvery: number }) {
  const [focus, setFocus] = useState<number | null>(null);
  const liveId = useId();
  const max = Math.max(0, ...points.map((p) => p.micros));
  const focused = focus === null ? undefined : points[focus];

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (points.length === 0) return;
    const cur = focus ?? points.findIndex((p) => p.key === highlight);
    const from = cur < 0 ? points.length - 1 : cur;
    const to = { ArrowRight: from + 1, ArrowLeft: from - 1, Home: 0, End: points.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      setFocus(Math.max(0, Math.min(points.length - 1, to)));
    } else if ((e.key === 'Enter' || e.key === ' ') && focused) {
      e.preventDefault();
      onPick(focused);
    }
  };

  return (
    <div
      className="chart"
      role="group"
      tabIndex={0}
      aria-label={`${label}. Arrow keys pick a bar, Enter lists its requests.`}
      aria-describedby={liveId}
      onKeyDown={onKeyDown}
      onBlur={() => setFocus(null)}
    >
      <BarChart responsive style={{ width: '100%', height: 132 }} data={points} accessibilityLayer={false} margin={{ top: 8, right: 0, bottom: 0, left: 0 }} barCategoryGap="18%">
        <CartesianGrid vertical={false} />
        <XAxis dataKey="label" tickLine={false} axisLine interval={tickEvery - 1} tick={{ className: 'chart-tick' }} height={18} padding={{ left: 6, right: 6 }} />
        <YAxis orientation="right" axisLine={false} tickLine={false} width={44} tickCount={3} domain={[0, max > 0 ? 'auto' : 1_000_000]} tick={{ className: 'chart-tick' }} tickFormatter={(v: number) => (v === 0 ? '' : formatUsdShort(v))} />
        <Tooltip cursor={{ className: 'chart-cursor' }} content={(p) => <Tip active={p.active} payload={p.payload} points={points} />} isAnimationActive={false} />
        <Bar dataKey="micros" radius={[3, 3, 1, 1]} isAnimationActive={false} onClick={(_, i) => { const p = points[i]; if (p) onPick(p); }} minPointSize={(v) => (Number(v) > 0 ? 2 : 0)}>
          {points.map((p, i) => (
            <Cell key={p.key} className={`bar${i === focus ? ' bar-focus' : p.key === highlight ? ' bar-now' : ''}`} cursor="pointer" />
          ))}
        </Bar>
      </BarChart>
      <div id={liveId} className="visually-hidden" aria-live="polite">
        {focused ? describe(focused) : ''}
      </div>
    </div>
  );
}
