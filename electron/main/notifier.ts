import type { CoreEvent } from '../../shared/contract';
import type { Logger } from '../core/log';
import { EMPTY_NOTICE_MEMORY, noticeFor, type NoticeMemory } from './notices';
import type { Focus } from './renderer-url';

export interface NotificationPort {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface NotifierDeps {
  /** `new Notification(options)` in the app; a fake in tests. */
  create(options: { title: string; body: string; silent?: boolean }): NotificationPort;
  isSupported(): boolean;
  /** Opens the popover on the item the notification is about. */
  open(focus: Focus | null): void;
  log: Logger;
}

/** Turns core events into native notifications by the rules in notices.ts. */
export function createNotifier(deps: NotifierDeps) {
  let memory: NoticeMemory = EMPTY_NOTICE_MEMORY;
  // Held until clicked or closed: a notification garbage-collected early loses its click handler.
  const live = new Set<NotificationPort>();

  function show(title: string, body: string, focus: Focus | null): void {
    if (!deps.isSupported()) {
      deps.log.log('info', 'notification (not supported here)', { title, body });
      return;
    }
    const n = deps.create({ title, body });
    live.add(n);
    n.on('click', () => {
      live.delete(n);
      deps.open(focus);
    });
    n.on('close', () => live.delete(n));
    n.show();
  }

  return {
    onEvent(event: CoreEvent): void {
      const decided = noticeFor(event, memory);
      memory = decided.memory;
      if (decided.notice) show(decided.notice.title, decided.notice.body, decided.notice.focus);
    },
    /** A message from the shell itself (a hotkey another app holds, a busy port). */
    message(title: string, body: string): void {
      show(title, body, null);
    },
    pending(): number {
      return live.size;
    },
  };
}
