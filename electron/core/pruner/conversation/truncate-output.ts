/**
 * A build or test log cut to what a reader of it needs: the head (the command and setup),
 * the tail (the summary), and the error lines in between.
 */

const HEAD_LINES = 30;
const TAIL_LINES = 30;
const MAX_ERROR_LINES = 40;
const MAX_LINE_CHARS = 400;
const ERROR_LINE = /\b(error|errors|fail|failed|failure|failures|exception|traceback|panic|fatal|assert\w*|denied|not found|undefined|cannot|unable|warning)\b|^\s*E\s{2,}|✗|✘|FAIL|ERR!/i;

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [${line.length - MAX_LINE_CHARS} chars cut]` : line;
}

export function truncateOutput(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= HEAD_LINES + TAIL_LINES + 10) {
    // Few but very long lines (minified JSON, one-line logs): cut by characters instead.
    if (text.length <= 8000) return text;
    const cut = text.length - 6000;
    return `${text.slice(0, 3000)}\n[… ${cut} characters cut by Sluice …]\n${text.slice(-3000)}`;
  }
  const head = lines.slice(0, HEAD_LINES).map(clip);
  const tail = lines.slice(lines.length - TAIL_LINES).map(clip);
  const middle = lines.slice(HEAD_LINES, lines.length - TAIL_LINES);
  const out = [...head];
  let skipped = 0;
  let kept = 0;
  for (const line of middle) {
    if (kept < MAX_ERROR_LINES && ERROR_LINE.test(line)) {
      if (skipped > 0) out.push(`[… ${skipped} lines cut by Sluice …]`);
      skipped = 0;
      out.push(clip(line));
      kept++;
    } else skipped++;
  }
  if (skipped > 0) out.push(`[… ${skipped} lines cut by Sluice …]`);
  out.push(...tail);
  return out.join('\n');
}
