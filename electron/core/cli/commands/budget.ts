import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse, positiveNumber, positiveInt, oneOf } from '../args';
import { openCore } from '../context';
import { formatUsd } from '../../../../shared/money';
import { formatDuration, formatLocalTime } from '../../../../shared/budget-day';
import type { BudgetPolicy, SettingsPatch } from '../../../../shared/contract';

const USAGE = 'sluice budget [--json] | sluice budget set [--daily-usd N|none] [--policy queue|downgrade|reject] [--thresholds 50,80,95,100] [--time-zone TZ] [--token-limit N|none]';

export const budget: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    {
      json: { type: 'boolean' },
      'daily-usd': { type: 'string' },
      policy: { type: 'string' },
      thresholds: { type: 'string' },
      'time-zone': { type: 'string' },
      'token-limit': { type: 'string' },
      'data-dir': { type: 'string' },
    },
    USAGE,
  );
  const sub = positionals[0];
  if (sub !== undefined && sub !== 'set' && sub !== 'show') throw new UsageError(`Unknown budget command "${sub}". Usage: ${USAGE}`);
  const patch: SettingsPatch = {};
  if (sub === 'set') {
    if (values['daily-usd'] !== undefined) patch.dailyBudgetUsd = values['daily-usd'] === 'none' ? null : positiveNumber(values['daily-usd'], '--daily-usd');
    if (values.policy !== undefined) patch.policy = oneOf<BudgetPolicy>(values.policy, ['queue', 'downgrade', 'reject'], '--policy');
    if (values.thresholds !== undefined) {
      const parts = values.thresholds.split(',').map((s) => s.trim());
      if (parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) throw new UsageError(`--thresholds must be percentages separated by commas, e.g. 50,80,95,100 (got "${values.thresholds}").`);
      patch.thresholds = parts.map(Number);
    }
    if (values['time-zone'] !== undefined) patch.timeZone = values['time-zone'];
    if (values['token-limit'] !== undefined) patch.dailyTokenLimit = values['token-limit'] === 'none' ? null : positiveInt(values['token-limit'], '--token-limit');
    if (Object.keys(patch).length === 0) throw new UsageError(`Nothing to set. Usage: ${USAGE}`);
  } else if (values['daily-usd'] !== undefined || values.policy !== undefined || values.thresholds !== undefined) {
    throw new UsageError(`To change the budget use "sluice budget set …". Usage: ${USAGE}`);
  }

  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    if (sub === 'set') {
      const r = core.settings.update(patch);
      if (!r.ok) throw new UsageError(r.message);
    }
    const s = core.enforcer.status();
    if (values.json) {
      io.stdout(JSON.stringify(s, null, 2) + '\n');
      return 0;
    }
    const resets = Date.parse(s.resetsAt);
    const lines = [
      s.limitMicros === null ? 'Daily budget: none set (spend is recorded but not limited)' : `Daily budget: ${formatUsd(s.limitMicros)}`,
      `Spent today:  ${formatUsd(s.spentMicros)}${s.limitMicros ? ` (${s.percent.toFixed(1)}%)` : ''}${s.reservedMicros ? `, ${formatUsd(s.reservedMicros)} reserved by requests in flight` : ''}`,
      `Policy at the limit: ${s.policy}`,
      `Thresholds:   ${s.thresholds.map((t) => `${t}%${s.crossed.includes(t) ? ' (crossed)' : ''}`).join(', ')}`,
      s.tokenLimit !== null ? `Token limit:  ${s.tokensToday.toLocaleString('en-US')} of ${s.tokenLimit.toLocaleString('en-US')} tokens` : null,
      `Resets at ${formatLocalTime(resets, s.timeZone)} (in ${formatDuration(resets - core.clock.now())})`,
    ].filter((l): l is string => l !== null);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } finally {
    core.close();
  }
};
