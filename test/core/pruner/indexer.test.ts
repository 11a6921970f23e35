import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openRepositoryIndex, updateIndex, updateIndexedFiles, type RepositoryIndex } from '../../../electron/core/pruner/indexer';
import { indexFileFor } from '../../../electron/core/pruner/store/index-db';
import { INDEX_MIGRATIONS } from '../../../electron/core/pruner/store/migrations';
import { makeRepo, SAMPLE_PROJECT, type TempRepo } from './temp-repo';

let repo: TempRepo | undefined;
let index: RepositoryIndex | undefined;
afterEach(() => {
  index?.close();
  index = undefined;
  repo?.cleanup();
});

const definers = (ix: RepositoryIndex, name: string): string[] =>
  (ix.db.prepare('SELECT f.path FROM definitions d JOIN files f ON f.id = d.file_id WHERE d.name = ? ORDER BY f.path').all(name) as { path: string }[]).map((r) => r.path);

describe('the repository index', () => {
  it('lives in one SQLite file per repository under <dataDir>/index/, in WAL mode', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    await updateIndex(index);
    const files = fs.readdirSync(path.join(repo.dataDir, 'index'));
    expect(files.filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
    expect(index.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('indexes every tracked file and leaves out ignored ones', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    const stats = await updateIndex(index);
    const paths = (index.db.prepare('SELECT path FROM files ORDER BY path').all() as { path: string }[]).map((r) => r.path);
    expect(paths).not.toContain('build/out.js');
    expect(paths).toContain('src/parser.ts');
    expect(stats.parsed).toBe(stats.files);
    expect(definers(index, 'parseDate')).toEqual(['src/parser.ts']);
    expect(definers(index, 'bump')).toEqual(['tools/util.py']);
  });

  it('re-parses only what changed: nothing on a second scan, one file after one edit', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    await updateIndex(index);
    const versionBefore = index.version;
    const again = await updateIndex(index);
    expect(again.parsed).toBe(0);
    expect(index.version).toBe(versionBefore);

    repo.write('src/lexer.ts', 'export type Token = string;\nexport function tokenizeStrict(input: string): Token[] { return [input]; }\n');
    const after = await updateIndex(index);
    expect(after.parsed).toBe(1);
    expect(index.version).toBe(versionBefore + 1);
    expect(definers(index, 'tokenize')).toEqual([]);
    expect(definers(index, 'tokenizeStrict')).toEqual(['src/lexer.ts']);
  });

  it('notices deleted files and keeps the lexical index in step', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    await updateIndex(index);
    const matches = (term: string): number => (index?.db.prepare('SELECT count(*) AS n FROM lexicon WHERE lexicon MATCH ?').get(`"${term}"`) as { n: number }).n;
    expect(matches('formatter')).toBeGreaterThan(0);
    repo.remove('src/format.ts');
    repo.remove('src/cli.ts');
    const stats = await updateIndex(index);
    expect(stats.removed).toBe(2);
    expect(matches('formatter')).toBe(0);
  });

  it('updates one named file without walking the tree, and survives reopening', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    await updateIndex(index);
    repo.write('src/new.ts', 'export function freshlyAdded() {}\n');
    const stats = await updateIndexedFiles(index, ['src/new.ts']);
    expect(stats.parsed).toBe(1);
    expect(definers(index, 'freshlyAdded')).toEqual(['src/new.ts']);
    index.close();

    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    expect(definers(index, 'freshlyAdded')).toEqual(['src/new.ts']);
    expect((await updateIndex(index)).parsed).toBe(0);
  });

  it('removes a deleted file on a targeted update and ignores paths outside the repository', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    await updateIndex(index);
    const version = index.version;
    expect((await updateIndexedFiles(index, ['never/was.ts', '../outside.ts', '/etc/passwd'])).removed).toBe(0);
    expect(index.version).toBe(version);
    repo.remove('src/lexer.ts');
    const stats = await updateIndexedFiles(index, ['src/lexer.ts']);
    expect(stats.removed).toBe(1);
    expect(definers(index, 'tokenize')).toEqual([]);
    expect(index.version).toBe(version + 1);
  });

  it('records content-based skips with the files and reports them on every scan', async () => {
    repo = makeRepo({ 'src/a.ts': 'export const a = 1\n', 'data.bin.txt': Buffer.from([0x61, 0x00, 0x62]), 'yarn.lock': '#\n' });
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    const first = await updateIndex(index);
    const second = await updateIndex(index);
    for (const stats of [first, second]) {
      expect(stats.skipped).toEqual([
        { path: 'data.bin.txt', reason: 'binary' },
        { path: 'yarn.lock', reason: 'lockfile' },
      ]);
      expect(stats.files).toBe(1);
    }
  });

  it('re-reads an index written by the previous schema instead of trusting its old reference rows', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    const file = indexFileFor(repo.root, repo.dataDir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const old = new Database(file);
    old.exec(INDEX_MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO files (path, size, mtime_ms, hash, language, kind) VALUES ('src/parser.ts', 1, 1, 'x', 'TypeScript', 'source')").run();
    old.prepare("INSERT INTO meta (key, value) VALUES ('id', 'old-id'), ('version', '7')").run();
    old.close();

    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    expect(index.id).not.toBe('old-id');
    const stats = await updateIndex(index);
    expect(stats.parsed).toBe(stats.files);
    expect(definers(index, 'parseDate')).toEqual(['src/parser.ts']);
    const packed = index.db.prepare('SELECT packed FROM file_refs JOIN files f ON f.id = file_id WHERE f.path = ?').get('src/cli.ts') as { packed: string } | undefined;
    expect(packed?.packed.split('\n').some((l) => l.startsWith('parseDate\t'))).toBe(true);
  });
});
