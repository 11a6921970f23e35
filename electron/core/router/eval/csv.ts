/** A CSV the parser could not read; `line` is 1-based, where the bad record starts. */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * RFC 4180 records: fields quoted with `"` may hold commas, newlines (LF or CRLF) and doubled
 * quotes, all of which MMLU prompts contain. A leading BOM is dropped; blank lines between records
 * are skipped. A quote inside an unquoted field is kept as a literal character (as spreadsheets do).
 * Scans with indexOf and slices rather than building fields a character at a time: the MMLU folder
 * is 6.7 MB.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const len = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let record: string[] = [];
  let recordLine = 1;
  let sawQuote = false;
  while (i <= len) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      sawQuote = true;
      const start = i;
      let j = i + 1;
      field = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new CsvError('a quoted field is never closed', recordLine);
        if (text.charCodeAt(q + 1) === QUOTE) {
          field += text.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        field += text.slice(j, q);
        i = q + 1;
        break;
      }
      line += countLines(text, start, i);
      const next = text.charCodeAt(i);
      if (i < len && next !== COMMA && next !== LF && next !== CR) {
        throw new CsvError(`unexpected character "${text[i]}" after a closing quote`, line);
      }
    } else {
      let j = i;
      while (j < len) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    record.push(field);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    // End of record: a line break or the end of the text.
    if (!(record.length === 1 && record[0] === '' && !sawQuote)) records.push(record);
    record = [];
    sawQuote = false;
    if (i >= len) break;
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    recordLine = line;
    if (i === len) break;
  }
  return records;
}
