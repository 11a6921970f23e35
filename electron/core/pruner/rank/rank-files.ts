import { personalizedPageRank } from '../graph/pagerank';
import type { FileGraph, IndexedFile } from '../graph/file-graph';
import type { IndexDb } from '../store/index-db';
import { textTerms } from '../text/terms';
import { fileSegments, normalizeSegment, pathMatchLength } from './path-match';
import type { TaskSignals } from './task-signals';

export interface RankWeights {
  lexical: number;
  identifier: number;
  name: number;
  path: number;
  frame: number;
  error: number;
  graph: number;
  /** bm25 column weights: path, symbol names, text. */
  columns: readonly [number, number, number];
  /** Multiplier per file kind: what a fix changes is usually source. */
  kind: Readonly<Record<string, number>>;
}

export const DEFAULT_WEIGHTS: RankWeights = {
  lexical: 1,
  identifier: 0.8,
  name: 0.8,
  path: 1.5,
  frame: 2,
  error: 1,
  graph: 0.6,
  columns: [6, 3, 1],
  kind: { source: 1, test: 0.45, doc: 0.3, config: 0.4, other: 0.5 },
};

export interface RankedFile extends IndexedFile {
  score: number;
  /** Lines a stack trace pointed at, for snippets. */
  frameLines: number[];
  /** Mentioned identifiers this file defines, for outlines and snippets. */
  symbols: string[];
}

type Scores = Map<number, number>;

/** Share of the random walk's restarts spread evenly over all files rather than on the seeds. */
const UNIFORM_SHARE = 0.02;

function normalized(s: Scores): Scores {
  let max = 0;
  for (const v of s.values()) if (v > max) max = v;
  if (max <= 0) return new Map();
  return new Map([...s].map(([k, v]) => [k, v / max]));
}

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

function lexicalScores(db: IndexDb, signals: TaskSignals, w: RankWeights): Scores {
  const parts: string[] = [];
  for (const [term, n] of signals.terms) for (let i = 0; i < n; i++) parts.push(quote(term));
  const out: Scores = new Map();
  if (parts.length === 0) return out;
  const [a, b, c] = w.columns;
  const rows = db
    .prepare(`SELECT rowid AS id, -bm25(lexicon, ${a}, ${b}, ${c}) AS s FROM lexicon WHERE lexicon MATCH ?`)
    .all(parts.join(' OR ')) as { id: number; s: number }[];
  for (const r of rows) out.set(r.id, r.s);
  return out;
}

function errorScores(db: IndexDb, signals: TaskSignals): Scores {
  const out: Scores = new Map();
  const stmt = db.prepare('SELECT rowid AS id FROM lexicon WHERE lexicon MATCH ?');
  for (const phrase of signals.errorPhrases) {
    const terms = textTerms(phrase);
    if (terms.length < 2) continue;
    const q = `text_terms : "${terms.slice(0, 12).join(' ')}"`;
    const rows = stmt.all(q) as { id: number }[];
    // A message found in one place is a pointer; found in fifty it is boilerplate.
    for (const r of rows) out.set(r.id, (out.get(r.id) ?? 0) + 1 / rows.length);
  }
  return out;
}

function identifierScores(db: IndexDb, signals: TaskSignals, symbols: Map<number, string[]>): Scores {
  const out: Scores = new Map();
  const names = [...signals.identifiers.keys()];
  const definers = new Map<string, Set<number>>();
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names.slice(i, i + 500);
    const rows = db
      .prepare(`SELECT DISTINCT name, file_id FROM definitions WHERE name IN (${chunk.map(() => '?').join(',')})`)
      .all(...chunk) as { name: string; file_id: number }[];
    for (const r of rows) {
      const set = definers.get(r.name) ?? new Set<number>();
      set.add(r.file_id);
      definers.set(r.name, set);
    }
  }
  for (const [name, files] of [...definers].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const weight = (signals.identifiers.get(name) ?? 1) / files.size;
    for (const f of files) {
      out.set(f, (out.get(f) ?? 0) + weight);
      const list = symbols.get(f) ?? [];
      list.push(name);
      symbols.set(f, list);
    }
  }
  return out;
}

/** Words of the task that are a file's own name ("ar-ly" → src/locale/ar-ly.js, "utc" → src/plugin/utc/index.js). */
function nameScores(files: readonly IndexedFile[], signals: TaskSignals): Scores {
  const byStem = new Map<string, number[]>();
  for (const f of files) {
    const segs = fileSegments(f.path);
    const stem = segs[segs.length - 1];
    if (!stem || stem.length < 2) continue;
    const list = byStem.get(stem) ?? [];
    list.push(f.id);
    byStem.set(stem, list);
  }
  const out: Scores = new Map();
  const words = new Map<string, number>();
  for (const [id, w] of signals.identifiers) words.set(normalizeSegment(id), Math.max(words.get(normalizeSegment(id)) ?? 0, w));
  for (const segs of signals.paths) for (const s of segs) words.set(normalizeSegment(s), Math.max(words.get(normalizeSegment(s)) ?? 0, 2));
  for (const [word, w] of words) {
    const hits = byStem.get(word);
    if (!hits) continue;
    for (const id of hits) out.set(id, (out.get(id) ?? 0) + w / Math.sqrt(hits.length));
  }
  return out;
}

