import type { ProjectRouting, Tier } from '../../../shared/contract';
import { projectKey } from '../../../shared/settings';

export interface ProjectOverride {
  /** The folder the override was set on (the project itself or one of its parents). */
  folder: string;
  tier: Tier;
}

/**
 * The tier the user set for a project, if any. An override on a folder covers its subfolders (a
 * monorepo's packages), and the deepest folder wins, so `~/code/api/docs` can differ from `~/code/api`.
 */
export function projectOverride(project: string | undefined, projects: Record<string, ProjectRouting> | undefined): ProjectOverride | null {
  if (!project || !projects) return null;
  const target = projectKey(project);
  let best: ProjectOverride | null = null;
  for (const [raw, r] of Object.entries(projects)) {
    const folder = projectKey(raw);
    if (covers(folder, target) && (!best || folder.length > best.folder.length)) best = { folder, tier: r.tier };
  }
  return best;
}

function covers(folder: string, target: string): boolean {
  if (folder === target) return true;
  const prefix = /[\\/]$/.test(folder) ? folder : `${folder}${folder.includes('\\') && !folder.includes('/') ? '\\' : '/'}`;
  return target.startsWith(prefix);
}

/** `/Users/ada/code/api` → `~/code/api`: the reason line is read by a person. */
export function displayFolder(folder: string, home: string | null): string {
  if (!home || home === '/') return folder;
  const h = projectKey(home);
  if (folder === h) return '~';
  return folder.startsWith(`${h}/`) || folder.startsWith(`${h}\\`) ? `~${folder.slice(h.length)}` : folder;
}
