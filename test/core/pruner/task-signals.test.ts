import { describe, expect, it } from 'vitest';
import { fileSegments, pathMatchLength } from '../../../electron/core/pruner/rank/path-match';
import { extractTaskSignals } from '../../../electron/core/pruner/rank/task-signals';
import { identifierTerms, pathTerms, splitIdentifier } from '../../../electron/core/pruner/text/terms';

describe('reading a task', () => {
  it('finds stack frames from Python, Node, pytest and Java traces', () => {
    const s = extractTaskSignals(
      [
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3.9/site-packages/_pytest/python.py", line 183, in pytest_pyfunc_call',
        'src/_pytest/skipping.py:245: in pytest_runtest_setup',
        '    at Dayjs.format (/app/node_modules/dayjs/src/index.js:412:11)',
        '\tat com.acme.shop.Cart.total(Cart.java:42)',
      ].join('\n'),
    );
    expect(s.frames).toEqual([
      { path: 'com/acme/shop/Cart.java', line: 42 },
      { path: '/usr/lib/python3.9/site-packages/_pytest/python.py', line: 183 },
      { path: 'src/_pytest/skipping.py', line: 245 },
      { path: '/app/node_modules/dayjs/src/index.js', line: 412 },
    ]);
  });

  it('finds paths, including the path inside a GitHub link, and error messages', () => {
    const s = extractTaskSignals(
      'See https://github.com/iamkun/dayjs/blob/dev/src/plugin/utc/index.js#L20 and `dayjs/plugin/timezone`.\n' +
        'TypeError: Cannot read properties of undefined (reading "format")',
    );
    expect(s.paths).toEqual(expect.arrayContaining([['src', 'plugin', 'utc', 'index.js'], ['dayjs', 'plugin', 'timezone']]));
    expect(s.errorPhrases).toEqual(['Cannot read properties of undefined (reading  )']);
  });

  it('weighs identifiers by how code-like their mention is', () => {
    const s = extractTaskSignals('The parse step fails: call `parseZone()` then utcOffset(5) in the timezone plugin.');
    expect(s.identifiers.get('parseZone')).toBe(3);
    expect(s.identifiers.get('utcOffset')).toBe(3);
    expect(s.identifiers.get('timezone')).toBe(1);
    expect(s.identifiers.has('the')).toBe(false);
  });
});

describe('terms and paths', () => {
  it('splits camelCase, PascalCase, snake_case and acronyms alike', () => {
    expect(splitIdentifier('XMLHttpRequest')).toEqual(['xml', 'http', 'request']);
    expect(splitIdentifier('parse_zone_v2')).toEqual(['parse', 'zone', 'v', '2']);
    expect(identifierTerms('parseZone')).toEqual(['parse', 'zone', 'parsezone']);
    expect(pathTerms('src/locale/ar-dz.js')).toEqual(['src', 'locale', 'ar', 'dz', 'ardz', 'js']);
  });

  it('matches mentions to files by their trailing segments', () => {
    expect(fileSegments('src/plugin/utc/index.js')).toEqual(['src', 'plugin', 'utc']);
    expect(pathMatchLength(['dayjs', 'plugin', 'utc'], fileSegments('src/plugin/utc/index.js'))).toBe(2);
    expect(pathMatchLength(['python.py'], fileSegments('src/_pytest/python.py'))).toBe(1);
    expect(pathMatchLength(['utc'], fileSegments('src/plugin/utc/index.js'))).toBe(0);
    expect(pathMatchLength(['site-packages', '_pytest', 'python.py'], fileSegments('src/_pytest/python.py'))).toBe(2);
  });
});
