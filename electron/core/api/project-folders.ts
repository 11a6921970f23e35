import { ok, type ProjectRouting, type Result } from '../../../shared/contract';
import { projectKey } from '../../../shared/settings';
import { projectDir } from '../runner/enqueue';

/**
 * Per-project tiers as the ledger keeps them: keyed by the folder's real path, the same key a task's
 * project gets at dispatch (so a symlinked or typed-with-a-slash folder still matches). A folder added
 * now must exist; one saved earlier is kept as it is, even if it has since gone (the user can still
 * remove it).
 */
export function projectFolders(wanted: Record<string, ProjectRouting>, saved: Record<string, ProjectRouting>): Result<Record<string, ProjectRouting>> {
  const out: Record<string, ProjectRouting> = {};
  for (const [folder, r] of Object.entries(wanted)) {
    if (saved[projectKey(folder)]) {
      out[projectKey(folder)] = r;
      continue;
    }
    const dir = projectDir(folder);
    if (!dir.ok) return dir;
    out[dir.value] = r;
  }
  return ok(out);
}
