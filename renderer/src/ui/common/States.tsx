import type { ContractError } from '../../../../shared/contract';
import type { ReactNode } from 'react';
import { Icon } from './Icon';

/** Grey placeholder rows while the first answer is on its way (later reloads keep the old data up). */
export function Loading({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" aria-hidden="true" style={{ width: `${88 - i * 17}%` }} />
      ))}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = 'Something went wrong' }: { error: ContractError; onRetry?: () => void; title?: string }) {
  return (
    <div className="state state-error" role="alert">
      <Icon name="warning" size={18} />
      <div>
        <p className="state-title">{title}</p>
        <p className="state-body">{error.message}</p>
        {onRetry ? (
          <button type="button" className="btn btn-small" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <p className="state-body">{children}</p> : null}
    </div>
  );
}
