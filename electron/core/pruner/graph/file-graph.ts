import { unpackReferences } from '../store/file-writer';
import type { IndexDb } from '../store/index-db';
import { buildGraph, EdgeList, type WeightedGraph } from './pagerank';
import { ImportResolver } from './resolve-imports';

export interface IndexedFile {
  id: number;
  path: string;
  kind: string;
  language: string;
  lines: number;
}

/** Files as graph nodes (node i is `files[i]`) with weighted edges: imports and symbol uses. */
export interface FileGraph {
  files: IndexedFile[];
  nodeOf: Map<number, number>;
  graph: WeightedGraph;
}

/** A name defined in more files than this (`init`, `get`, `name`) links nothing in particular. */
const MAX_DEFINERS = 12;
const IMPORT_WEIGHT = 1;
/** Callers matter to a fix as well as callees, but less. */
const REVERSE_WEIGHT = 0.5;

export function loadFiles(db: IndexDb): IndexedFile[] {
  return db
    .prepare('SELECT id, path, kind, language, lines FROM files WHERE skip_reason IS NULL ORDER BY path')
    .all() as IndexedFile[];
}

export function buildFileGraph(db: IndexDb): FileGraph {
  const files = loadFiles(db);
  const nodeOf = new Map<number, number>();
  files.forEach((f, i) => nodeOf.set(f.id, i));
  const edges = new EdgeList();
  const add = (fromId: number, toId: number, w: number): void => {
    const a = nodeOf.get(fromId);
    const b = nodeOf.get(toId);
    if (a === undefined || b === undefined || a === b) return;
    edges.add(a, b, w);
    edges.add(b, a, w * REVERSE_WEIGHT);
  };

  const resolver = new ImportResolver(files);
  const pathOf = new Map(files.map((f) => [f.id, f.path]));
  for (const imp of db.prepare('SELECT file_id, spec FROM imports ORDER BY file_id, spec').iterate() as Iterable<{ file_id: number; spec: string }>) {
    const from = pathOf.get(imp.file_id);
    if (from === undefined) continue;
    for (const to of resolver.resolve(from, imp.spec)) add(imp.file_id, to, IMPORT_WEIGHT);
  }

  // A file that uses a name points at the files defining it; rarer names and more uses weigh more.
  // The join runs here rather than in SQL: every reference is read anyway, and walking files in path
  // order makes the sums (and so the ranking) the same however the index was built.
  const definers = new Map<string, number[]>();
  for (const [name, fileId] of db.prepare('SELECT name, file_id FROM definitions').raw().iterate() as Iterable<[string, number]>) {
    const node = nodeOf.get(fileId);
    if (name.length < 3 || node === undefined) continue;
    const list = definers.get(name);
    if (!list) definers.set(name, [node]);
    else if (!list.includes(node) && list.length <= MAX_DEFINERS) list.push(node);
  }
  for (const list of definers.values()) list.sort((x, y) => x - y);
  const packedOf = new Map(db.prepare('SELECT file_id, packed FROM file_refs').raw().all() as Array<[number, string]>);
  files.forEach((f, src) => {
    const packed = packedOf.get(f.id);
    if (packed === undefined) return;
    for (const [name, count] of unpackReferences(packed)) {
      const to = definers.get(name);
      if (!to || to.length > MAX_DEFINERS) continue;
      const w = Math.sqrt(Math.min(count, 16)) / to.length;
      for (const dst of to) {
        if (dst === src) continue;
        edges.add(src, dst, w);
        edges.add(dst, src, w * REVERSE_WEIGHT);
      }
    }
  });

  return { files, nodeOf, graph: buildGraph(files.length, edges) };
}

const cache = new Map<string, { version: number; graph: FileGraph }>();

/** The graph changes only when the index does: keep the last one per index (the gateway asks often). */
export function fileGraphFor(db: IndexDb, indexId: string, version: number): FileGraph {
  const hit = cache.get(indexId);
  if (hit && hit.version === version) return hit.graph;
  const graph = buildFileGraph(db);
  cache.delete(indexId);
  cache.set(indexId, { version, graph });
  while (cache.size > 4) cache.delete(cache.keys().next().value as string);
  return graph;
}
