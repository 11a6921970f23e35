import { describe, expect, it } from 'vitest';
import { classifyTask, filesMentioned } from '../../../electron/core/router/task-tier';
import { OutcomeLearner } from '../../../electron/core/router/outcomes';
import { openLedger } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';

describe('classifyTask', () => {
  it('sends mechanical work to the local tier when there is one, else to the fast tier', () => {
    expect(classifyTask({ prompt: 'Format the code in src/ with prettier', localAvailable: true })).toEqual({ tier: 'local', kind: 'mechanical', reason: 'local: formatting task, no reasoning needed' });
    expect(classifyTask({ prompt: 'Rename getUser to fetchUser everywhere', localAvailable: false })).toMatchObject({ tier: 'fast', reason: 'fast: rename, no reasoning needed' });
    expect(classifyTask({ prompt: 'Run the tests and report what fails', localAvailable: false }).tier).toBe('fast');
    expect(classifyTask({ prompt: 'Fix the lint errors', localAvailable: false }).tier).toBe('fast');
  });
  it('keeps design, debugging and multi-file changes on the strong tier, saying why', () => {
    expect(classifyTask({ prompt: 'Debug why the budget test is flaky around midnight', localAvailable: true })).toMatchObject({ tier: 'strong', reason: 'strong: debugging' });
    expect(classifyTask({ prompt: 'Design a plugin system for providers', localAvailable: true }).reason).toBe('strong: design work');
    const many = classifyTask({ prompt: 'Update a.ts, b.ts, c.ts, d.ts and e.ts to the new API', localAvailable: true });
    expect(many).toMatchObject({ tier: 'strong', reason: 'strong: multi-file change, 5 files in play' });
    expect(classifyTask({ prompt: 'Rename the module, then investigate the crash it causes', localAvailable: true }).tier).toBe('strong');
  });
  it('defaults to strong when unsure, unless outcomes taught that such tasks succeed on the fast tier', () => {
    expect(classifyTask({ prompt: 'Tidy up the README', localAvailable: false })).toMatchObject({ tier: 'strong', kind: 'unclear' });
    const learned = { weakCorrect: 0.9, strongCorrect: 0.93, outcomes: 40 };
    expect(classifyTask({ prompt: 'Tidy up the README', localAvailable: false, learned })).toMatchObject({ tier: 'fast', reason: 'fast: similar tasks succeeded on the fast tier (90% of the time)' });
    expect(classifyTask({ prompt: 'Tidy up the README', localAvailable: false, learned: { ...learned, outcomes: 5 } }).tier).toBe('strong');
  });
  it('counts file paths a task names', () => {
    expect(filesMentioned('Look at src/a.ts and `lib/b.py`, then README.md; src/a.ts again')).toBe(3);
  });
});

describe('OutcomeLearner', () => {
  it('learns from outcomes that docs tasks succeed on the weak tier and refactors need the strong one, and keeps them in the ledger', () => {
    const db = openLedger(':memory:');
    const settings = new SettingsStore(db, 'UTC');
    const learner = new OutcomeLearner(settings);
    const docs = (i: number) => `Update the documentation page ${i} with the new option names`;
    const hard = (i: number) => `Untangle the cyclic dependency between scheduler ${i} and the worker pool`;
    for (let i = 0; i < 30; i++) {
      learner.record({ prompt: docs(i), tier: 'weak', succeeded: true, at: i });
      learner.record({ prompt: hard(i), tier: 'weak', succeeded: false, at: i });
      learner.record({ prompt: hard(i), tier: 'strong', succeeded: true, at: i });
    }
    const easy = learner.odds(docs(99));
    const tough = learner.odds(hard(99));
    expect(easy && tough).toBeTruthy();
    expect(easy!.weakCorrect).toBeGreaterThan(0.5);
    expect(tough!.weakCorrect).toBeLessThan(0.5);
    expect(easy!.weakCorrect).toBeGreaterThan(tough!.weakCorrect + 0.2);
    expect(new OutcomeLearner(settings).count()).toBe(90);
  });
});
