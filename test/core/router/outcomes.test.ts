import { describe, expect, it } from 'vitest';
import { OutcomeLearner } from '../../../electron/core/router/outcomes';
import { openLedger } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';

function learner(): { learner: OutcomeLearner; settings: SettingsStore } {
  const settings = new SettingsStore(openLedger(':memory:'), 'UTC');
  return { learner: new OutcomeLearner(settings), settings };
}

describe('OutcomeLearner: one verdict per task and tier', () => {
  it('lets a thumbs-down replace the automatic "finished", and a retry replace either, but not the other way round', () => {
    const { learner: l, settings } = learner();
    const base = { prompt: 'Rename the config loader', tier: 'weak' as const, at: 1, taskId: 't1' };
    expect(l.record({ ...base, succeeded: true, source: 'finished' })).toBe(true);
    expect(l.record({ ...base, succeeded: true, source: 'finished' })).toBe(false);
    expect(l.record({ ...base, succeeded: false, source: 'rating' })).toBe(true);
    expect(l.record({ ...base, succeeded: false, source: 'retry' })).toBe(true);
    // A later "finished" (an event replayed after a restart) or a thumbs-up cannot undo the retry.
    expect(l.record({ ...base, succeeded: true, source: 'finished' })).toBe(false);
    expect(l.record({ ...base, succeeded: true, source: 'rating' })).toBe(false);
    expect(l.count()).toBe(1);
    const kept = settings.getValue<{ succeeded: boolean; source: string }[]>('router.outcomes');
    expect(kept).toEqual([expect.objectContaining({ succeeded: false, source: 'retry', taskId: 't1' })]);
    // The strong tier of the same task is a separate outcome; outcomes without a task id just add up.
    expect(l.record({ ...base, tier: 'strong', succeeded: true, source: 'finished' })).toBe(true);
    expect(l.record({ prompt: 'x', tier: 'weak', succeeded: true, at: 2 })).toBe(true);
    expect(l.record({ prompt: 'x', tier: 'weak', succeeded: true, at: 3 })).toBe(true);
    expect(l.count()).toBe(4);
  });

  it('turns tasks that looked fine into failures of the weak tier once they are retried', () => {
    const { learner: l } = learner();
    const prompt = (i: number) => `Tidy the logging in service ${i}`;
    for (let i = 0; i < 6; i++) l.record({ prompt: prompt(i), tier: 'weak', succeeded: true, at: i, taskId: `t${i}`, source: 'finished' });
    const before = l.odds(prompt(99))?.weakCorrect ?? -1;
    for (let i = 0; i < 6; i++) l.record({ prompt: prompt(i), tier: 'weak', succeeded: false, at: i, taskId: `t${i}`, source: 'retry' });
    const after = l.odds(prompt(99))?.weakCorrect ?? -1;
    expect(l.count()).toBe(6);
    expect(before).toBeGreaterThan(0.5);
    expect(after).toBeLessThan(0.5);
  });
});
