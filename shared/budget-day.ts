/**
 * The budget day is the user's local calendar day in a configured IANA time zone. Pure (Intl only),
 * so the UI and the core agree on when "today" ends, DST days included.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Last answer per time zone, by minute: every request asks for today's day and hour, and Intl is slow. */
interface Memo {
  minute: number;
  parts: LocalParts;
  /** `budgetDay`'s string for these parts, once asked for. */
  day: string | null;
}
const lastParts = new Map<string, Memo>();

function memoFor(instantMs: number, timeZone: string): Memo {
  const minute = Math.floor(instantMs / 60_000);
  const memo = lastParts.get(timeZone);
  if (memo && memo.minute === minute) return memo;
  const parts = formatter(timeZone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const value = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
  if (lastParts.size > 64) lastParts.clear();
  const fresh = { minute, parts: value, day: null };
  lastParts.set(timeZone, fresh);
  return fresh;
}

export function localParts(instantMs: number, timeZone: string): LocalParts {
  return memoFor(instantMs, timeZone).parts;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** YYYY-MM-DD of the instant in the time zone. */
export function budgetDay(instantMs: number, timeZone: string): string {
  const memo = memoFor(instantMs, timeZone);
  if (memo.day !== null) return memo.day;
  const p = memo.parts;
  memo.day = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  return memo.day;
}

/** Local hour 0–23 of the instant in the time zone. */
export function localHour(instantMs: number, timeZone: string): number {
  return localParts(instantMs, timeZone).hour;
}

const MINUTE = 60_000;

/**
 * The first instant of the next budget day: local midnight, or the first minute that exists
 * when a DST jump skips midnight. Binary search over minutes, because a day can be 23, 24 or 25 hours
 * long and offsets change at :00 or :30.
 */
const resetMemo = new Map<string, number>();

export function nextReset(instantMs: number, timeZone: string): number {
  const today = budgetDay(instantMs, timeZone);
  const key = `${timeZone} ${today}`;
  const memo = resetMemo.get(key);
  if (memo !== undefined) return memo;
  const found = searchReset(instantMs, timeZone, today);
  if (resetMemo.size > 256) resetMemo.clear();
  resetMemo.set(key, found);
  return found;
}

function searchReset(instantMs: number, timeZone: string, today: string): number {
  let lo = Math.floor(instantMs / MINUTE); // minute known to be today
  let hi = lo + 27 * 60; // surely tomorrow: no day is longer than 25 hours
  while (budgetDay(hi * MINUTE, timeZone) === today) hi += 60;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (budgetDay(mid * MINUTE, timeZone) === today) lo = mid;
    else hi = mid;
  }
  return hi * MINUTE;
}

/** "3 h 12 min", "45 min", "under a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.ceil(Math.max(0, ms) / MINUTE);
  if (ms <= 0 || minutes < 1) return 'under a minute';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** "00:00 Europe/Paris" — the local wall time of an instant, for messages. */
export function formatLocalTime(instantMs: number, timeZone: string): string {
  const p = localParts(instantMs, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)} ${timeZone}`;
}

/** Whether the local time of the instant falls in [start, end) of an "HH:MM" window (which may wrap midnight). */
export function inWindow(instantMs: number, timeZone: string, span: { start: string; end: string }): boolean {
  const p = localParts(instantMs, timeZone);
  const now = p.hour * 60 + p.minute;
  const toMin = (s: string) => {
    const [h, m] = s.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const start = toMin(span.start);
  const end = toMin(span.end);
  if (start === end) return true;
  return start < end ? now >= start && now < end : now >= start || now < end;
}
