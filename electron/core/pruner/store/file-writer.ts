import type Database from 'better-sqlite3';
import type { FileFacts } from '../parse/facts';
import type { SkippedPath } from '../repo/skip-rules';
import type { IndexDb } from './index-db';

export interface FileRow {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  language: string;
  kind: string;
  lines: number;
}

/** One parsed file, ready to write: its row, its facts and its lexical terms. */
export interface ParsedFile {
  row: FileRow;
  facts: FileFacts | null;
  skipReason: string | null;
  terms: { path: string; symbols: string; text: string } | null;
}

/** `name TAB count` per line; names with a tab or newline (never an identifier) are left out. */
export function packReferences(refs: ReadonlyMap<string, number>): string {
  const lines: string[] = [];
  for (const [name, count] of refs) if (!/[\t\n]/.test(name)) lines.push(`${name}\t${count}`);
  return lines.join('\n');
}

export function* unpackReferences(packed: string): Generator<[string, number]> {
  for (const line of packed.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) yield [line.slice(0, tab), Number(line.slice(tab + 1))];
  }
}

/**
 * All writes to an index, as prepared statements. Every method is synchronous and meant to
 * be called inside `db.transaction` (never with an `await` in between).
 */
export class IndexWriter {
  private readonly upsertFile: Database.Statement;
  private readonly fileId: Database.Statement<[string], { id: number }>;
  private readonly touchFile: Database.Statement;
  private readonly delDefs: Database.Statement;
  private readonly delRefs: Database.Statement;
  private readonly delImports: Database.Statement;
  private readonly delTerms: Database.Statement;
  private readonly delFile: Database.Statement;
  private readonly insDef: Database.Statement;
  private readonly insRef: Database.Statement;
  private readonly insImport: Database.Statement;
  private readonly insTerms: Database.Statement;
  private readonly delSkipped: Database.Statement;
  private readonly insSkipped: Database.Statement;
  private readonly delSkippedOne: Database.Statement;
  private readonly setMeta: Database.Statement;

  constructor(private readonly db: IndexDb) {
    this.upsertFile = db.prepare(
      `INSERT INTO files (path, size, mtime_ms, hash, language, kind, parser, lines, skip_reason)
       VALUES (@path, @size, @mtimeMs, @hash, @language, @kind, @parser, @lines, @skipReason)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash,
         language = excluded.language, kind = excluded.kind, parser = excluded.parser, lines = excluded.lines,
         skip_reason = excluded.skip_reason`,
    );
    this.fileId = db.prepare('SELECT id FROM files WHERE path = ?');
    this.touchFile = db.prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE path = ?');
    this.delDefs = db.prepare('DELETE FROM definitions WHERE file_id = ?');
    this.delRefs = db.prepare('DELETE FROM file_refs WHERE file_id = ?');
    this.delImports = db.prepare('DELETE FROM imports WHERE file_id = ?');
    this.delTerms = db.prepare('DELETE FROM lexicon WHERE rowid = ?');
    this.delFile = db.prepare('DELETE FROM files WHERE id = ?');
    this.insDef = db.prepare(
      'INSERT INTO definitions (file_id, name, kind, line, end_line, depth, signature) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insRef = db.prepare('INSERT INTO file_refs (file_id, packed) VALUES (?, ?)');
    this.insImport = db.prepare('INSERT INTO imports (file_id, spec, line) VALUES (?, ?, ?)');
    this.insTerms = db.prepare('INSERT INTO lexicon (rowid, path_terms, symbol_terms, text_terms) VALUES (?, ?, ?, ?)');
    this.delSkipped = db.prepare('DELETE FROM skipped');
    this.insSkipped = db.prepare('INSERT OR REPLACE INTO skipped (path, reason) VALUES (?, ?)');
    this.delSkippedOne = db.prepare('DELETE FROM skipped WHERE path = ?');
    this.setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  private clearContent(id: number): void {
    this.delDefs.run(id);
    this.delRefs.run(id);
    this.delImports.run(id);
    this.delTerms.run(id);
  }

  /** Replaces everything known about one file. */
  write(file: ParsedFile): void {
    const existing = this.fileId.get(file.row.path);
    if (existing) this.clearContent(existing.id);
    this.upsertFile.run({ ...file.row, parser: file.facts?.parser ?? null, skipReason: file.skipReason });
    const id = (this.fileId.get(file.row.path) as { id: number }).id;
    if (!file.facts || !file.terms) return;
    for (const d of file.facts.definitions) this.insDef.run(id, d.name, d.kind, d.line, d.endLine, d.depth, d.signature);
    if (file.facts.references.size > 0) this.insRef.run(id, packReferences(file.facts.references));
    const seen = new Set<string>();
    for (const imp of file.facts.imports) {
      if (seen.has(imp.spec)) continue;
      seen.add(imp.spec);
      this.insImport.run(id, imp.spec, imp.line);
    }
    this.insTerms.run(id, file.terms.path, file.terms.symbols, file.terms.text);
  }

  /** Same content, new timestamp (a checkout or `touch`): nothing to re-parse. */
  touch(relPath: string, size: number, mtimeMs: number): void {
    this.touchFile.run(size, mtimeMs, relPath);
  }

  /** Forgets a file; false when it was not indexed. */
  remove(relPath: string): boolean {
    const existing = this.fileId.get(relPath);
    if (!existing) return false;
    this.clearContent(existing.id);
    this.delFile.run(existing.id);
    return true;
  }

  replaceSkipped(skipped: readonly SkippedPath[]): void {
    this.delSkipped.run();
    for (const s of skipped) this.insSkipped.run(s.path, s.reason);
  }

  addSkipped(skip: SkippedPath): void {
    this.insSkipped.run(skip.path, skip.reason);
  }

  unskip(relPath: string): void {
    this.delSkippedOne.run(relPath);
  }

  meta(key: string, value: string): void {
    this.setMeta.run(key, value);
  }

  transaction(fn: () => void): void {
    this.db.transaction(fn).immediate();
  }
}
