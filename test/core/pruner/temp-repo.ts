import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A throwaway repository: files written from a map of relative path → content. */
export interface TempRepo {
  root: string;
  dataDir: string;
  write(rel: string, content: string | Buffer): void;
  remove(rel: string): void;
  cleanup(): void;
}

export function makeRepo(files: Record<string, string | Buffer>): TempRepo {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pruner-test-'));
  const root = path.join(base, 'repo');
  const dataDir = path.join(base, 'data');
  fs.mkdirSync(root);
  const write = (rel: string, content: string | Buffer): void => {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  return {
    root,
    dataDir,
    write,
    remove: (rel) => fs.rmSync(path.join(root, rel)),
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/** A small multi-language project: a date library with a parser, a formatter and a CLI. */
export const SAMPLE_PROJECT: Record<string, string> = {
  '.gitignore': 'build/\n*.log\n',
  'package.json': '{ "name": "sample", "version": "1.0.0" }\n',
  'README.md': '# Sample\n\nA date library.\n\n## Usage\n\nCall `parseDate`.\n',
  'src/parser.ts': [
    "import { Token, tokenize } from './lexer';",
    '',
    'export interface ParsedDate { year: number; month: number; day: number }',
    '',
    '/** Parses an ISO date. */',
    'export function parseDate(input: string): ParsedDate {',
    '  const tokens: Token[] = tokenize(input);',
    '  if (tokens.length !== 3) throw new Error("Invalid date format");',
    '  return { year: Number(tokens[0]), month: Number(tokens[1]), day: Number(tokens[2]) };',
    '}',
    '',
  ].join('\n'),
  'src/lexer.ts': [
    'export type Token = string;',
    '',
    'export function tokenize(input: string): Token[] {',
    "  return input.split('-');",
    '}',
    '',
  ].join('\n'),
  'src/format.ts': [
    "import { ParsedDate } from './parser';",
    '',
    'export class DateFormatter {',
    '  constructor(private readonly pattern: string) {}',
    '  format(d: ParsedDate): string {',
    "    return this.pattern.replace('YYYY', String(d.year));",
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/cli.ts': [
    "import { parseDate } from './parser';",
    "import { DateFormatter } from './format';",
    '',
    'export function main(argv: string[]): string {',
    "  return new DateFormatter('YYYY').format(parseDate(argv[0] ?? ''));",
    '}',
    '',
  ].join('\n'),
  'test/parser.test.ts': [
    "import { parseDate } from '../src/parser';",
    '',
    "it('parses', () => expect(parseDate('2024-01-02').year).toBe(2024));",
    '',
  ].join('\n'),
  'tools/release.py': [
    'import os',
    'from tools.util import bump',
    '',
    'class Release:',
    '    def publish(self, version):',
    '        return bump(version)',
    '',
  ].join('\n'),
  'tools/util.py': ['def bump(version):', '    return version + 1', ''].join('\n'),
  'tools/__init__.py': '',
  'build/out.js': 'console.log("built")\n',
};
