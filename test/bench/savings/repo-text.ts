// Real bytes from a repository at base_sha: what the scripted agents read, grep and paste.
import fs from 'node:fs';
import path from 'node:path';
import { walkRepository } from '../../../electron/core/pruner/repo/walk';
import { fileKind } from '../../../electron/core/pruner/repo/file-kind';

/** Claude Code's Read tool returns at most 2000 lines and cuts longer lines at 2000 characters. */
const READ_MAX_LINES = 2000;
const READ_MAX_LINE_CHARS = 2000;

export interface Tree {
  root: string;
  /** Source and test files the walk keeps (gitignore, vendored, generated, lockfiles and binaries left out), by path. */
  sources: string[];
}

const trees = new Map<string, Tree>();
const contents = new Map<string, string>();

export function openTree(root: string): Tree {
  let t = trees.get(root);
  if (!t) {
    const walked = walkRepository(root);
    const sources = walked.files.map((f) => f.path).filter((p) => ['source', 'test'].includes(fileKind(p)));
    t = { root, sources };
    trees.set(root, t);
  }
  return t;
}

export function readText(tree: Tree, rel: string): string {
  const key = path.join(tree.root, rel);
  let c = contents.get(key);
  if (c === undefined) {
    c = fs.existsSync(key) ? fs.readFileSync(key, 'utf8') : '';
    contents.set(key, c);
  }
  return c;
}

export function exists(tree: Tree, rel: string): boolean {
  return fs.existsSync(path.join(tree.root, rel));
}

/** `cat -n` format, as the Read tool answers. */
export function numbered(text: string, from = 1, to = Number.POSITIVE_INFINITY): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = from; i <= Math.min(to, lines.length, from + READ_MAX_LINES - 1); i++) {
    out.push(`${String(i).padStart(6)}\t${(lines[i - 1] ?? '').slice(0, READ_MAX_LINE_CHARS)}`);
  }
  return out.join('\n');
}

/** Every source file, concatenated in path order, up to `capChars`: the naive run's "whole repository". */
export function wholeRepository(tree: Tree, capChars: number): { text: string; files: string[]; truncated: boolean } {
  const parts: string[] = [];
  const files: string[] = [];
  let size = 0;
  for (const p of tree.sources) {
    const section = `## ${p}\n\`\`\`\n${readText(tree, p)}\n\`\`\`\n\n`;
    if (size + section.length > capChars) return { text: parts.join(''), files, truncated: true };
    parts.push(section);
    files.push(p);
    size += section.length;
  }
  return { text: parts.join(''), files, truncated: false };
}

/** Lines containing `needle`, as `path:line:text` (ripgrep's format), at most `max`. */
export function grep(tree: Tree, needle: string, max = 40): string[] {
  const hits: string[] = [];
  for (const p of tree.sources) {
    const lines = readText(tree, p).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (!line.includes(needle)) continue;
      hits.push(`${p}:${i + 1}:${line.trim().slice(0, 200)}`);
      if (hits.length >= max) return hits;
    }
  }
  return hits;
}

/**
 * The project's standing instructions (what a CLAUDE.md carries): the start of its README and its
 * contributing guide, real text, at most `capChars`.
 */
export function projectInstructions(tree: Tree, project: string, capChars = 8000): string {
  const pick = (names: string[]): string => {
    for (const n of names) if (exists(tree, n)) return readText(tree, n);
    return '';
  };
  const readme = pick(['README.md', 'README.rst', 'README']);
  const contributing = pick(['CONTRIBUTING.md', 'CONTRIBUTING.rst', '.github/CONTRIBUTING.md']);
  const half = Math.floor(capChars / 2);
  return [`# Project: ${project}`, '', '## README (start)', readme.slice(0, half), '', '## Contributing (start)', contributing.slice(0, capChars - Math.min(half, readme.length))].join('\n');
}
