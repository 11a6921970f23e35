import type { BudgetStatus, CoreEvent, Settings } from '../../shared/contract';
import { EVENT_CHANNEL } from '../preload/channels';
import type { WebContentsPort } from './ports';

/**
 * Where the core's events go in the desktop app: every open page (which batches its own renders),
 * the tray title, the notification rules, and the hotkey when settings change.
 */
export function routeCoreEvents(o: {
  subscribe(listener: (event: CoreEvent) => void): () => void;
  pages(): WebContentsPort[];
  showSpend(budget: BudgetStatus): void;
  notify(event: CoreEvent): void;
  settingsChanged(settings: Settings): void;
}): () => void {
  return o.subscribe((event) => {
    for (const page of o.pages()) if (!page.isDestroyed()) page.send(EVENT_CHANNEL, event);
    if (event.type === 'budget' || event.type === 'threshold') o.showSpend(event.budget);
    if (event.type === 'settings') o.settingsChanged(event.settings);
    o.notify(event);
  });
}
