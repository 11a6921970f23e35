import fs from 'node:fs';
import path from 'node:path';
import { CsvError, parseCsv } from './csv';

/** One prompt and whether each model (one column per model) answered it correctly. */
export interface LabelledPrompt {
  prompt: string;
  correct: Readonly<Record<string, boolean>>;
}

/** Bad input data (missing file, bad CSV, unknown column): the CLI turns it into a usage error. */
export class RouteDataError extends Error {
  override readonly name = 'RouteDataError';
}

const TRUE = new Set(['true', '1', 'yes', 't', 'y', '1.0']);
const FALSE = new Set(['false', '0', 'no', 'f', 'n', '0.0']);

function parseCorrect(value: string, where: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new RouteDataError(`${where}: expected True or False, got "${value.length > 20 ? value.slice(0, 20) + '…' : value}"`);
}

/** The CSV files a path names: the file itself, or every *.csv directly in the folder, sorted by name. */
export function csvFilesAt(target: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch {
    throw new RouteDataError(`no such file or folder: ${target}`);
  }
  if (st.isFile()) return [target];
  const files = fs
    .readdirSync(target)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => path.join(target, f));
  if (files.length === 0) throw new RouteDataError(`no .csv files in folder ${target}`);
  return files;
}

/** A record as read: the prompt, every other column's raw text, and where it came from (for messages). */
export interface RawRoutingRow {
  prompt: string;
  values: Readonly<Record<string, string>>;
  where: string;
}

/** Parses one CSV's text; `name` is for messages. The column named `prompt` is the prompt. */
export function parseRoutingCsv(text: string, name: string): { columns: string[]; rows: RawRoutingRow[] } {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new RouteDataError(`${name}: ${e.message}`);
    throw e;
  }
  const header = records[0];
  if (!header) throw new RouteDataError(`${name}: the file is empty`);
  const promptAt = header.findIndex((h) => h.trim().toLowerCase() === 'prompt');
  if (promptAt < 0) throw new RouteDataError(`${name}: no "prompt" column (columns: ${header.join(', ')})`);
  const columns = header.map((h, i) => ({ h: h.trim(), i })).filter((c) => c.i !== promptAt);
  const rows: RawRoutingRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r] as string[];
    const where = `${name} record ${r}`;
    if (rec.length !== header.length) throw new RouteDataError(`${where}: ${rec.length} fields, the header has ${header.length}`);
    const values: Record<string, string> = {};
    for (const c of columns) values[c.h] = rec[c.i] as string;
    rows.push({ prompt: rec[promptAt] as string, values, where });
  }
  return { columns: columns.map((c) => c.h), rows };
}

export interface RoutingData {
  rows: RawRoutingRow[];
  /** Columns other than `prompt` present in every file, in the first file's order. */
  columns: string[];
  files: string[];
}

/** Reads a file, or every *.csv in a folder. */
export function loadRoutingData(target: string): RoutingData {
  const files = csvFilesAt(target);
  const rows: RawRoutingRow[] = [];
  let columns: string[] | undefined;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new RouteDataError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const parsed = parseRoutingCsv(text, path.basename(file));
    columns = columns === undefined ? parsed.columns : columns.filter((c) => parsed.columns.includes(c));
    for (const row of parsed.rows) rows.push(row);
  }
  return { rows, columns: columns ?? [], files };
}

/** A column by its exact name, or by a substring that matches exactly one column (case-insensitive). */
export function resolveColumn(columns: readonly string[], wanted: string, flag: string): string {
  if (columns.includes(wanted)) return wanted;
  const needle = wanted.toLowerCase();
  const hits = columns.filter((c) => c.toLowerCase().includes(needle));
  if (hits.length === 1) return hits[0] as string;
  const list = columns.length > 0 ? columns.join(', ') : '(none)';
  if (hits.length > 1) throw new RouteDataError(`${flag} "${wanted}" matches several columns (${hits.join(', ')}); available: ${list}`);
  throw new RouteDataError(`${flag} "${wanted}" is not a column; available: ${list}`);
}

/** The rows labelled by the given (resolved) columns; fails on the first value that is not True/False. */
export function labelRows(rows: readonly RawRoutingRow[], columns: readonly string[]): LabelledPrompt[] {
  return rows.map((r) => {
    const correct: Record<string, boolean> = {};
    for (const c of columns) correct[c] = parseCorrect(r.values[c] ?? '', `${r.where}, column "${c}"`);
    return { prompt: r.prompt, correct };
  });
}
