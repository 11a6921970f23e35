import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { oneOf, parse, table } from '../args';
import { openCore } from '../context';
import type { ProjectRouting, Tier } from '../../../../shared/contract';
import { projectKey } from '../../../../shared/settings';
import { displayFolder } from '../../router/project-tier';

const USAGE = 'sluice projects [--json] | sluice projects tier DIR strong|fast|local|auto [--json]';
const TIERS = ['strong', 'fast', 'local', 'auto'] as const;

interface ProjectLine {
  folder: string;
  tier: Tier;
  /** A saved folder may have been moved or deleted since. */
  exists: boolean;
}

/**
 * The tier each project's tasks start on when a task asks for none (`auto` = read the task). A task's
 * own --tier or --model still wins. Kept in the ledger's routing settings, keyed by the real folder.
 */
export const projects: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, USAGE);
  const [sub, dir, tierWord, ...extra] = positionals;
  if (sub !== undefined && sub !== 'tier') throw new UsageError(`Unknown subcommand "${sub}". Usage: ${USAGE}`);
  if (sub === 'tier' && (dir === undefined || tierWord === undefined || extra.length > 0)) throw new UsageError(`Give one folder and one tier. Usage: ${USAGE}`);
  const tier = sub === 'tier' ? oneOf(tierWord, TIERS, 'The tier') : undefined;

  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    let changed: { folder: string; tier: Tier | null } | null = null;
    if (sub === 'tier' && dir !== undefined && tier !== undefined) {
      const saved = core.settings.get().routing.projects ?? {};
      const folder = folderFor(path.resolve(io.cwd, dir), saved, tier === 'auto');
      const next: Record<string, ProjectRouting> = { ...saved };
      if (tier === 'auto') delete next[folder];
      else next[folder] = { tier };
      const r = core.settings.update({ routing: { projects: next } });
      if (!r.ok) throw new UsageError(r.message);
      changed = { folder, tier: tier === 'auto' ? null : tier };
    }
    const list: ProjectLine[] = Object.entries(core.settings.get().routing.projects ?? {})
      .map(([folder, r]) => ({ folder, tier: r.tier, exists: fs.existsSync(folder) }))
      .sort((a, b) => a.folder.localeCompare(b.folder));
    if (values.json) {
      io.stdout(JSON.stringify(changed ? { ...changed, projects: list } : { projects: list }, null, 2) + '\n');
      return 0;
    }
    const home = os.homedir();
    const head = changed
      ? changed.tier
        ? `Tasks in ${displayFolder(changed.folder, home)} now start on the ${changed.tier} tier unless they ask for another.\n`
        : `Tasks in ${displayFolder(changed.folder, home)} are routed by what they say again.\n`
      : '';
    const body =
      list.length === 0
        ? 'No project tiers: every task is routed by what it says.\n'
        : 'Project tiers (for tasks that ask for no tier or model):\n' +
          table(list.map((p) => [`  ${displayFolder(p.folder, home)}`, p.tier, p.exists ? '' : '(folder missing)']));
    io.stdout(head + body + (changed ? '' : 'Set one with `sluice projects tier DIR strong|fast|local|auto`.\n'));
    return 0;
  } finally {
    core.close();
  }
};

/** The key to set or clear: a saved entry as typed, else the folder's real path (which must exist). */
function folderFor(dir: string, saved: Record<string, ProjectRouting>, clearing: boolean): string {
  if (clearing && saved[projectKey(dir)]) return projectKey(dir);
  try {
    const real = fs.realpathSync(dir);
    if (!fs.statSync(real).isDirectory()) throw new Error('not a folder');
    return real;
  } catch {
    throw new UsageError(`No such project folder: ${dir}`);
  }
}
