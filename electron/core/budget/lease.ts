import type { Micros } from '../../../shared/money';
import type { BudgetLimits, BudgetLoad } from '../../../shared/budget';

/**
 * A budget lease: one reservation row that holds a slice of today's headroom for this process, from
 * which the gateway admits requests in memory. The row is an ordinary reservation to every other
 * process (they cannot spend it), so the ledger's spent + reserved never undercounts; settling a
 * leased request moves its real cost from the row to the spend in one transaction.
 *
 * Invariant: row amount = `remaining` + what the leased requests still in flight hold.
 */
export interface Lease {
  /** The reservation row's id. */
  readonly id: string;
  readonly day: string;
  readonly agentId: number;
  remaining: Micros;
  remainingTokens: number;
  /** Leased requests admitted and not yet settled or released. */
  outstanding: number;
  /** Requests ever admitted from it (tells the idle check whether it was used meanwhile). */
  taken: number;
  /** The limits it was carved under: a change of settings or of the agent's cap ends the lease. */
  readonly settingsRef: object;
  readonly agentCapMicros: Micros | null;
  /** Ended: admits no more; its row goes once its last request settles. */
  closed: boolean;
  idleTimer: NodeJS.Timeout | null;
}

/** How many requests of this size a lease should cover beyond the one being admitted. */
const LEASE_REQUESTS = 15;
/** The share of the remaining headroom one process may hold unused. */
const LEASE_HEADROOM_SHARE = 0.1;

/**
 * The extra (beyond `amount`/`tokens`, which the caller admits anyway) a new or topped-up lease should
 * hold, or null when the headroom is too short to be worth leasing. Near the limit this returns null,
 * so the last requests of the day are decided one by one against the ledger, exactly.
 */
export function leaseExtra(amount: Micros, tokens: number, limits: BudgetLimits, load: BudgetLoad): { micros: Micros; tokens: number } | null {
  let micros = Math.max(1, amount) * LEASE_REQUESTS;
  if (limits.dailyLimitMicros !== null) {
    micros = Math.min(micros, share(limits.dailyLimitMicros - load.spentMicros - load.reservedMicros - amount));
  }
  if (limits.agentCapMicros !== null) {
    micros = Math.min(micros, share(limits.agentCapMicros - load.agentSpentMicros - load.agentReservedMicros - amount));
  }
  let toks = Math.max(1, tokens) * LEASE_REQUESTS;
  if (limits.dailyTokenLimit !== null) toks = Math.min(toks, share(limits.dailyTokenLimit - load.tokens - load.reservedTokens - tokens));
  // Not even one more request of this size: leasing would only hold headroom others could use.
  if (micros < amount || toks < tokens || micros <= 0) return null;
  return { micros, tokens: toks };
}

function share(headroom: number): number {
  return Math.max(0, Math.floor(headroom * LEASE_HEADROOM_SHARE));
}
