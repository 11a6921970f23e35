/**
 * Reads what a project prefix is made of. A task in a worktree reads its base commit from git objects,
 * not from any checkout: every task started from one commit gets the same bytes, whatever the agents
 * (or the user) have changed since. A task in place reads its folder as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { git } from '../runner/git';
import { walkRepository } from '../pruner/repo/walk';
import { classifyByName, classifyDir } from '../pruner/repo/skip-rules';
import type { ProjectFacts } from './project-prefix';

/** Where a task's project is: its folder, and for a worktree task the repository and base commit. */
export interface ProjectPlace {
  project: string;
  repoRoot: string | null;
  baseCommit: string | null;
}

/** Files Claude Code and other agents read as standing instructions, per folder. */
const INSTRUCTION_FILES = ['CLAUDE.md', '.claude/CLAUDE.md', 'AGENTS.md'];
/** Per instruction file; the prefix keeps far less (its token budget), this only bounds the read. */
const MAX_INSTRUCTION_BYTES = 64 * 1024;

/** A stable name for the facts `place` gives, or null when only reading the folder can tell. */
export function placeKey(place: ProjectPlace): string | null {
  if (!place.repoRoot || !place.baseCommit) return null;
  return `${place.repoRoot}\u0000${place.baseCommit}\u0000${subfolder(place)}`;
}

function subfolder(place: ProjectPlace): string {
  if (!place.repoRoot) return '';
  const rel = path.relative(place.repoRoot, place.project).split(path.sep).join('/');
  return rel.startsWith('..') ? '' : rel;
}

/** The folders from the repository root down to the project, each with a trailing slash ('' for the root). */
function foldersDown(sub: string): string[] {
  const parts = sub === '' ? [] : sub.split('/');
  return ['', ...parts.map((_, i) => `${parts.slice(0, i + 1).join('/')}/`)];
}

function kept(rel: string, size: number): boolean {
  const parts = rel.split('/');
  if (parts.slice(0, -1).some((d) => classifyDir(d) !== 'walk')) return false;
  return classifyByName(parts[parts.length - 1] ?? rel, size) === null;
}

export async function readProjectFacts(place: ProjectPlace): Promise<ProjectFacts> {
  const name = path.basename(place.project);
  if (place.repoRoot && place.baseCommit) return readFromCommit(place.repoRoot, place.baseCommit, subfolder(place), name);
  return readFromFolder(place.project, name);
}

async function readFromCommit(repoRoot: string, commit: string, sub: string, name: string): Promise<ProjectFacts> {
  // -z: paths verbatim; -l: sizes, so huge files are left out as the pruner leaves them out.
  const out = await git(repoRoot, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit]);
  const sizes = new Map<string, number>();
  for (const entry of out.split('\u0000')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, , size] = entry.slice(0, tab).split(/\s+/);
    // Blobs only: no submodules (commit), no symlinks (120000).
    if (type === 'blob' && mode !== '120000') sizes.set(entry.slice(tab + 1), Number(size));
  }
  const prefix = sub === '' ? '' : `${sub}/`;
  const files: string[] = [];
  for (const [p, size] of sizes) {
    if (!p.startsWith(prefix)) continue;
    const rel = p.slice(prefix.length);
    if (kept(rel, size)) files.push(rel);
  }
  files.sort();
  const instructions: { path: string; text: string }[] = [];
  for (const folder of foldersDown(sub)) {
    for (const f of INSTRUCTION_FILES) {
      const p = `${folder}${f}`;
      const size = sizes.get(p);
      if (size === undefined || size === 0 || size > MAX_INSTRUCTION_BYTES) continue;
      const text = await git(repoRoot, ['cat-file', 'blob', `${commit}:${p}`]);
      instructions.push({ path: relativeTo(p, prefix), text });
    }
  }
  return { name, files, instructions };
}

/** A repository path as seen from the project folder ("../CLAUDE.md" for the repository root's). */
function relativeTo(p: string, prefix: string): string {
  if (p.startsWith(prefix)) return p.slice(prefix.length);
  return path.posix.relative(prefix === '' ? '.' : prefix, p);
}

function readFromFolder(project: string, name: string): ProjectFacts {
  const files = walkRepository(project).files.map((f) => f.path);
  const instructions: { path: string; text: string }[] = [];
  for (const f of INSTRUCTION_FILES) {
    const abs = path.join(project, f);
    try {
      const st = fs.lstatSync(abs);
      if (!st.isFile() || st.size === 0 || st.size > MAX_INSTRUCTION_BYTES) continue;
      instructions.push({ path: f, text: fs.readFileSync(abs, 'utf8') });
    } catch {
      // absent
    }
  }
  return { name, files, instructions };
}
