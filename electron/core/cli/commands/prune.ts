import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDataDir } from '../../config/paths';
import { buildBrief } from '../../pruner/brief/build-brief';
import { parse, positiveInt } from '../args';
import type { CliCommand } from '../io';
import { UsageError } from '../io';

const USAGE = 'sluice prune --repo DIR [--budget N] [--json] [--data-dir DIR]  (task text on standard input)';

function readableFolder(dir: string, given: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new UsageError(`--repo: no such folder "${given}".`);
  }
  if (!st.isDirectory()) throw new UsageError(`--repo: "${given}" is not a folder.`);
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
    fs.readdirSync(dir);
  } catch {
    throw new UsageError(`--repo: cannot read folder "${given}" (permission denied).`);
  }
}

/**
 * `sluice prune`: the context brief for the task on stdin, as the agent would receive it,
 * or with `--json` as {files, totalTokens, brief}.
 */
export const prune: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    {
      repo: { type: 'string' },
      budget: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}": the task goes on standard input. Usage: ${USAGE}`);
  if (values.repo === undefined || values.repo.trim() === '') throw new UsageError(`--repo DIR is required. Usage: ${USAGE}`);
  const repo = path.resolve(io.cwd, values.repo);
  readableFolder(repo, values.repo);
  const budget = positiveInt(values.budget, '--budget');
  const task = await io.readStdin();
  if (task.trim() === '') throw new UsageError('The task is empty: pipe the task text on standard input, e.g. echo "fix the date parser" | sluice prune --repo .');
  const dataDir = values['data-dir'] ? path.resolve(io.cwd, values['data-dir']) : resolveDataDir({ env: io.env, platform: process.platform, homedir: os.homedir() });

  const brief = await buildBrief({ repo, task, budgetTokens: budget, dataDir });
  if (values.json) {
    io.stdout(`${JSON.stringify({ files: brief.files, totalTokens: brief.totalTokens, brief: brief.brief })}\n`);
  } else {
    io.stdout(brief.brief);
  }
  return 0;
};
