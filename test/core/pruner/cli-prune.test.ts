import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prune } from '../../../electron/core/cli/commands/prune';
import { UsageError, type CliIo } from '../../../electron/core/cli/io';
import { countTokens } from '../../../electron/core/pruner/tokens';
import { makeRepo, SAMPLE_PROJECT, type TempRepo } from './temp-repo';

let repo: TempRepo;
beforeAll(() => {
  repo = makeRepo(SAMPLE_PROJECT);
});
afterAll(() => repo.cleanup());

function io(stdin: string): CliIo & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    stdout: (t) => out.push(t),
    stderr: () => undefined,
    readStdin: async () => stdin,
    env: { SLUICE_DATA_DIR: repo.dataDir },
    cwd: path.dirname(repo.root),
  };
}

const TASK = 'parseDate rejects single-digit months';

describe('sluice prune', () => {
  it('prints the brief exactly as the agent receives it', async () => {
    const a = io(TASK);
    expect(await prune(['--repo', 'repo', '--budget', '1500'], a)).toBe(0);
    const j = io(TASK);
    await prune(['--repo', 'repo', '--budget', '1500', '--json'], j);
    const json = JSON.parse(j.out.join('')) as { brief: string };
    expect(a.out.join('')).toBe(json.brief);
  });

  it('prints {files, totalTokens, brief} with --json, paths relative to the repository', async () => {
    const j = io(TASK);
    await prune(['--repo', repo.root, '--json', '--budget', '2000'], j);
    const parsed = JSON.parse(j.out.join('')) as { files: Array<{ path: string; mode: string; tokens: number }>; totalTokens: number; brief: string };
    expect(Object.keys(parsed)).toEqual(['files', 'totalTokens', 'brief']);
    expect(parsed.files[0]).toEqual({ path: 'src/parser.ts', mode: 'whole', tokens: expect.any(Number) });
    expect(parsed.totalTokens).toBe(countTokens(parsed.brief));
    expect(parsed.totalTokens).toBeLessThanOrEqual(2000);
  });

  it.each([
    [['--budget', '100'], TASK, /--repo DIR is required/],
    [['--repo', 'no-such-dir'], TASK, /no such folder "no-such-dir"/],
    [['--repo', 'repo/package.json'], TASK, /is not a folder/],
    [['--repo', 'repo', '--budget', '0'], TASK, /--budget must be a positive whole number/],
    [['--repo', 'repo', '--budget', '-5'], TASK, /--budget/],
    [['--repo', 'repo', '--budget', '2.5'], TASK, /--budget must be a positive whole number/],
    [['--repo', 'repo', '--budget', 'lots'], TASK, /--budget must be a positive whole number/],
    [['--repo', 'repo'], '  \n ', /task is empty/],
    [['--repo', 'repo', 'extra'], TASK, /Unexpected argument "extra"/],
    [['--repo', 'repo', '--verbose'], TASK, /Unknown option/],
  ])('refuses %j with a one-line usage error', async (args, stdin, message) => {
    const err = await prune(args, io(stdin)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});
