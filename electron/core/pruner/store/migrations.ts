/**
 * Numbered schema migrations of a repository index. Append only; `user_version` records the
 * last one applied. An index is a cache, so a schema it does not know is rebuilt, not refused.
 */
export const INDEX_MIGRATIONS: readonly string[] = [
  // 1: files, their definitions, references and imports, and the lexical index
  `
  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    hash TEXT NOT NULL,
    language TEXT NOT NULL,
    kind TEXT NOT NULL,
    parser TEXT,
    lines INTEGER NOT NULL DEFAULT 0,
    skip_reason TEXT
  );

  CREATE TABLE definitions (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    signature TEXT NOT NULL
  );
  CREATE INDEX definitions_by_file ON definitions(file_id, line);
  CREATE INDEX definitions_by_name ON definitions(name);

  CREATE TABLE refs (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (file_id, name)
  ) WITHOUT ROWID;
  CREATE INDEX refs_by_name ON refs(name);

  CREATE TABLE imports (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    spec TEXT NOT NULL,
    line INTEGER NOT NULL
  );
  CREATE INDEX imports_by_file ON imports(file_id);

  -- Skips decided by name or size alone, refreshed on every scan.
  CREATE TABLE skipped (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL
  );

  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  -- Terms only (contentless): the text itself stays in the repository.
  CREATE VIRTUAL TABLE lexicon USING fts5(
    path_terms, symbol_terms, text_terms,
    content = '', contentless_delete = 1, tokenize = 'porter unicode61'
  );
  `,
  // 2: a file's references as one packed row (name TAB count, one per line) instead of a row per name.
  // Writing a row per name and keeping an index by name was most of a large index's write time, and the
  // graph reads every reference anyway. An index is a cache: the old content is dropped and re-read.
  `
  DROP TABLE refs;
  CREATE TABLE file_refs (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    packed TEXT NOT NULL
  );
  DELETE FROM definitions;
  DELETE FROM imports;
  DELETE FROM files;
  DROP TABLE lexicon;
  CREATE VIRTUAL TABLE lexicon USING fts5(
    path_terms, symbol_terms, text_terms,
    content = '', contentless_delete = 1, tokenize = 'porter unicode61'
  );
  DELETE FROM meta;
  `,
];
