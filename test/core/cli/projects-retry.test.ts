import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLedger } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';
import { TaskStore } from '../../../electron/core/runner/task-store';
import { runSluice, type CliResult } from '../../support/cli';

let dataDir: string;
let project: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-routing-'));
  project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-project-')));
});
afterEach(() => {
  for (const d of [dataDir, project]) fs.rmSync(d, { recursive: true, force: true });
});

const cli = (args: string[], cwd = project): Promise<CliResult> => runSluice({ dataDir, args, cwd });

/** Another process's view of the ledger, as the host would change it. */
function ledger<T>(f: (store: TaskStore, settings: SettingsStore) => T): T {
  const db = openLedger(dataDir);
  try {
    return f(new TaskStore(db, () => Date.now()), new SettingsStore(db, 'UTC'));
  } finally {
    db.close();
  }
}

describe('sluice projects', () => {
  it('sets, lists and clears a project’s tier, and dispatch follows it unless the task asks for a tier', async () => {
    expect((await cli(['projects'])).out).toContain('No project tiers');
    const set = await cli(['projects', 'tier', '.', 'fast']);
    expect(set.code).toBe(0);
    expect(set.out).toContain('now start on the fast tier');
    const listed = JSON.parse((await cli(['projects', '--json'])).out) as { projects: { folder: string; tier: string; exists: boolean }[] };
    expect(listed.projects).toEqual([{ folder: project, tier: 'fast', exists: true }]);

    const auto = JSON.parse((await cli(['dispatch', 'Debug the crash in the scheduler', '--json'])).out) as { tier: string; routeReason: string };
    expect(auto.tier).toBe('fast');
    expect(auto.routeReason).toMatch(/^fast: project override \(.*sluice-cli-project-.*\)$/);
    const own = JSON.parse((await cli(['dispatch', 'Debug the crash in the scheduler', '--tier', 'strong', '--json'])).out) as { tier: string };
    expect(own.tier).toBe('strong');

    const cleared = JSON.parse((await cli(['projects', 'tier', project, 'auto', '--json'])).out) as { folder: string; tier: string | null; projects: unknown[] };
    expect(cleared).toEqual({ folder: project, tier: null, projects: [] });
    expect(ledger((_, s) => s.get().routing.projects)).toEqual({});
  });

  it('exits 2 with one line for a missing folder, an unknown tier, or local with no local model', async () => {
    for (const args of [['projects', 'tier', '/definitely/not/here', 'strong'], ['projects', 'tier', '.', 'turbo'], ['projects', 'tier', '.', 'local'], ['projects', 'tier', '.'], ['projects', 'list']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect((await cli(['projects', 'tier', '/definitely/not/here', 'strong'])).err).toContain('No such project folder');
    expect((await cli(['projects', 'tier', '.', 'local'])).err).toContain('no local model is set');
    expect(ledger((_, s) => s.get().routing.projects ?? {})).toEqual({});
  });
});

describe('sluice retry', () => {
  it('queues a finished fast-tier task again on the strong tier, linked, and ps shows the link', async () => {
    const first = JSON.parse((await cli(['dispatch', 'Rename getUser to fetchUser', '--tier', 'fast', '--json'])).out) as { id: string };
    expect((await cli(['retry', first.id])).code).toBe(1);
    ledger((store) => store.update(first.id, { state: 'failed', finishedAt: new Date().toISOString() }));

    const r = await cli(['retry', first.id.slice(0, 6)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Queued (t[0-9a-f]{10}) on the strong tier \\(.+\\), a retry of ${first.id}\\.`));
    const retryId = /^Queued (t[0-9a-f]{10})/.exec(r.out)?.[1] as string;
    expect(ledger((store) => store.get(retryId))).toMatchObject({ tier: 'strong', retryOf: first.id, prompt: 'Rename getUser to fetchUser', project });
    expect(ledger((_, s) => s.getValue<{ taskId: string; succeeded: boolean }[]>('router.outcomes'))).toEqual([expect.objectContaining({ taskId: first.id, tier: 'weak', succeeded: false, source: 'retry' })]);

    expect((await cli(['ps', first.id])).out).toContain(`Retried:  as ${retryId}`);
    expect((await cli(['ps', retryId])).out).toContain(`Retry of: ${first.id}`);
    const json = JSON.parse((await cli(['retry', first.id, '--json'])).out) as { retryOf: string; tier: string };
    expect(json).toMatchObject({ retryOf: first.id, tier: 'strong' });
    // Retried twice, learned once.
    expect(ledger((_, s) => s.getValue<unknown[]>('router.outcomes'))).toHaveLength(1);
  });

  it('exits 2 for an unknown task or a tier that is not stronger', async () => {
    const t = JSON.parse((await cli(['dispatch', 'Fix the typo', '--tier', 'fast', '--json'])).out) as { id: string };
    ledger((store) => store.update(t.id, { state: 'done', finishedAt: new Date().toISOString() }));
    for (const args of [['retry', 'tnothere'], ['retry', t.id, '--tier', 'fast'], ['retry', t.id, '--tier', 'local'], ['retry']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
