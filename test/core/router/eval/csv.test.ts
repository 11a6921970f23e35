import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../../../electron/core/router/eval/csv';

describe('parseCsv', () => {
  it('reads quoted fields holding commas, newlines and doubled quotes', () => {
    const text = 'prompt,a,b\n"Which, of these?\nA. ""x""\nB. y\nAnswer:",True,False\nplain,False,True\n';
    expect(parseCsv(text)).toEqual([
      ['prompt', 'a', 'b'],
      ['Which, of these?\nA. "x"\nB. y\nAnswer:', 'True', 'False'],
      ['plain', 'False', 'True'],
    ]);
  });

  it('accepts CRLF line ends, keeps a CRLF inside quotes, and drops a byte-order mark', () => {
    expect(parseCsv('\ufeffp,q\r\n"one\r\ntwo",x\r\n')).toEqual([
      ['p', 'q'],
      ['one\r\ntwo', 'x'],
    ]);
  });

  it('keeps empty fields, a last record without a line end, and a trailing empty field', () => {
    expect(parseCsv('a,,c\n,,\nx,"",')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
      ['x', '', ''],
    ]);
  });

  it('skips blank lines between records but keeps a quoted empty field', () => {
    expect(parseCsv('a\n\n\nb\n""\n')).toEqual([['a'], ['b'], ['']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('keeps a quote in the middle of an unquoted field as a character', () => {
    expect(parseCsv('5" pipe,ok\n')).toEqual([['5" pipe', 'ok']]);
  });

  it('reports a never-closed quote at the line where its record starts', () => {
    const err = (() => {
      try {
        parseCsv('h\n"multi\nline",x\n"open\nnever closed\n');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBe(4);
  });

  it('refuses text after a closing quote, counting lines inside quoted fields', () => {
    expect(() => parseCsv('h\n"a\nb"x,1\n')).toThrow(/line 3: unexpected character "x"/);
  });
});
