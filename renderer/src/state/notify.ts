import { formatUsd } from '../../../shared/money';
import type { BudgetStatus } from '../../../shared/contract';

export interface Notice {
  title: string;
  body: string;
  /** Same tag = the same notice; the system shows it once. */
  tag: string;
}

export type Notify = (notice: Notice) => void;

/** The words for "spend crossed a threshold", the same in the browser and (via main) on macOS. */
export function thresholdNotice(percent: number, budget: BudgetStatus): Notice {
  const spent = formatUsd(budget.spentMicros);
  const limit = budget.limitMicros === null ? '' : ` of ${formatUsd(budget.limitMicros)}`;
  const resets = new Date(budget.resetsAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const held = { reject: 'refused', queue: 'held back', downgrade: 'sent to a cheaper model' }[budget.policy];
  const tail = percent >= 100 ? `New requests are ${held} until it resets at ${resets}.` : `It resets at ${resets}.`;
  return {
    title: percent >= 100 ? 'Today’s budget is spent' : `${percent}% of today’s budget used`,
    body: `${spent}${limit} spent today. ${tail}`,
    tag: `sluice-threshold-${budget.day}-${percent}`,
  };
}

/** Notifications in a browser tab: the Notification API, only once the user has allowed it. */
export function browserNotifier(N: typeof Notification | undefined): Notify | undefined {
  if (!N) return undefined;
  return (n) => {
    if (N.permission !== 'granted') return;
    try {
      new N(n.title, { body: n.body, tag: n.tag });
    } catch {
      // Some browsers allow notifications only from a service worker; the in-app banner still shows.
    }
  };
}
