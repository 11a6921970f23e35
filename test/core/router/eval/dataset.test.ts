import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { csvFilesAt, labelRows, loadRoutingData, parseRoutingCsv, resolveColumn, RouteDataError } from '../../../../electron/core/router/eval/dataset';
import { tempDir } from './synthetic';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function folder(files: Record<string, string>): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(t.dir, name), text);
  return t.dir;
}

describe('routing data', () => {
  it('reads every .csv in a folder, in name order, and nothing else', () => {
    const dir = folder({
      'b.csv': 'prompt,weak-7b,strong-xl\n"second, file",True,False\n',
      'a.csv': 'prompt,weak-7b,strong-xl\nfirst,False,True\n',
      'notes.txt': 'prompt,weak-7b,strong-xl\nignored,True,True\n',
    });
    const data = loadRoutingData(dir);
    expect(data.files.map((f) => path.basename(f))).toEqual(['a.csv', 'b.csv']);
    expect(data.rows.map((r) => r.prompt)).toEqual(['first', 'second, file']);
    expect(data.columns).toEqual(['weak-7b', 'strong-xl']);
  });

  it('reads a single file, and offers only the model columns every file has', () => {
    const dir = folder({ 'a.csv': 'x,prompt,m1,m2\n1,p,True,True\n', 'b.csv': 'prompt,m2,m1\nq,False,True\n' });
    expect(loadRoutingData(path.join(dir, 'a.csv')).columns).toEqual(['x', 'm1', 'm2']);
    expect(loadRoutingData(dir).columns).toEqual(['m1', 'm2']);
  });

  it('labels rows from True/False in any common spelling', () => {
    const { rows } = parseRoutingCsv('prompt,w,s\na,True,false\nb,1,0\nc,yes,NO\n', 't.csv');
    expect(labelRows(rows, ['w', 's']).map((r) => [r.correct.w, r.correct.s])).toEqual([
      [true, false],
      [true, false],
      [true, false],
    ]);
  });

  it('names the file, record and column of a value that is not True or False', () => {
    const { rows } = parseRoutingCsv('prompt,w,s\na,True,False\nb,maybe,True\n', 'mmlu_law.csv');
    expect(() => labelRows(rows, ['w', 's'])).toThrow(/mmlu_law\.csv record 2, column "w": expected True or False, got "maybe"/);
  });

  it.each([
    ['', /the file is empty/],
    ['question,w,s\nq,True,True\n', /no "prompt" column \(columns: question, w, s\)/],
    ['prompt,w,s\nq,True\n', /record 1: 2 fields, the header has 3/],
    ['prompt,w\n"never closed,True\n', /line 2: a quoted field is never closed/],
  ])('refuses a malformed file %#', (text, message) => {
    expect(() => parseRoutingCsv(text, 'bad.csv')).toThrow(RouteDataError);
    expect(() => parseRoutingCsv(text, 'bad.csv')).toThrow(message);
  });

  it('refuses a missing path and a folder without CSVs', () => {
    const dir = folder({ 'readme.md': '# nothing' });
    expect(() => csvFilesAt(path.join(dir, 'nope'))).toThrow(/no such file or folder/);
    expect(() => csvFilesAt(dir)).toThrow(/no \.csv files/);
  });
});

describe('resolveColumn', () => {
  const columns = ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'gpt-4-1106-preview', 'gpt-4o'];

  it('takes an exact name even when it is also a substring of another column', () => {
    expect(resolveColumn(columns, 'gpt-4o', '--strong')).toBe('gpt-4o');
  });

  it('takes a substring that matches one column, ignoring case', () => {
    expect(resolveColumn(columns, 'mixtral', '--weak')).toBe('mistralai/Mixtral-8x7B-Instruct-v0.1');
  });

  it('refuses an ambiguous substring, naming the candidates', () => {
    expect(() => resolveColumn(columns, 'gpt-4', '--strong')).toThrow(/--strong "gpt-4" matches several columns \(gpt-4-1106-preview, gpt-4o\)/);
  });

  it('refuses an unknown column, listing the available ones', () => {
    expect(() => resolveColumn(columns, 'claude', '--weak')).toThrow(
      '--weak "claude" is not a column; available: mistralai/Mixtral-8x7B-Instruct-v0.1, gpt-4-1106-preview, gpt-4o',
    );
  });
});
