/**
 * The gateway's source of project prefixes: for a request that a Sluice task's own agent sent, the
 * prefix of the task's project, built once per project and commit and then fixed for the task's life
 * (a prefix that changed mid-session would break the session's own cache).
 */
import type { Db } from '../ledger/db';
import type { Logger } from '../log';
import { countTokens } from '../pruner/tokens';
import { projectPrefixText, type PrefixLimits, type ProjectFacts, type ProjectPrefix, type ProjectReuse } from './project-prefix';
import { placeKey, readProjectFacts, type ProjectPlace } from './project-source';

export interface ProjectPrefixOptions {
  log?: Logger;
  /** Replaces reading the project (tests). */
  read?: (place: ProjectPlace) => Promise<ProjectFacts>;
  count?: (text: string) => number;
  limits?: PrefixLimits;
  /** How many tasks the runner runs at once (the `concurrency` setting, read live). */
  concurrency?: () => number;
}

export interface TaskPrefix extends ProjectPrefix {
  project: string;
}

interface TaskRow {
  agent_id: number | null;
  project: string;
  repo_root: string | null;
  base_commit: string | null;
}

const MAX_TASKS = 2000;
const MAX_PLACES = 200;

export class ProjectPrefixes {
  private readonly byTask = new Map<string, Promise<TaskPrefix | null>>();
  private readonly byPlace = new Map<string, Promise<ProjectPrefix | null>>();
  private readonly task;
  private readonly others;
  private readonly runningAll;

  constructor(db: Db, private readonly o: ProjectPrefixOptions = {}) {
    this.task = db.prepare<[string], TaskRow>('SELECT agent_id, project, repo_root, base_commit FROM tasks WHERE id = ?');
    this.others = db.prepare<[string, string], { queued: number | null; running: number | null }>(
      "SELECT SUM(state = 'queued') AS queued, SUM(state IN ('starting', 'running')) AS running FROM tasks WHERE project = ? AND id != ?",
    );
    this.runningAll = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM tasks WHERE state IN ('starting', 'running')");
  }

  /**
   * The prefix for a request of task `taskId` sent with agent `agentId`'s token, or null: not a task,
   * not that task's own agent (a header alone proves nothing — external agents pass through untouched),
   * or a project with nothing to say.
   */
  async forTask(taskId: string, agentId: number): Promise<TaskPrefix | null> {
    const row = this.task.get(taskId);
    if (!row || row.agent_id !== agentId) return null;
    let p = this.byTask.get(taskId);
    if (!p) {
      p = this.build({ project: row.project, repoRoot: row.repo_root, baseCommit: row.base_commit }).then((b) => (b ? { ...b, project: row.project } : null));
      this.remember(this.byTask, taskId, p, MAX_TASKS);
    }
    return p;
  }

  /** Other tasks of the project that will read its prefix: waiting in the queue, and running now. */
  reuse(taskId: string, project: string): ProjectReuse {
    const r = this.others.get(project, taskId);
    const slots = this.o.concurrency?.() ?? 5;
    return { queued: r?.queued ?? 0, running: r?.running ?? 0, slotFree: (this.runningAll.get()?.n ?? 0) < slots };
  }

  private build(place: ProjectPlace): Promise<ProjectPrefix | null> {
    const key = placeKey(place);
    const cached = key ? this.byPlace.get(key) : undefined;
    if (cached) return cached;
    const built = (this.o.read ?? readProjectFacts)(place)
      .then((facts) => projectPrefixText(facts, this.o.count ?? countTokens, this.o.limits))
      .catch((e: unknown) => {
        this.o.log?.log('warn', 'could not read the project for its shared prefix; its tasks go without', { project: place.project, error: (e as Error).message });
        return null;
      });
    if (key) this.remember(this.byPlace, key, built, MAX_PLACES);
    return built;
  }

  private remember<T>(map: Map<string, T>, key: string, value: T, max: number): void {
    map.set(key, value);
    if (map.size > max) map.delete(map.keys().next().value as string);
  }
}
