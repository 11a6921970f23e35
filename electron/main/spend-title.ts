import type { BudgetStatus } from '../../shared/contract';
import { formatUsd } from '../../shared/money';

/** The menu-bar title: today's spend, short enough to sit beside other status items. */
export function spendTitle(budget: BudgetStatus): string {
  return formatUsd(budget.spentMicros);
}

/** The tooltip says the rest: the limit, and where the day stands. */
export function spendTooltip(budget: BudgetStatus): string {
  const spent = formatUsd(budget.spentMicros);
  if (budget.limitMicros === null) return `Sluice: ${spent} spent today (no daily budget)`;
  return `Sluice: ${spent} of ${formatUsd(budget.limitMicros)} today (${Math.floor(budget.percent)}%)`;
}
