import { inWindow } from '../../../../shared/budget-day';

export type SubmissionWindow = { open: true } | { open: false; reason: string };

/**
 * Whether deferred work may be submitted now. No off-peak window in settings means "as soon as
 * possible": deferring already buys the 50% batch price, waiting buys nothing more.
 */
export function submissionWindow(nowMs: number, timeZone: string, offPeak: { start: string; end: string } | null): SubmissionWindow {
  if (offPeak === null || inWindow(nowMs, timeZone, offPeak)) return { open: true };
  return { open: false, reason: `waiting for the off-peak window ${offPeak.start}–${offPeak.end} (${timeZone})` };
}