function pathScores(files: readonly IndexedFile[], signals: TaskSignals, frames: Map<number, number[]>): { paths: Scores; frames: Scores } {
  const paths: Scores = new Map();
  const frameScores: Scores = new Map();
  if (signals.paths.length === 0 && signals.frames.length === 0) return { paths, frames: frameScores };
  const segs = files.map((f) => fileSegments(f.path));
  const best = (mention: string[]): { ids: number[]; k: number } => {
    let k = 0;
    let ids: number[] = [];
    files.forEach((f, i) => {
      const m = pathMatchLength(mention, segs[i] as string[]);
      if (m > k) {
        k = m;
        ids = [f.id];
      } else if (m === k && m > 0) ids.push(f.id);
    });
    return { ids, k };
  };
  for (const mention of signals.paths) {
    const { ids, k } = best(mention);
    if (k === 0 || ids.length > 8) continue;
    for (const id of ids) paths.set(id, Math.max(paths.get(id) ?? 0, k / ids.length));
  }
  for (const frame of signals.frames) {
    const { ids, k } = best(frame.path.split('/'));
    if (k === 0 || ids.length > 4) continue;
    for (const id of ids) {
      frameScores.set(id, (frameScores.get(id) ?? 0) + 1 / ids.length);
      const lines = frames.get(id) ?? [];
      lines.push(frame.line);
      frames.set(id, lines);
    }
  }
  return { paths, frames: frameScores };
}

/**
 * Orders the repository's files by how much the task needs them. Seeds come from the text
 * (bm25 over paths, definitions and contents), from what the task names (identifiers, files,
 * stack frames, error messages); personalized PageRank from those seeds then brings in what
 * they use and what uses them. Ties break on path, so the order is deterministic.
 */
export function rankFiles(db: IndexDb, fg: FileGraph, signals: TaskSignals, w: RankWeights = DEFAULT_WEIGHTS): RankedFile[] {
  const symbols = new Map<number, string[]>();
  const frameLines = new Map<number, number[]>();
  const lex = normalized(lexicalScores(db, signals, w));
  const ident = normalized(identifierScores(db, signals, symbols));
  const names = normalized(nameScores(fg.files, signals));
  const located = pathScores(fg.files, signals, frameLines);
  const paths = normalized(located.paths);
  const frames = normalized(located.frames);
  const errors = normalized(errorScores(db, signals));

  const prior = (f: IndexedFile): number => w.kind[f.kind] ?? 0.5;
  const seeds = new Map<number, number>();
  fg.files.forEach((f, node) => {
    const s =
      w.lexical * (lex.get(f.id) ?? 0) +
      w.identifier * (ident.get(f.id) ?? 0) +
      w.name * (names.get(f.id) ?? 0) +
      w.path * (paths.get(f.id) ?? 0) +
      w.frame * (frames.get(f.id) ?? 0) +
      w.error * (errors.get(f.id) ?? 0);
    if (s > 0) seeds.set(node, s * prior(f));
  });

  // A little uniform teleport gives every file a rank by centrality, so a large budget is
  // filled with the project's hubs once the files the task names are in.
  const teleport = new Map<number, number>();
  let seedTotal = 0;
  for (const v of seeds.values()) seedTotal += v;
  const uniform = seedTotal > 0 ? (UNIFORM_SHARE * seedTotal) / Math.max(1, fg.files.length) : 1;
  fg.files.forEach((_, node) => teleport.set(node, (seeds.get(node) ?? 0) + uniform));
  const pr = personalizedPageRank(fg.graph, teleport);
  let prMax = 0;
  for (const v of pr) if (v > prMax) prMax = v;
  let seedMax = 0;
  for (const v of seeds.values()) if (v > seedMax) seedMax = v;

  const ranked: RankedFile[] = fg.files.map((f, node) => {
    const seed = seedMax > 0 ? (seeds.get(node) ?? 0) / seedMax : 0;
    const graph = prMax > 0 ? ((pr[node] as number) / prMax) * prior(f) : 0;
    return {
      ...f,
      score: seed + w.graph * graph,
      frameLines: [...new Set(frameLines.get(f.id) ?? [])].sort((a, b) => a - b),
      symbols: [...new Set(symbols.get(f.id) ?? [])].sort(),
    };
  });
  ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return ranked;
}
