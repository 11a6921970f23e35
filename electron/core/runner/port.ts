import { err, ok, type Result } from '../../../shared/contract';
import type { RunnerPort } from '../api/runner-port';
import type { Runner } from './runner';

/** The contract's view of the runner (`electron/core/api/runner-port.ts`). */
export function runnerPort(runner: Runner): RunnerPort {
  return {
    dispatch: async (input) => runner.dispatch(input),
    control: async (id, action) => runner.control(id, action),
    finish: (id, action) => (action === 'merge' ? runner.merge(id) : runner.discard(id)),
    preview: (input) => runner.previewWithContext(input),
    retry: async (id, tier) => runner.retry(id, tier),
    answer: async (id) => runner.answer(id),
    pauseAll: async () => ok({ paused: runner.pauseAll() }),
    recentProjects: async () => runner.recentProjects(),
    list: () => runner.list(),
  };
}

const NOT_YET = 'The agent runner is starting; try again in a moment.';

/**
 * A port to hand the UI before the runner exists: `sluice serve` builds the dashboard before the
 * host knows its port, and the runner needs that port (the gateway URL). `bind` once it does.
 */
export function deferredRunnerPort(): RunnerPort & { bind(runner: Runner): void } {
  let port: RunnerPort | null = null;
  const notYet = <T>(): Promise<Result<T>> => Promise.resolve(err('unavailable', NOT_YET));
  return {
    bind: (runner) => {
      port = runnerPort(runner);
    },
    dispatch: (input) => (port ? port.dispatch(input) : notYet()),
    control: (id, action) => (port ? port.control(id, action) : notYet()),
    finish: (id, action) => (port ? port.finish(id, action) : notYet()),
    preview: (input) => (port ? port.preview(input) : notYet()),
    retry: (id, tier) => (port ? port.retry(id, tier) : notYet()),
    answer: (id) => (port ? port.answer(id) : notYet()),
    pauseAll: () => (port ? port.pauseAll() : notYet()),
    recentProjects: async () => (port ? port.recentProjects() : []),
    list: () => (port ? port.list() : []),
  };
}
