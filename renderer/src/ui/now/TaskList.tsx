import { memo, useEffect, useRef, useState } from 'react';
import type { FinishAction, Result, TaskAction, TaskAnswer as Answer, TaskRow } from '../../../../shared/contract';
import { useApp } from '../../state/store-context';
import { formatElapsed, formatTokens, formatUsd } from '../../format/format';
import { Icon } from '../common/Icon';
import { useNow } from '../common/useNow';
import { TaskAnswer } from './TaskAnswer';

const ACTIVE: readonly TaskRow['state'][] = ['queued', 'starting', 'running', 'paused'];
const ORDER: Record<TaskRow['state'], number> = { running: 0, starting: 1, paused: 2, queued: 3, failed: 4, done: 5, cancelled: 6 };
const STATE_LABEL: Record<TaskRow['state'], string> = { queued: 'Queued', starting: 'Starting', running: 'Running', paused: 'Paused', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

function totalTokens(t: TaskRow): number {
  const k = t.tokens;
  return k.input + k.output + k.cacheRead + k.cacheWrite5m + k.cacheWrite1h;
}

function pausedWhy(t: TaskRow): string {
  // A deferrable task waits for the coordinator, not for an agent: say what it waits for.
  if (t.deferrable && t.state === 'queued') return 'Waiting for its batch';
  if (t.deferrable && t.state === 'running') return 'In a batch';
  if (t.deferrable && t.state === 'paused' && t.pausedReason === 'budget') return 'Waiting for budget';
  if (t.state !== 'paused') return STATE_LABEL[t.state];
  return t.pausedReason === 'budget' ? 'Paused by the budget' : t.pausedReason === 'restart' ? 'Paused by a restart' : 'Paused';
}

/** Running and queued agents, busiest first; each with its step, tokens, cost and clock. */
export function TaskList({ tasks, runnerAvailable, transport }: { tasks: TaskRow[]; runnerAvailable: boolean; transport: 'ipc' | 'ws' }) {
  const { controlTask, finishTask, rateTask, retryTask, taskAnswer, pauseAll, seenAt, focusId } = useApp((s) => ({ controlTask: s.controlTask, finishTask: s.finishTask, rateTask: s.rateTask, retryTask: s.retryTask, taskAnswer: s.taskAnswer, pauseAll: s.pauseAll, seenAt: s.taskSeenAt, focusId: s.focus?.kind === 'task' ? s.focus.id : null }));
  const active = tasks.filter((t) => ACTIVE.includes(t.state));
  const recent = tasks.filter((t) => !ACTIVE.includes(t.state)).slice(-3);
  const shown = [...active.sort((a, b) => ORDER[a.state] - ORDER[b.state]), ...recent.reverse()];
  const running = active.filter((t) => t.state === 'running' || t.state === 'starting').length;
  const queued = active.filter((t) => t.state === 'queued').length;
  const now = useNow(running > 0);
  const [error, setError] = useState<string | null>(null);

  const act = async (id: string, action: TaskAction) => {
    const r = await controlTask(id, action);
    setError(r.ok ? null : r.error.message);
  };
  const finish = async (id: string, action: FinishAction) => {
    const r = await finishTask(id, action);
    setError(r.ok ? null : r.error.message);
  };
  const rate = async (id: string, good: boolean): Promise<boolean> => {
    const r = await rateTask(id, good);
    setError(r.ok ? null : r.error.message);
    return r.ok;
  };
  const retry = async (id: string) => {
    const r = await retryTask(id);
    setError(r.ok ? null : r.error.message);
  };

  return (
    <div className="tasks">
      <div className="list-head">
        <span className="muted" aria-live="polite">
          {active.length === 0 ? 'No agents at work' : `${running} running${queued ? ` · ${queued} queued` : ''}${active.length - running - queued ? ` · ${active.length - running - queued} paused` : ''}`}
        </span>
        {running + queued > 1 ? (
          <button type="button" className="btn btn-small" onClick={() => void pauseAll().then((r) => setError(r.ok ? null : r.error.message))}>
            Pause all
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {shown.length === 0 ? (
        <p className="empty-line">
          {!runnerAvailable ? (
            'This host does not run Sluice’s own agents; external agents show under Agents below.'
          ) : transport === 'ipc' ? (
            'Press the dispatch hotkey (⌘⇧Space) to start an agent, or point Claude Code at Sluice.'
          ) : (
            <>
              Start an agent with <code>sluice dispatch</code>, or point Claude Code at Sluice.
            </>
          )}
        </p>
      ) : (
        <ul className="rows" aria-label="Agents at work">
          {shown.map((t) => (
            <TaskItem key={t.id} task={t} focused={t.id === focusId} elapsed={t.elapsedMs + (t.state === 'running' ? Math.max(0, now - (seenAt[t.id] ?? now)) : 0)} onAction={act} onFinish={finish} onRate={rate} onRetry={runnerAvailable ? retry : null} onAnswer={taskAnswer} />
          ))}
        </ul>
      )}
    </div>
  );
}

const TaskItem = memo(function TaskItem({
  task: t,
  elapsed,
  onAction,
  onFinish,
  onRate,
  onRetry,
  onAnswer,
  focused,
}: {
  task: TaskRow;
  elapsed: number;
  onAction: (id: string, a: TaskAction) => void;
  onFinish: (id: string, a: FinishAction) => void;
  onRate: (id: string, good: boolean) => Promise<boolean>;
  /** Null when this host runs no agents (nothing could take the retry). */
  onRetry: ((id: string) => void) | null;
  onAnswer: (id: string) => Promise<Result<Answer>>;
  focused: boolean;
}) {
  const [rated, setRated] = useState<boolean | null>(null);
  const ref = useRef<HTMLLIElement>(null);
  // Discarding throws work away: the first click asks, the second does it.
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  useEffect(() => {
    if (!focused) return;
    ref.current?.scrollIntoView?.({ block: 'nearest' });
    ref.current?.focus();
  }, [focused]);
  const title = t.prompt.split('\n')[0] ?? t.prompt;
  // A deferrable task never pauses, resumes by itself, and cannot be taken out of a submitted batch.
  const canPause = !t.deferrable && (t.state === 'running' || t.state === 'queued' || t.state === 'starting');
  const canResume = t.state === 'paused' && !t.deferrable;
  const canCancel = ACTIVE.includes(t.state) && !(t.deferrable && t.state === 'running');
  // A retry is the user's verdict that the tier was not enough: only for cheaper tiers, once per task.
  const canRetry = onRetry !== null && !ACTIVE.includes(t.state) && (t.tier === 'fast' || t.tier === 'local') && !t.retriedBy;
  return (
    <li ref={ref} className={`row task task-${t.state}${focused ? ' focused' : ''}`} tabIndex={focused ? -1 : undefined} aria-current={focused ? 'true' : undefined}>
      <span className={`dot dot-${t.state}`} aria-hidden="true" />
      <div className="row-main">
        <div className="row-title" title={t.prompt}>
          <span className="visually-hidden">{pausedWhy(t)}: </span>
          {title}
        </div>
        <div className="row-meta">
          {t.model ? <span>{t.model}</span> : null}
          {t.deferrable ? <span className="chip" title="One request in a Message Batch at 50% off">batch</span> : null}
          {t.state === 'running' && t.currentStep ? <span className="step">{t.currentStep}</span> : t.state !== 'running' ? <span className={`state-word state-${t.state}`}>{pausedWhy(t)}</span> : null}
          {t.deferrable && t.state === 'queued' && t.currentStep ? <span className="step">{t.currentStep}</span> : null}
        </div>
        {t.state === 'queued' ? null : (
          <div className="row-figures">
            <span>{formatTokens(totalTokens(t))} tok</span>
            <span>{formatUsd(t.costMicros)}</span>
            <span>{formatElapsed(elapsed)}</span>
          </div>
        )}
        {t.error ? <div className="row-meta error-text">{t.error}</div> : null}
        {t.deferrable && t.state === 'done' ? <TaskAnswer id={t.id} title={title} load={onAnswer} /> : null}
        {t.retryOf || t.retriedBy || canRetry ? (
          <div className="row-meta task-retry">
            {t.retryOf ? (
              <span className="muted" title={t.routeReason ?? undefined}>
                Retry of <code>{t.retryOf}</code> on a stronger tier
              </span>
            ) : null}
            {t.retriedBy ? (
              <span className="muted">
                Retried on a stronger tier as <code>{t.retriedBy}</code>
              </span>
            ) : null}
            {canRetry ? (
              <button type="button" className="btn btn-small" aria-label={`Retry “${title}” on the strong tier`} title={`It ran on the ${t.tier} tier; run it again on the strong one`} onClick={() => onRetry?.(t.id)}>
                Retry on strong
              </button>
            ) : null}
          </div>
        ) : null}
        {t.contextFiles && t.contextFiles.length > 0 ? (
          <details className="row-meta task-context">
            <summary>
              Context: {formatTokens(t.contextTokens ?? 0)} tokens · {t.contextFiles.length} {t.contextFiles.length === 1 ? 'file' : 'files'}
            </summary>
            <ul aria-label={`Files in the context of “${title}”`}>
              {t.contextFiles.map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {t.state === 'done' || t.state === 'failed' ? (
          <div className="row-meta task-rating">
            {rated === null ? (
              <>
                <span className="muted">How did it go?</span>
                <button type="button" className="btn btn-small" aria-label={`“${title}” went well`} onClick={() => void onRate(t.id, true).then((ok) => ok && setRated(true))}>
                  Good
                </button>
                <button type="button" className="btn btn-small" aria-label={`“${title}” went badly`} onClick={() => void onRate(t.id, false).then((ok) => ok && setRated(false))}>
                  Not good
                </button>
              </>
            ) : (
              <span className="muted" role="status">
                Noted — the router learns from it.
              </span>
            )}
          </div>
        ) : null}
        {t.state === 'done' && t.branch ? (
          <div className="row-meta branch-actions">
            <span className="muted">
              Branch <code>{t.branch}</code>
            </span>
            <button type="button" className="btn btn-small" aria-label={`Merge the branch of “${title}”`} onClick={() => onFinish(t.id, 'merge')}>
              Merge
            </button>
            <button
              type="button"
              className="btn btn-small danger"
              aria-label={confirmDiscard ? `Really discard the branch of “${title}”` : `Discard the branch of “${title}”`}
              onClick={() => (confirmDiscard ? onFinish(t.id, 'discard') : setConfirmDiscard(true))}
              onBlur={() => setConfirmDiscard(false)}
            >
              {confirmDiscard ? 'Discard for good?' : 'Discard'}
            </button>
          </div>
        ) : null}
      </div>
      <div className="row-actions">
        {canPause ? (
          <button type="button" className="icon-btn" aria-label={`Pause “${title}”`} title="Pause" onClick={() => onAction(t.id, 'pause')}>
            <Icon name="pause" />
          </button>
        ) : null}
        {canResume ? (
          <button type="button" className="icon-btn" aria-label={`Resume “${title}”`} title="Resume" onClick={() => onAction(t.id, 'resume')}>
            <Icon name="play" />
          </button>
        ) : null}
        {canCancel ? (
          <button type="button" className="icon-btn danger" aria-label={`Cancel “${title}”`} title="Cancel" onClick={() => onAction(t.id, 'cancel')}>
            <Icon name="stop" />
          </button>
        ) : null}
      </div>
    </li>
  );
});
