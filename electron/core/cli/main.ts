import { EXIT_FAILURE, EXIT_USAGE, UsageError, type CliCommand, type CliIo } from './io';

/** Commands load lazily: `sluice budget` should not pay for tree-sitter or the HTTP host. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  serve: { summary: 'run the gateway and the dashboard on 127.0.0.1', load: async () => (await import('./commands/serve')).serve },
  dispatch: { summary: 'queue a task for an agent (its own worktree), or --deferrable: one batch request at 50% off', load: async () => (await import('./commands/dispatch')).dispatch },
  ps: { summary: 'tasks: state, step, turns, cost; `ps ID` for one in full', load: async () => (await import('./commands/ps')).ps },
  cancel: { summary: 'cancel a task', load: async () => (await import('./commands/task')).cancel },
  pause: { summary: 'pause a task at its next turn boundary', load: async () => (await import('./commands/task')).pause },
  resume: { summary: 'resume a paused task in the same session', load: async () => (await import('./commands/task')).resume },
  diff: { summary: 'what a task changed on its branch', load: async () => (await import('./commands/task')).diff },
  merge: { summary: "merge a task's branch into your checkout", load: async () => (await import('./commands/task')).merge },
  discard: { summary: "throw a task's branch and worktree away", load: async () => (await import('./commands/task')).discard },
  answer: { summary: "a task's answer (a deferrable task's reply, an agent's last message)", load: async () => (await import('./commands/task')).answer },
  retry: { summary: 'run a finished fast- or local-tier task again on a stronger tier', load: async () => (await import('./commands/retry')).retry },
  budget: { summary: 'show or set the daily budget', load: async () => (await import('./commands/budget')).budget },
  usage: { summary: 'spend and tokens by agent, model, day or session', load: async () => (await import('./commands/usage')).usage },
  agents: { summary: 'list, add, cap or revoke agents (gateway tokens)', load: async () => (await import('./commands/agents')).agents },
  env: { summary: 'print the exports that point a shell at Sluice', load: async () => (await import('./commands/agents')).env },
  ask: { summary: 'send one prompt through the pipeline', load: async () => (await import('./commands/ask')).ask },
  models: { summary: 'local models (Ollama)', load: async () => (await import('./commands/models')).models },
  projects: { summary: 'the tier each project\'s tasks start on (per-project override)', load: async () => (await import('./commands/projects')).projects },
  permissions: { summary: 'what agents may run in a project (shell command prefixes, web)', load: async () => (await import('./commands/permissions')).permissions },
  prune: { summary: 'build the context brief for a task (task text on stdin)', load: async () => (await import('./commands/prune')).prune },
  batch: { summary: 'defer prompts to the Message Batches API (50% off) and read their results', load: async () => (await import('./commands/batch')).batch },
  'route-eval': { summary: 'evaluate the router on labelled prompts', load: async () => (await import('./commands/route-eval')).routeEval },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return (
    'Usage: sluice <command> [options]\n\nCommands:\n' +
    Object.entries(COMMANDS)
      .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
      .join('\n') +
    '\n\nRead commands take --json. Exit codes: 0 ok, 1 failure, 2 bad usage or input.\n'
  );
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(help());
    return name ? 0 : EXIT_USAGE;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`sluice: unknown command "${name}". Run \`sluice help\` for the list.\n`);
    return EXIT_USAGE;
  }
  try {
    return await (await cmd.load())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`sluice ${name}: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`sluice ${name}: ${(e as Error).message}\n`);
    return EXIT_FAILURE;
  }
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
  };
}
