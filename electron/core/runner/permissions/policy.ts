import { DEFAULT_COMMANDS, decideCommand } from './commands';
import { pathProblem, touchesGitDir, type PathFs } from './paths';

/** What a project lets its tasks do beyond editing inside their worktree. */
export interface PermissionPolicy {
  /** Shell commands allowed without asking, as word prefixes. */
  commands: readonly string[];
  /** WebFetch and WebSearch. */
  web: boolean;
}

export const DEFAULT_POLICY: PermissionPolicy = { commands: DEFAULT_COMMANDS, web: false };

/** Per-project additions, stored in the ledger (never in the repository, where an agent could edit them). */
export interface ProjectPermissions {
  commands?: string[];
  web?: boolean;
}

export function policyFor(project: string, stored: Record<string, ProjectPermissions> | null): PermissionPolicy {
  const extra = stored?.[project];
  if (!extra) return DEFAULT_POLICY;
  return { commands: [...DEFAULT_COMMANDS, ...(extra.commands ?? [])], web: extra.web ?? DEFAULT_POLICY.web };
}

export interface ToolContext {
  /** The worktree (or the project, in place), as a real path. */
  root: string;
  cwd: string;
  policy: PermissionPolicy;
  fs: PathFs;
}

export type ToolDecision = { allow: true } | { allow: false; target: string; reason: string };

const READS: Record<string, string> = { Read: 'file_path', NotebookRead: 'notebook_path', LS: 'path', Glob: 'path', Grep: 'path' };
const WRITES: Record<string, string> = { Write: 'file_path', Edit: 'file_path', MultiEdit: 'file_path', NotebookEdit: 'notebook_path' };
/** Bookkeeping tools that touch nothing outside the engine. */
const HARMLESS = new Set(['TodoWrite', 'TaskCreate', 'TaskGet', 'TaskUpdate', 'TaskList', 'TaskStop', 'BashOutput', 'KillShell', 'KillBash', 'ToolSearch', 'ExitPlanMode']);

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/**
 * The task policy, one tool call at a time: edits and reads inside the worktree, shell commands from
 * the allowlist, the web only when the project allows it, nothing else. Every refusal carries the
 * reason the agent and the user both see.
 */
export function decideTool(tool: string, input: Record<string, unknown>, ctx: ToolContext): ToolDecision {
  const deny = (target: string, reason: string): ToolDecision => ({ allow: false, target, reason });
  const readKey = READS[tool];
  const writeKey = WRITES[tool];
  if (readKey || writeKey) {
    const raw = str(input[(readKey ?? writeKey) as string]);
    const targets = raw ? [raw] : [];
    // A glob is a path too: `/etc/*` or `../**` reaches outside as surely as a file path.
    for (const k of ['pattern', 'glob']) {
      const g = tool !== 'Grep' || k === 'glob' ? str(input[k]) : null;
      if (g && (g.startsWith('/') || g.startsWith('~') || g.split(/[\\/]/).includes('..'))) targets.push(g);
    }
    for (const t of targets) {
      const problem = pathProblem(t, ctx.root, ctx.cwd, ctx.fs);
      if (problem) return deny(t, problem);
      if (writeKey && touchesGitDir(t, ctx.root, ctx.cwd)) return deny(t, `"${t}" is inside .git, which Sluice keeps out of an agent's reach`);
    }
    return { allow: true };
  }
  if (tool === 'Bash') {
    const command = str(input.command) ?? '';
    const d = decideCommand(command, ctx.policy.commands, ctx);
    return d.allow ? d : deny(command, d.reason);
  }
  if (HARMLESS.has(tool)) return { allow: true };
  if (tool === 'WebFetch' || tool === 'WebSearch') {
    const target = str(input.url) ?? str(input.query) ?? tool;
    return ctx.policy.web ? { allow: true } : deny(target, 'web access is off for this project\'s tasks');
  }
  if (tool === 'AskUserQuestion') return deny(tool, 'nobody watches a dispatched task live: decide with your best judgement and state the assumption in your summary');
  if (tool === 'Agent' || tool === 'Task') return deny(tool, 'sub-agents are off for Sluice tasks (each would be another metered conversation)');
  return deny(tool, `the ${tool} tool is not allowed for Sluice tasks`);
}
