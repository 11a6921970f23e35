import { describe, expect, it } from 'vitest';
import type { BudgetStatus, CoreEvent, Settings } from '../../../shared/contract';
import { defaultSettings } from '../../../shared/settings';
import { EventBus } from '../../../electron/core/events';
import { routeCoreEvents } from '../../../electron/main/core-events';
import { EVENT_CHANNEL } from '../../../electron/preload/channels';
import { FakeWebContents } from '../fakes';
import { budget } from '../rows';

function setup() {
  const bus = new EventBus();
  const pages = [new FakeWebContents(1), new FakeWebContents(2)];
  const spend: BudgetStatus[] = [];
  const notified: CoreEvent[] = [];
  const settings: Settings[] = [];
  const stop = routeCoreEvents({
    subscribe: (l) => bus.subscribe(l),
    pages: () => pages,
    showSpend: (b) => spend.push(b),
    notify: (e) => notified.push(e),
    settingsChanged: (s) => settings.push(s),
  });
  return { bus, pages, spend, notified, settings, stop };
}

describe('core events in the desktop app', () => {
  it('reach every open page on the event channel', () => {
    const { bus, pages } = setup();
    const event: CoreEvent = { type: 'models-changed' };
    bus.emit(event);
    for (const p of pages) expect(p.sent).toEqual([{ channel: EVENT_CHANNEL, args: [event] }]);
  });

  it('skip a page that has been destroyed', () => {
    const { bus, pages } = setup();
    pages[0]!.destroyed = true;
    bus.emit({ type: 'agents-changed' });
    expect(pages[0]!.sent).toEqual([]);
    expect(pages[1]!.sent).toHaveLength(1);
  });

  it('update the tray from spend and threshold events', () => {
    const { bus, spend } = setup();
    const b = budget({ spentMicros: 1_234_000 });
    bus.emit({ type: 'budget', budget: b });
    bus.emit({ type: 'threshold', percent: 80, budget: b });
    bus.emit({ type: 'models-changed' });
    expect(spend).toEqual([b, b]);
  });

  it('go to the notification rules, and settings to the hotkey', () => {
    const { bus, notified, settings } = setup();
    const s: Settings = { ...defaultSettings('UTC'), hasApiKey: true };
    bus.emit({ type: 'settings', settings: s });
    expect(settings).toEqual([s]);
    expect(notified).toEqual([{ type: 'settings', settings: s }]);
  });

  it('stop when unsubscribed', () => {
    const { bus, pages, stop } = setup();
    stop();
    bus.emit({ type: 'models-changed' });
    expect(pages[0]!.sent).toEqual([]);
  });
});
