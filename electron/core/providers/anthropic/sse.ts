/**
 * Incremental parser of a Server-Sent Events byte stream (as Anthropic sends it). The gateway feeds it
 * the same chunks it forwards to the caller, so it only reads — the caller's bytes are never rewritten.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private readonly decoder = new TextDecoder('utf-8');
  private event = '';
  private data: string[] = [];
  /** The wanted event names as bytes, when a chunk can be skipped by not containing any of them. */
  private readonly names: Buffer[] | null;
  /** The last chunk ended an event (nothing carried over, not even half a character). */
  private atBoundary = true;
  /** Chunks passed over without decoding (see `push`). */
  skippedChunks = 0;

  /**
   * `only`: the events the reader wants; the others' data is skipped unread (a long answer is mostly
   * content_block_delta events, and the gateway's usage tap needs four event types).
   */
  constructor(private readonly only: ReadonlySet<string> | null = null) {
    // Events with no event field are "message": wanting those, no chunk can be judged by its names.
    this.names = only && !only.has('message') ? [...only].map((n) => Buffer.from(n)) : null;
  }

  push(chunk: Uint8Array | string): SseEvent[] {
    // A chunk of whole events naming none of the wanted ones holds nothing to return: pass it over
    // without decoding it to text (most chunks of an answer are text deltas; decoding and scanning
    // them was most of the usage tap's cost). Any mention of a wanted name, even inside a text, parses.
    if (this.names && this.atBoundary && typeof chunk !== 'string' && endsWithBlankLine(chunk)) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (this.names.every((n) => bytes.indexOf(n) < 0)) {
        this.skippedChunks += 1;
        return [];
      }
    }
    const buf = this.buffer + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const out: SseEvent[] = [];
    let pos = 0;
    // The next \r at or after the cursor, searched again only once the cursor has passed it: most
    // streams have none, and searching per line went to the end of the buffer every time.
    let cr = buf.indexOf('\r');
    while (pos < buf.length) {
      // The next line end: \n, \r\n or a lone \r (found from the cursor, never re-searched from the start).
      const lf = buf.indexOf('\n', pos);
      if (cr >= 0 && cr < pos) cr = buf.indexOf('\r', pos);
      const nl = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (nl < 0) break;
      // A lone "\r" at the end of the buffer may be the first half of "\r\n": wait for more.
      if (buf.charCodeAt(nl) === 13 && nl === buf.length - 1) break;
      const sepLen = buf.charCodeAt(nl) === 13 && buf.charCodeAt(nl + 1) === 10 ? 2 : 1;
      const lineStart = pos;
      pos = nl + sepLen;
      if (nl === lineStart) {
        if (this.data.length > 0 || this.event !== '') {
          const event = this.event || 'message';
          if (!this.only || this.only.has(event)) out.push({ event, data: this.data.join('\n') });
        }
        this.event = '';
        this.data = [];
        continue;
      }
      if (buf.charCodeAt(lineStart) === 58 /* ':' comment */) continue;
      const colon = buf.indexOf(':', lineStart);
      const hasValue = colon >= 0 && colon < nl;
      const fieldEnd = hasValue ? colon : nl;
      // The field's name compared in place: no string per line.
      if (fieldEnd - lineStart === 5 && buf.startsWith('event', lineStart)) {
        this.event = fieldValue(buf, hasValue ? colon + 1 : nl, nl);
      } else if (fieldEnd - lineStart === 4 && buf.startsWith('data', lineStart)) {
        if (this.only && this.event !== '' && !this.only.has(this.event)) continue;
        this.data.push(fieldValue(buf, hasValue ? colon + 1 : nl, nl));
      }
    }
    this.buffer = pos === 0 ? buf : buf.slice(pos);
    this.atBoundary = this.buffer === '' && this.event === '' && this.data.length === 0 && typeof chunk !== 'string' && chunk[chunk.length - 1] === 10;
    return out;
  }
}

/** Ends with an empty line ("\n\n"), so every event in it is complete. */
function endsWithBlankLine(chunk: Uint8Array): boolean {
  return chunk.length >= 2 && chunk[chunk.length - 1] === 10 && chunk[chunk.length - 2] === 10;
}

/** A field's value: the rest of the line, less one leading space. */
function fieldValue(buf: string, from: number, to: number): string {
  return buf.slice(buf.charCodeAt(from) === 32 ? from + 1 : from, to);
}

export function encodeSse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
