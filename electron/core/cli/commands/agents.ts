import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse, positiveNumber, table } from '../args';
import { openCore } from '../context';
import { formatUsd, usdToMicros } from '../../../../shared/money';
import { AgentError } from '../../ledger/agent-store';
import { configFromEnv } from '../../config/config';

const USAGE = 'sluice agents [--json] | sluice agents add NAME [--daily-usd N] [--json] | sluice agents revoke NAME | sluice agents cap NAME --daily-usd N|none | sluice agents prune NAME on|off';

export const agents: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'daily-usd': { type: 'string' }, 'data-dir': { type: 'string' } }, USAGE);
  const [sub, name, extra] = positionals;
  if (extra !== undefined && sub !== 'prune') throw new UsageError(`Unexpected argument "${extra}". Usage: ${USAGE}`);
  if (sub !== undefined && !['add', 'revoke', 'cap', 'prune', 'list'].includes(sub)) throw new UsageError(`Unknown agents command "${sub}". Usage: ${USAGE}`);
  if ((sub === 'add' || sub === 'revoke' || sub === 'cap' || sub === 'prune') && !name) throw new UsageError(`sluice agents ${sub} needs a NAME. Usage: ${USAGE}`);
  if (sub === 'prune' && extra !== 'on' && extra !== 'off') throw new UsageError('sluice agents prune NAME needs on or off.');
  const capUsd = values['daily-usd'] === 'none' ? null : positiveNumber(values['daily-usd'], '--daily-usd');
  if (sub === 'cap' && values['daily-usd'] === undefined) throw new UsageError('sluice agents cap NAME needs --daily-usd N (or none).');

  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    if (sub === 'add') {
      let created;
      try {
        created = core.agents.create(name as string, { dailyCapMicros: capUsd == null ? null : usdToMicros(capUsd) });
      } catch (e) {
        if (e instanceof AgentError) throw new UsageError(e.message);
        throw e;
      }
      const base = `http://127.0.0.1:${configFromEnv(io.env).port}`;
      if (values.json) {
        io.stdout(JSON.stringify({ name: created.agent.name, token: created.token, baseUrl: base, dailyCapUsd: capUsd ?? null }) + '\n');
      } else {
        io.stdout(
          `Agent "${created.agent.name}" created${capUsd != null ? ` with a daily cap of ${formatUsd(usdToMicros(capUsd))}` : ''}.\n` +
            `Token (shown once; Sluice keeps only its hash):\n  ${created.token}\n\n` +
            `Use it from a shell:\n  export ANTHROPIC_BASE_URL=${base}\n  export ANTHROPIC_API_KEY=${created.token}\n`,
        );
      }
      return 0;
    }
    if (sub === 'revoke') {
      if (!core.agents.revoke(name as string)) throw new UsageError(`No active agent named "${name}".`);
      io.stdout(`Agent "${name}" revoked; its tokens no longer work. Its recorded spend stays in the ledger.\n`);
      return 0;
    }
    if (sub === 'prune') {
      const a = core.agents.get(name as string);
      if (!a || a.revokedAt) throw new UsageError(`No active agent named "${name}".`);
      core.agents.setPruning(name as string, extra === 'on');
      io.stdout(
        extra === 'on'
          ? `Conversation pruning is on for "${name}": superseded file reads, huge tool outputs and duplicates are cut when that saves more than the prompt cache it costs.\n`
          : `Conversation pruning is off for "${name}".\n`,
      );
      return 0;
    }
    if (sub === 'cap') {
      const a = core.agents.get(name as string);
      if (!a || a.revokedAt) throw new UsageError(`No active agent named "${name}".`);
      core.agents.setCap(name as string, capUsd == null ? null : usdToMicros(capUsd));
      io.stdout(capUsd == null ? `Agent "${name}" has no daily cap now.\n` : `Agent "${name}" may spend up to ${formatUsd(usdToMicros(capUsd))} a day.\n`);
      return 0;
    }
    const rows = core.queries.agents();
    if (values.json) {
      io.stdout(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      io.stdout('No agents yet. Create one with `sluice agents add NAME`.\n');
      return 0;
    }
    const out = [['NAME', 'KIND', 'TODAY', 'REQUESTS', 'DAILY CAP', 'LAST SEEN', 'STATE']];
    for (const r of rows) {
      out.push([r.name, r.kind, formatUsd(r.spentTodayMicros), String(r.requestsToday), r.dailyCapMicros === null ? '—' : formatUsd(r.dailyCapMicros), r.lastSeen ?? 'never', r.revoked ? 'revoked' : 'active']);
    }
    io.stdout(table(out));
    return 0;
  } finally {
    core.close();
  }
};

export const env: CliCommand = async (args, io) => {
  const usage = 'sluice env NAME [--data-dir DIR]';
  const { values, positionals } = parse(args, { 'data-dir': { type: 'string' } }, usage);
  const name = positionals[0];
  if (!name || positionals.length > 1) throw new UsageError(`Give exactly one agent name. Usage: ${usage}`);
  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    let token: string;
    try {
      token = core.agents.get(name)?.revokedAt === null ? core.agents.issueToken(name) : core.agents.create(name).token;
    } catch (e) {
      if (e instanceof AgentError) throw new UsageError(e.message);
      throw e;
    }
    io.stdout(`export ANTHROPIC_BASE_URL=http://127.0.0.1:${core.config.port}\nexport ANTHROPIC_API_KEY=${token}\n`);
    io.stderr(`# A new token for agent "${name}". Run: eval "$(sluice env ${name})"\n`);
    return 0;
  } finally {
    core.close();
  }
};
