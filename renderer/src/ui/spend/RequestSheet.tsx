import { useEffect, useRef } from 'react';
import type { RequestRow } from '../../../../shared/contract';
import type { Drill } from '../../state/store';
import { formatClock, formatTokens, formatUsd } from '../../format/format';
import { Icon } from '../common/Icon';
import { Empty, ErrorState, Loading } from '../common/States';

function promptTokens(r: RequestRow): number {
  return r.tokens.input + r.tokens.cacheRead + r.tokens.cacheWrite5m + r.tokens.cacheWrite1h;
}

/** The requests behind one bar, over the Spend view; Escape or Back returns to the charts. */
export function RequestSheet({ drill, onClose, timeZone }: { drill: Drill; onClose: () => void; timeZone: string | undefined }) {
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    back.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const rows = drill.rows.data;
  return (
    <section className="sheet" aria-label={`Requests: ${drill.title}`}>
      <header className="sheet-head">
        <button ref={back} type="button" className="link-btn back" onClick={onClose}>
          <Icon name="back" /> Spend
        </button>
        <h2 className="sheet-title">{drill.title}</h2>
        <span className="muted">{rows ? `${rows.length}${rows.length >= 200 ? '+' : ''} request${rows.length === 1 ? '' : 's'}` : ''}</span>
      </header>
      {rows === null ? (
        drill.rows.error ? (
          <ErrorState error={drill.rows.error} />
        ) : (
          <Loading label="Loading requests" />
        )
      ) : rows.length === 0 ? (
        <Empty title="No requests here" />
      ) : (
        <ul className="rows requests" aria-label="Requests, newest first">
          {rows.map((r) => (
            <li key={r.id} className={`row request status-${r.status}`}>
              <div className="row-main">
                <div className="row-title">
                  <span className="time">{formatClock(r.at, timeZone)}</span>
                  <span>{r.agent ?? 'unattributed'}</span>
                  <span className="muted">{r.modelUsed}</span>
                  {r.modelUsed !== r.modelRequested ? <span className="chip" title={r.routeReason}>from {r.modelRequested}</span> : null}
                  {r.priceFlag === 'unknown_model' ? <span className="chip chip-warning">no price</span> : null}
                  {r.status !== 'ok' ? <span className={`chip chip-${r.status}`}>{r.status}</span> : null}
                  {r.batch ? <span className="chip">batch</span> : null}
                </div>
                <div className="row-meta">
                  {formatTokens(promptTokens(r))} in{r.tokens.cacheRead ? ` (${formatTokens(r.tokens.cacheRead)} cached)` : ''} · {formatTokens(r.tokens.output)} out
                  {r.latencyMs !== null ? ` · ${(r.latencyMs / 1000).toFixed(1)} s` : ''}
                </div>
                {r.error ? <div className="row-meta error-text">{r.error}</div> : null}
              </div>
              <div className="row-amount">{formatUsd(r.costMicros)}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
