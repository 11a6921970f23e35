import { useCallback } from 'react';
import type { SpendPoint, SpendReport } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { formatTokens, formatUsd } from '../../format/format';
import { Card } from '../common/Card';
import { Empty, ErrorState, Loading } from '../common/States';
import { UnknownModelWarning } from '../common/UnknownModelWarning';
import { TimeBars } from './TimeBars';
import { RankedBars } from './RankedBars';
import { CacheShare } from './CacheShare';
import { RequestSheet } from './RequestSheet';

/** Every day of the month as a bar, zero where nothing was spent, so the month reads as a calendar. */
export function monthDays(report: SpendReport): SpendPoint[] {
  const [y, m] = report.month.split('-').map(Number);
  if (!y || !m) return report.byDay;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const byKey = new Map(report.byDay.map((p) => [p.key, p]));
  return Array.from({ length: days }, (_, i) => {
    const key = `${report.month}-${String(i + 1).padStart(2, '0')}`;
    const p = byKey.get(key);
    return { key, label: String(i + 1), micros: p?.micros ?? 0, requests: p?.requests ?? 0 };
  });
}

function hourNow(timeZone: string | undefined): string {
  try {
    return String(Number(new Date().toLocaleString('en-US', { hour: 'numeric', hourCycle: 'h23', timeZone })));
  } catch {
    return String(new Date().getHours());
  }
}

function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function SpendView() {
  const { spend, refresh, drill, openDrill, closeDrill, timeZone } = useApp((s) => ({
    spend: s.spend,
    refresh: s.refreshSpend,
    drill: s.drill,
    openDrill: s.openDrill,
    closeDrill: s.closeDrill,
    timeZone: s.overview.data?.budget.timeZone ?? s.settings.data?.timeZone,
  }));
  const close = useCallback(() => closeDrill(), [closeDrill]);
  if (drill) return <RequestSheet drill={drill} onClose={close} timeZone={timeZone} />;
  const d = spend.data;
  if (!d) {
    if (spend.error) return <ErrorState title="Could not load spend" error={spend.error} onRetry={() => void refresh()} />;
    return <Loading label="Loading spend" rows={5} />;
  }
  const today = d.byHour.reduce((s, p) => s + p.micros, 0);
  const requests = d.byHour.reduce((s, p) => s + p.requests, 0);
  const month = d.byDay.reduce((s, p) => s + p.micros, 0);
  const tokens = d.tokens.input + d.tokens.output + d.tokens.cacheRead + d.tokens.cacheWrite5m + d.tokens.cacheWrite1h;
  if (month === 0 && today === 0 && requests === 0) {
    return (
      <Empty title="No spend yet this month">
        Requests through Sluice show here by hour, day, model and agent. Point an agent at Sluice with <code>eval "$(sluice env NAME)"</code>.
      </Empty>
    );
  }
  const day = d.day;
  return (
    <div className="grid">
      <Card title="Today" action={<span className="muted summary" data-testid="spend-today">{formatUsd(today)} · {requests} req · {formatTokens(tokens)} tok</span>}>
        <UnknownModelWarning count={d.unknownModelRequests} />
        <TimeBars
          points={d.byHour}
          label="Spend by hour today"
          highlight={hourNow(timeZone)}
          tickEvery={6}
          onPick={(p) => void openDrill(`${p.label}–${String(Number(p.key) + 1).padStart(2, '0')}:00 today`, { day, hour: Number(p.key) })}
        />
      </Card>
      <Card title={monthName(d.month)} action={<span className="muted summary">{formatUsd(month)}</span>}>
        <TimeBars points={monthDays(d)} label={`Spend by day, ${monthName(d.month)}`} highlight={day} tickEvery={7} onPick={(p) => void openDrill(new Date(`${p.key}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }), { day: p.key })} />
      </Card>
      <Card title="By model, today">
        {d.byModel.length ? <RankedBars points={d.byModel} label="Spend by model today" onPick={(p) => void openDrill(`${p.label} today`, { day, model: p.key })} /> : <p className="empty-line">No requests today.</p>}
      </Card>
      <Card title="By agent, today">
        {d.byAgent.length ? <RankedBars points={d.byAgent} label="Spend by agent today" onPick={(p) => void openDrill(`${p.label} today`, { day, agent: p.key })} /> : <p className="empty-line">No requests today.</p>}
        {d.byProject && d.byProject.length ? (
          <>
            <h3 className="subhead">Sluice's tasks by project</h3>
            <RankedBars points={d.byProject} label="Spend by project today" onPick={() => void openDrill("All requests today", { day })} />
          </>
        ) : null}
      </Card>
      <Card title="Prompt cache, today">
        <CacheShare share={d.cacheReadShare} tokens={d.tokens} />
      </Card>
    </div>
  );
}
