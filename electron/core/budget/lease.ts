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
  /** How many requests of the current size each top-up covers (grows while top-ups come fast; see `nextLeaseSize`). */
  size: number;
  /** When it was last topped up (the clock's ms). */
  toppedUpAt: number;
  /** Ended: admits no more; its row goes once its last request settles. */
  closed: boolean;
  idleTimer: NodeJS.Timeout | null;
}

/** How many requests of this size a new lease covers beyond the one being admitted. */
export const LEASE_REQUESTS = 15;
/** The most a lease grows to (the headroom share below caps it too). */
const LEASE_MAX_REQUESTS = 480;
/** Top-ups closer together than this double the lease; a pause this many times longer shrinks it back. */
const LEASE_FAST_MS = 1_000;
const LEASE_SLOW_FACTOR = 10;

/**
 * The size of a lease's next top-up. Each top-up is a write transaction on the request's path (with
 * every settlement waiting to be written); at 500 requests/s a fixed 15 made one request in ten wait
 * for one (0.1–0.4 ms). Doubling while top-ups come within a second keeps them to a few per second
 * at any rate; after a quiet spell the lease starts small again.
 */
export function nextLeaseSize(size: number, sinceLastMs: number): number {
  if (sinceLastMs < LEASE_FAST_MS) return Math.min(LEASE_MAX_REQUESTS, size * 2);
  if (sinceLastMs > LEASE_FAST_MS * LEASE_SLOW_FACTOR) return LEASE_REQUESTS;
  return size;
}
/** The share of the remaining headroom one process may hold unused. */
const LEASE_HEADROOM_SHARE = 0.1;

/**
 * The extra (beyond `amount`/`tokens`, which the caller admits anyway) a new or topped-up lease should
 * hold, or null when the headroom is too short to be worth leasing. Near the limit this returns null,
 * so the last requests of the day are decided one by one against the ledger, exactly.
 */
export function leaseExtra(amount: Micros, tokens: number, limits: BudgetLimits, load: BudgetLoad, requests = LEASE_REQUESTS): { micros: Micros; tokens: number } | null {
  let micros = Math.max(1, amount) * requests;
  if (limits.dailyLimitMicros !== null) {
    micros = Math.min(micros, share(limits.dailyLimitMicros - load.spentMicros - load.reservedMicros - amount));
  }
  if (limits.agentCapMicros !== null) {
    micros = Math.min(micros, share(limits.agentCapMicros - load.agentSpentMicros - load.agentReservedMicros - amount));
  }
  let toks = Math.max(1, tokens) * requests;
  if (limits.dailyTokenLimit !== null) toks = Math.min(toks, share(limits.dailyTokenLimit - load.tokens - load.reservedTokens - tokens));
  // Not even one more request of this size: leasing would only hold headroom others could use.
  if (micros < amount || toks < tokens || micros <= 0) return null;
  return { micros, tokens: toks };
}

function share(headroom: number): number {
  return Math.max(0, Math.floor(headroom * LEASE_HEADROOM_SHARE));
}
