import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../shared/contract';
import { EMPTY_NOTICE_MEMORY, noticeFor, type Notice, type NoticeMemory } from '../../../electron/main/notices';
import { budget, task } from '../rows';

/** Feeds events through the rules the way the notifier does, collecting what would be shown. */
function run(events: CoreEvent[], memory: NoticeMemory = EMPTY_NOTICE_MEMORY): { shown: Notice[]; memory: NoticeMemory } {
  const shown: Notice[] = [];
  for (const e of events) {
    const r = noticeFor(e, memory);
    memory = r.memory;
    if (r.notice) shown.push(r.notice);
  }
  return { shown, memory };
}

const threshold = (percent: number, day = '2026-11-28', o: Parameters<typeof budget>[0] = {}): CoreEvent => ({ type: 'threshold', percent, budget: budget({ day, ...o }) });

describe('budget notifications', () => {
  it('announces a threshold with what was spent of what', () => {
    const { shown } = run([threshold(80)]);
    expect(shown).toEqual([{ key: 'threshold:2026-11-28:80', title: "80% of today's budget spent", body: '$8.10 of $10.00 spent today.', focus: { kind: 'budget' } }]);
  });

  it('announces each threshold once per budget day', () => {
    const { shown } = run([threshold(50), threshold(80), threshold(80), threshold(50)]);
    expect(shown.map((n) => n.key)).toEqual(['threshold:2026-11-28:50', 'threshold:2026-11-28:80']);
  });

  it('announces the same threshold again on the next budget day', () => {
    const { shown } = run([threshold(80), threshold(80, '2026-11-29')]);
    expect(shown.map((n) => n.key)).toEqual(['threshold:2026-11-28:80', 'threshold:2026-11-29:80']);
  });

  it('says what happens next when the budget is used up', () => {
    const refuse = run([threshold(100, '2026-11-28', { spentMicros: 10_000_000, policy: 'reject' })]).shown[0];
    expect(refuse?.title).toBe("Today's budget is used up");
    expect(refuse?.body).toBe('$10.00 of $10.00 spent today. New requests are refused until the budget resets.');
    expect(run([threshold(100, '2026-11-28', { policy: 'downgrade' })]).shown[0]?.body).toContain('cheaper model');
    expect(run([threshold(100, '2026-11-28', { policy: 'queue' })]).shown[0]?.body).toContain('waits');
  });

  it('ignores spend updates that cross nothing', () => {
    expect(run([{ type: 'budget', budget: budget() }]).shown).toEqual([]);
  });
});

describe('task notifications', () => {
  const ev = (o: Parameters<typeof task>[0]): CoreEvent => ({ type: 'task', task: task(o) });

  it('announces a finished task once, with its cost, opening the popover on it', () => {
    const { shown } = run([ev({ state: 'running' }), ev({ state: 'done' }), ev({ state: 'done' })]);
    expect(shown).toEqual([{ key: 'task:task-1:done', title: 'Task done', body: 'Fix the flaky login test ($0.42)', focus: { kind: 'task', id: 'task-1' } }]);
  });

  it('announces a failed task with the reason', () => {
    const { shown } = run([ev({ state: 'failed', error: 'The model refused the tool call.' })]);
    expect(shown[0]).toMatchObject({ title: 'Task failed', body: 'Fix the flaky login test: The model refused the tool call.' });
  });

  it('announces a task paused for budget, but not one the user paused', () => {
    const { shown } = run([ev({ id: 'a', state: 'paused', pausedReason: 'user' }), ev({ id: 'b', state: 'paused', pausedReason: 'budget' })]);
    expect(shown.map((n) => n.key)).toEqual(['task:b:paused:budget']);
  });

  it('announces a second pause for budget after the task resumed', () => {
    const { shown } = run([
      ev({ state: 'paused', pausedReason: 'budget' }),
      ev({ state: 'running' }),
      ev({ state: 'paused', pausedReason: 'budget' }),
    ]);
    expect(shown).toHaveLength(2);
  });

  it('says nothing about progress', () => {
    const { shown } = run([ev({ state: 'queued' }), ev({ state: 'running', turns: 4 }), ev({ state: 'running', turns: 5 }), ev({ state: 'cancelled' })]);
    expect(shown).toEqual([]);
  });

  it('shortens a long task prompt to one line', () => {
    const { shown } = run([ev({ state: 'done', prompt: `Refactor\n\n${'the billing module '.repeat(10)}` })]);
    expect(shown[0]!.body.length).toBeLessThan(100);
    expect(shown[0]!.body).not.toContain('\n');
    expect(shown[0]!.body).toContain('…');
  });

  it('remembers a bounded number of tasks', () => {
    const events = Array.from({ length: 1500 }, (_, i) => ev({ id: `t${i}`, state: 'running' }));
    expect(run(events).memory.tasks.size).toBe(1000);
  });

  it('never changes the memory it was given', () => {
    const before = run([threshold(50)]).memory;
    const snapshot = JSON.stringify({ ...before, tasks: [...before.tasks] });
    noticeFor(threshold(80), before);
    noticeFor(ev({ state: 'done' }), before);
    expect(JSON.stringify({ ...before, tasks: [...before.tasks] })).toBe(snapshot);
  });
});
