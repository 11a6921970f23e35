import path from 'node:path';
import fs from 'node:fs';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse } from '../args';
import { openCore } from '../context';
import { PERMISSIONS_KEY } from '../../runner/runner';
import { DEFAULT_COMMANDS } from '../../runner/permissions/commands';
import type { ProjectPermissions } from '../../runner/permissions/policy';

const USAGE = 'sluice permissions [--project DIR] [--allow "cmd prefix"]... [--disallow "cmd prefix"]... [--web on|off] [--json]';

/**
 * What Sluice's agents may do in a project beyond editing inside their worktree: extra shell command
 * prefixes and web access. Kept in the ledger, never in the repository, where an agent could edit it.
 */
export const permissions: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    { project: { type: 'string' }, allow: { type: 'string', multiple: true }, disallow: { type: 'string', multiple: true }, web: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    USAGE,
  );
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}". Usage: ${USAGE}`);
  if (values.web !== undefined && values.web !== 'on' && values.web !== 'off') throw new UsageError('--web must be on or off.');
  const dir = path.resolve(io.cwd, values.project ?? '.');
  let project: string;
  try {
    project = fs.realpathSync(dir);
    if (!fs.statSync(project).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new UsageError(`No such project folder: ${dir}`);
  }
  for (const c of [...(values.allow ?? []), ...(values.disallow ?? [])]) {
    if (c.trim() === '' || /[;&|`$<>]/.test(c)) throw new UsageError(`"${c}" is not a command prefix (plain words only, no shell operators).`);
  }
  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    const all = core.settings.getValue<Record<string, ProjectPermissions>>(PERMISSIONS_KEY) ?? {};
    const mine: ProjectPermissions = { ...(all[project] ?? {}) };
    const changed = Boolean(values.allow?.length || values.disallow?.length || values.web);
    if (changed) {
      const set = new Set(mine.commands ?? []);
      for (const c of values.allow ?? []) set.add(c.trim().replace(/\s+/g, ' '));
      for (const c of values.disallow ?? []) set.delete(c.trim().replace(/\s+/g, ' '));
      mine.commands = [...set].sort();
      if (values.web) mine.web = values.web === 'on';
      core.settings.setValue(PERMISSIONS_KEY, { ...all, [project]: mine });
    }
    const extra = mine.commands ?? [];
    if (values.json) {
      io.stdout(JSON.stringify({ project, defaults: DEFAULT_COMMANDS, allowed: extra, web: mine.web ?? false }, null, 2) + '\n');
      return 0;
    }
    io.stdout(
      `Agents in ${project} may edit inside their worktree and run:\n` +
        `  by default: ${DEFAULT_COMMANDS.join(', ')}\n` +
        `  for this project: ${extra.length ? extra.join(', ') : '(nothing more)'}\n` +
        `  web access: ${mine.web ? 'on' : 'off'}\n` +
        'Anything else is refused, and the reason is shown on the task.\n',
    );
    return 0;
  } finally {
    core.close();
  }
};
