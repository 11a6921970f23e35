import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse, positiveInt, oneOf, table } from '../args';
import { openCore } from '../context';
import { formatUsd } from '../../../../shared/money';
import { budgetDay } from '../../../../shared/budget-day';

const USAGE = 'sluice usage [--by agent|model|day|session] [--days N | --from YYYY-MM-DD --to YYYY-MM-DD] [--json]';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const usage: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    { json: { type: 'boolean' }, by: { type: 'string' }, days: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, 'data-dir': { type: 'string' } },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Usage: ${USAGE}`);
  const by = oneOf(values.by, ['agent', 'model', 'day', 'session'] as const, '--by') ?? 'model';
  const days = positiveInt(values.days, '--days');
  for (const [flag, v] of [['--from', values.from], ['--to', values.to]] as const) {
    if (v !== undefined && !DAY.test(v)) throw new UsageError(`${flag} must be a date as YYYY-MM-DD, got "${v}".`);
  }
  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    const tz = core.settings.get().timeZone;
    const now = core.clock.now();
    const to = values.to ?? budgetDay(now, tz);
    const from = values.from ?? (days ? budgetDay(now - (days - 1) * 86_400_000, tz) : to);
    if (from > to) throw new UsageError(`--from (${from}) is after --to (${to}).`);
    const rows = core.queries.usageBy(by, from, to);
    const total = rows.reduce((s, r) => s + r.micros, 0);
    if (values.json) {
      io.stdout(JSON.stringify({ from, to, by, totalMicros: total, totalUsd: total / 1e6, rows: rows.map((r) => ({ ...r, usd: r.micros / 1e6 })) }, null, 2) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      io.stdout(`No requests recorded ${from === to ? `on ${from}` : `from ${from} to ${to}`}.\n`);
      return 0;
    }
    const out = [[by.toUpperCase(), 'COST', 'REQUESTS', 'INPUT', 'OUTPUT', 'CACHE WRITE', 'CACHE READ']];
    for (const r of rows) {
      out.push([r.key, formatUsd(r.micros), String(r.requests), String(r.tokens.input), String(r.tokens.output), String(r.tokens.cacheWrite5m + r.tokens.cacheWrite1h), String(r.tokens.cacheRead)]);
    }
    out.push(['TOTAL', formatUsd(total), String(rows.reduce((s, r) => s + r.requests, 0)), '', '', '', '']);
    io.stdout(`Usage ${from === to ? `on ${from}` : `from ${from} to ${to}`}:\n` + table(out));
    return 0;
  } finally {
    core.close();
  }
};
