import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/services';
import { configFromEnv } from '../../../electron/core/config/config';
import { runSluice, type CliResult } from '../../support/cli';

const cli = (dataDir: string, args: string[], cwd: string): Promise<CliResult> => runSluice({ dataDir, args, cwd });

describe('sluice dispatch --deferrable', () => {
  let dataDir: string;
  let project: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-deferrable-'));
    project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-deferrable-project-')));
  });
  afterAll(() => {
    for (const d of [dataDir, project]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('queues a deferrable task and says how it will go', async () => {
    const r = await cli(dataDir, ['dispatch', 'Write docstrings for src/', '--deferrable', '--tier', 'fast'], project);
    expect(r).toMatchObject({ code: 0, err: '' });
    const [first, second, third] = r.out.split('\n');
    expect(first).toMatch(new RegExp(`^Queued t[0-9a-f]{10} as a deferrable task: one request to claude-haiku-5-5 in a Message Batch at 50% off \\(${project}\\)\\.$`));
    expect(second).toBe('It is submitted at once; the answer comes within 24 h.');
    expect(third).toMatch(/No Sluice host is running/);

    const json = JSON.parse((await cli(dataDir, ['dispatch', 'Summarise the README', '--deferrable', '--json'], project)).out) as Record<string, unknown>;
    expect(json).toMatchObject({ state: 'queued', deferrable: true, project, branch: null });
    const ps = await cli(dataDir, ['ps', String(json.id)], project);
    expect(ps.out).toContain('Batch:    deferrable');
  });

  it('says when an off-peak window holds it back', async () => {
    // A window two hours from now (the CLI reads the real clock), so it is closed whenever this runs.
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const offPeak = { start: hhmm(Date.now() + 2 * 3_600_000), end: hhmm(Date.now() + 3 * 3_600_000) };
    const core = createCore({ config: { ...configFromEnv({ SLUICE_DATA_DIR: dataDir }), dataDir }, env: {}, defaultTimeZone: 'UTC' });
    core.settings.update({ offPeak, timeZone: 'UTC' });
    core.close();
    const r = await cli(dataDir, ['dispatch', 'Summarise the CHANGELOG', '--deferrable'], project);
    expect(r.out.split('\n')[1]).toBe(`It is submitted in the off-peak window ${offPeak.start}–${offPeak.end} (UTC); the answer comes within 24 h of that.`);
    const core2 = createCore({ config: { ...configFromEnv({ SLUICE_DATA_DIR: dataDir }), dataDir }, env: {}, defaultTimeZone: 'UTC' });
    core2.settings.update({ offPeak: null });
    core2.close();
  });

  it('refuses flags that make no sense for it: one line, exit 2, nothing queued', async () => {
    const before = JSON.parse((await cli(dataDir, ['ps', '--all', '--json'], project)).out) as unknown[];
    const cases: [string[], RegExp][] = [
      [['--in-place'], /^sluice dispatch: --deferrable and --in-place do not go together: .+\n$/],
      [['--tier', 'local'], /^sluice dispatch: --deferrable and --tier local do not go together: .+\n$/],
      [['--model', 'ollama/qwen3-coder:30b'], /^sluice dispatch: A deferrable task runs in an Anthropic message batch, not on a local model: .+\n$/],
    ];
    for (const [flags, message] of cases) {
      const r = await cli(dataDir, ['dispatch', 'Rename foo', '--deferrable', ...flags], project);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
      expect(r.err.split('\n')).toHaveLength(2);
    }
    const after = JSON.parse((await cli(dataDir, ['ps', '--all', '--json'], project)).out) as unknown[];
    expect(after).toHaveLength(before.length);
  });
});
