import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startHarness, type Harness } from '../../support/harness';
import { startRunner } from '../../../electron/core/runner/start';
import type { Runner, RunnerOptions } from '../../../electron/core/runner/runner';
import type { FakeReply, RecordedRequest } from '../../fakes/anthropic';
import type { TaskRow, TaskState } from '../../../shared/contract';

/** A temporary git repository with `files` committed on main. */
export function makeRepo(files: Record<string, string> = { 'README.md': '# demo\n' }): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-repo-')));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  git('add', '-A');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'initial');
  return dir;
}

export function gitOut(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, stdio: 'pipe' }).toString();
}

interface Body {
  tools?: { name: string }[];
  messages: { role: string; content: string | { type: string }[] }[];
}

/** The folder Claude Code was started in, from the environment block of its prompt. */
export function cwdOf(req: RecordedRequest): string | null {
  return /Primary working directory: ([^\n"\\]+)/.exec(req.rawBody)?.[1]?.trim() ?? null;
}

/** Completed tool turns so far: user messages that carry tool results. */
export function toolTurns(req: RecordedRequest): number {
  const b = req.body as Body;
  return b.messages.filter((m) => Array.isArray(m.content) && m.content.some((c) => c.type === 'tool_result')).length;
}

export function isMainLoop(req: RecordedRequest): boolean {
  return ((req.body as Body).tools ?? []).some((t) => t.name === 'Write');
}

export type Step = (cwd: string) => FakeReply;

export const write = (file: string, content: string): Step => (cwd) => ({
  type: 'message',
  content: [{ type: 'tool_use', name: 'Write', input: { file_path: path.isAbsolute(file) ? file : path.join(cwd, file), content } }],
});
export const writeRaw = (filePath: (cwd: string) => string, content: string): Step => (cwd) => ({
  type: 'message',
  content: [{ type: 'tool_use', name: 'Write', input: { file_path: filePath(cwd), content } }],
});
export const bash = (command: string): Step => () => ({ type: 'message', content: [{ type: 'tool_use', name: 'Bash', input: { command } }] });
export const say = (text: string): Step => () => ({ type: 'message', text });

/**
 * A fake upstream that plays a script per task: the task is found from the working directory in the
 * prompt, the step from how many tool turns the conversation already holds (so a resumed session
 * continues the script instead of starting it again).
 */
export function scripted(scriptFor: (cwd: string) => Step[], opts: { delayMs?: number } = {}) {
  return (req: RecordedRequest): FakeReply => {
    if (!isMainLoop(req)) return { type: 'message', text: 'Title' };
    const cwd = cwdOf(req) ?? '';
    const steps = scriptFor(cwd);
    const step = steps[toolTurns(req)] ?? say('Done.');
    const reply = step(cwd);
    return reply.type === 'message' && opts.delayMs ? { ...reply, delayMs: opts.delayMs } : reply;
  };
}

export interface RunnerHarness {
  h: Harness;
  runner: Runner;
  home: string;
  events: TaskRow[];
  restart(o?: Partial<RunnerOptions>): Promise<Runner>;
  /**
   * Resolves when the task is in one of `states` and the runner no longer holds it; with `restarted`, only
   * after it starts again (after event number `since`, default: now).
   */
  waitFor(id: string, states: TaskState[], opts?: { timeoutMs?: number; restarted?: boolean; since?: number }): Promise<TaskRow>;
  close(): Promise<void>;
}

export async function startRunnerHarness(o: Partial<RunnerOptions> = {}): Promise<RunnerHarness> {
  const h = await startHarness();
  // Claude Code's small side calls would otherwise be routed to the fast tier; keep the script simple.
  h.core.settings.update({ routing: { background: { enabled: false, maxTokens: 1024, tier: 'fast' } } });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-runner-home-'));
  const events: TaskRow[] = [];
  const unsubscribe = h.core.events.subscribe((e) => {
    if (e.type === 'task') events.push(e.task);
  });
  const options = (extra: Partial<RunnerOptions> = {}): RunnerOptions => ({
    gatewayUrl: h.host.url,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    pollMs: 100,
    ...o,
    ...extra,
  });
  const rh: RunnerHarness = {
    h,
    runner: startRunner(h.core, options()),
    home,
    events,
    async restart(extra) {
      await rh.runner.stop();
      rh.runner = startRunner(h.core, options(extra));
      return rh.runner;
    },
    waitFor(id, states, { timeoutMs = 90_000, restarted = false, since = events.length } = {}) {
      const from = since;
      return new Promise((resolve, reject) => {
        let stop = () => {};
        const check = () => {
          const row = rh.runner.row(id);
          const settled = states.some((st) => st === 'starting' || st === 'running') || !rh.runner.isActive(id);
          const again = !restarted || events.slice(from).some((e) => e.id === id && e.state === 'starting');
          if (row && states.includes(row.state) && settled && again) {
            stop();
            resolve(row);
          }
        };
        // The runner emits an event after recording a task's end; the slow poll is only a safety net.
        const unsubscribe = h.core.events.subscribe((e) => {
          if (e.type === 'task' && e.task.id === id) setImmediate(check);
        });
        const timer = setInterval(check, 250);
        const deadline = setTimeout(() => {
          stop();
          reject(new Error(`task ${id} did not reach ${states.join('|')}; it is ${JSON.stringify(rh.runner.detail(id))}`));
        }, timeoutMs);
        stop = () => {
          unsubscribe();
          clearInterval(timer);
          clearTimeout(deadline);
        };
        check();
      });
    },
    async close() {
      await rh.runner.stop();
      unsubscribe();
      // The enforcer coalesces budget events on a 100 ms timer that core.close() does not cancel.
      await new Promise((r) => setTimeout(r, 150));
      await h.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  return rh;
}

