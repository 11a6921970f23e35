/**
 * Money in Sluice is integer micro-dollars (1 USD = 1_000_000 µ$). Floating dollars
 * only appear at the edges (display, JSON for people), never in sums.
 */
export type Micros = number;

export const MICROS_PER_USD = 1_000_000;

export function usdToMicros(usd: number): Micros {
  return Math.round(usd * MICROS_PER_USD);
}

export function microsToUsd(micros: Micros): number {
  return micros / MICROS_PER_USD;
}

/** "$1.23", or "$0.0042" for amounts under a cent so small spend never reads as $0.00. */
export function formatUsd(micros: Micros): string {
  const usd = micros / MICROS_PER_USD;
  const abs = Math.abs(usd);
  if (abs > 0 && abs < 0.01) return `${usd < 0 ? '-' : ''}$${abs.toFixed(4)}`;
  return `${usd < 0 ? '-' : ''}$${abs.toFixed(2)}`;
}
