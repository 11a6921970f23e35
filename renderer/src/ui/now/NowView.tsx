import { useEffect, useRef } from 'react';
import { useApp } from '../../state/store-context';
import { Card } from '../common/Card';
import { ErrorState, Loading } from '../common/States';
import { useNow } from '../common/useNow';
import { BudgetGauge } from './BudgetGauge';
import { Savings } from './SavingsCard';
import { TaskList } from './TaskList';
import { AgentList } from './AgentList';
import { NotificationPrompt } from './NotificationPrompt';
import { UnknownModelWarning } from '../common/UnknownModelWarning';
import { CacheBreaks } from './CacheBreaks';

export function NowView() {
  const { overview, refresh, runner, lastThreshold, dismissThreshold, transport, cacheBreaks, dismissCacheBreaks, budgetFocused } = useApp((s) => ({
    cacheBreaks: s.cacheBreaks,
    dismissCacheBreaks: s.dismissCacheBreaks,
    overview: s.overview,
    refresh: s.refreshOverview,
    runner: s.runner,
    lastThreshold: s.lastThreshold,
    dismissThreshold: s.dismissThreshold,
    transport: s.transport,
    budgetFocused: s.focus?.kind === 'budget',
  }));
  const now = useNow(true, 30_000);
  const marked = useRef(false);
  const today = useRef<HTMLDivElement>(null);
  const data = overview.data;

  useEffect(() => {
    if (budgetFocused && data) {
      today.current?.scrollIntoView?.({ block: 'nearest' });
      today.current?.focus();
    }
  }, [budgetFocused, data]);

  useEffect(() => {
    // For the benchmark and for curious people: when the popover first had something to say.
    if (data && !marked.current) {
      marked.current = true;
      performance.mark('sluice:first-overview');
    }
  }, [data]);

  if (!data) {
    if (overview.error) return <ErrorState title="Sluice did not answer" error={overview.error} onRetry={() => void refresh()} />;
    return <Loading label="Loading today’s spend" rows={4} />;
  }
  return (
    <div className="grid">
      <Card title="Today" className="card-today">
        <div ref={today} tabIndex={-1} className="focus-target">
        {lastThreshold && lastThreshold.day === data.budget.day ? (
          <div className={`banner banner-${lastThreshold.percent >= 100 ? 'error' : 'warning'}`} role="alert">
            <span>{lastThreshold.percent >= 100 ? 'Today’s budget is spent.' : `${lastThreshold.percent}% of today’s budget is used.`}</span>
            <button type="button" className="link-btn" onClick={dismissThreshold}>
              Dismiss
            </button>
          </div>
        ) : null}
        <BudgetGauge budget={data.budget} now={now} />
        {transport === 'ws' && data.budget.limitMicros !== null ? <NotificationPrompt /> : null}
        <UnknownModelWarning count={data.unknownModelRequests} />
        <Savings savings={data.savings} />
        <CacheBreaks breaks={cacheBreaks} onDismiss={dismissCacheBreaks} />
        </div>
      </Card>
      <Card title="Agents at work">
        <TaskList tasks={data.tasks} runnerAvailable={runner !== 'unavailable'} transport={transport} />
      </Card>
      <Card title="Agents">
        <AgentList agents={data.agents} />
      </Card>
      {overview.error ? <p className="inline-error" role="alert">Could not refresh: {overview.error.message}</p> : null}
    </div>
  );
}
