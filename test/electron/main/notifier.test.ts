import { describe, expect, it } from 'vitest';
import { createNotifier, type NotificationPort } from '../../../electron/main/notifier';
import type { Focus } from '../../../electron/main/renderer-url';
import { silentLogger } from '../../../electron/core/log';
import { Emitter } from '../fakes';
import { budget, task } from '../rows';

class FakeNotification extends Emitter implements NotificationPort {
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    this.shown = true;
  }
}

function setup(supported = true) {
  const made: FakeNotification[] = [];
  const opened: (Focus | null)[] = [];
  const notifier = createNotifier({
    create: (o) => {
      const n = new FakeNotification(o);
      made.push(n);
      return n;
    },
    isSupported: () => supported,
    open: (focus) => opened.push(focus),
    log: silentLogger,
  });
  return { notifier, made, opened };
}

describe('native notifications', () => {
  it('shows a notification for a crossed threshold', () => {
    const { notifier, made } = setup();
    notifier.onEvent({ type: 'threshold', percent: 80, budget: budget() });
    expect(made.map((n) => [n.options.title, n.shown])).toEqual([["80% of today's budget spent", true]]);
  });

  it('opens the popover on the task when its notification is clicked', () => {
    const { notifier, made, opened } = setup();
    notifier.onEvent({ type: 'task', task: task({ id: 'abc', state: 'failed', error: 'boom' }) });
    made[0]!.emitWith('click');
    expect(opened).toEqual([{ kind: 'task', id: 'abc' }]);
  });

  it('holds each notification until it is clicked or closed, so its click is not lost', () => {
    const { notifier, made } = setup();
    notifier.onEvent({ type: 'threshold', percent: 50, budget: budget() });
    notifier.onEvent({ type: 'threshold', percent: 80, budget: budget() });
    expect(notifier.pending()).toBe(2);
    made[0]!.emitWith('close');
    made[1]!.emitWith('click');
    expect(notifier.pending()).toBe(0);
  });

  it('shows nothing where the system has no notifications', () => {
    const { notifier, made } = setup(false);
    notifier.onEvent({ type: 'threshold', percent: 80, budget: budget() });
    notifier.message('Dispatch shortcut unavailable', 'Another app is already using ⌘⇧Space.');
    expect(made).toEqual([]);
  });

  it('shows the shell own messages, opening the popover when clicked', () => {
    const { notifier, made, opened } = setup();
    notifier.message('Gateway not started', 'Port 4680 is in use.');
    made[0]!.emitWith('click');
    expect(made[0]!.options).toEqual({ title: 'Gateway not started', body: 'Port 4680 is in use.' });
    expect(opened).toEqual([null]);
  });
});
