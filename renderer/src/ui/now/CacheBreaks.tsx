import type { CacheBreak } from '../../state/store';
import { Icon } from '../common/Icon';

/** Sessions that just lost their prompt cache pay full price for their context again; worth a glance. */
export function CacheBreaks({ breaks, onDismiss }: { breaks: CacheBreak[]; onDismiss: () => void }) {
  if (breaks.length === 0) return null;
  return (
    <div className="warning-block" role="status">
      {breaks.map((b) => (
        <p key={`${b.session}-${b.at}`} className="warning-line">
          <Icon name="warning" />
          <span>{b.message}</span>
        </p>
      ))}
      <button type="button" className="link-btn" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
