import { isStopword, textTerms } from '../text/terms';

/** A place in the code a stack trace points at. */
export interface TraceFrame {
  path: string;
  line: number;
}

/** What a task's text says about where to look. Pure: no repository needed. */
export interface TaskSignals {
  /** Lexical query: term → weight (occurrences, capped). */
  terms: Map<string, number>;
  /** Identifiers as written, with how code-like their mention was (1 plain word … 3 in code). */
  identifiers: Map<string, number>;
  /** Path-like mentions, split into segments ("dayjs/plugin/utc" → ['dayjs','plugin','utc']). */
  paths: string[][];
  frames: TraceFrame[];
  /** Error and log messages worth finding verbatim. */
  errorPhrases: string[];
}

const MAX_TERMS = 120;
const CODE_EXT = 'py|pyi|js|mjs|cjs|jsx|ts|tsx|mts|cts|go|rs|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|scala|vue|svelte|json|ya?ml|toml|md|rst|txt|cfg|ini|d\\.ts';

const FRAME_PATTERNS: RegExp[] = [
  // Python: File "/x/y/_pytest/python.py", line 123, in foo
  /File "([^"]+)", line (\d+)/g,
  // Node, Go, Rust, pytest: path.ext:line[:col]
  new RegExp(`((?:[A-Za-z]:)?[\\w./\\\\@~+-]*[\\w-]\\.(?:${CODE_EXT})):(\\d+)`, 'g'),
];
// Java: at com.example.Foo.bar(Foo.java:42)
const JAVA_FRAME = /at ((?:[\w$]+\.)+)[\w$<>]+\((\w+\.java):(\d+)\)/g;

const URL = /\bhttps?:\/\/[^\s)>\]"'`]+/g;
const PATHISH = new RegExp(`(?:^|[\\s\`'"(\\[<])((?:[\\w@.-]+/)+[\\w@.-]+|[\\w-]+\\.(?:${CODE_EXT}))(?=$|[\\s\`'")\\]>:,;#?])`, 'gm');
const ERROR_LINE = /\b([A-Z]\w*(?:Error|Exception|Warning|Failure|Fault))\b:?\s*(.*)$/gm;
const IDENT = /[A-Za-z_$][\w$]*/g;

function codeRegions(task: string): string[] {
  const out: string[] = [];
  for (const m of task.matchAll(/```[^\n]*\n([\s\S]*?)```/g)) out.push(m[1] as string);
  for (const m of task.matchAll(/`([^`\n]+)`/g)) out.push(m[1] as string);
  return out;
}

function isCodeLike(id: string): boolean {
  return /[a-z][A-Z]|_|\$/.test(id) || /^[A-Z][a-z]+[A-Z]/.test(id);
}

function urlPath(url: string): string[] {
  let p: string;
  try {
    p = new globalThis.URL(url).pathname;
  } catch {
    return [];
  }
  const segs = p.split('/').filter((s) => s !== '');
  // github.com/<owner>/<repo>/blob/<ref>/<path…>: only the path inside the repository.
  const at = segs.findIndex((s) => s === 'blob' || s === 'tree');
  return at >= 0 ? segs.slice(at + 2) : segs;
}

function addPath(out: string[][], seen: Set<string>, segs: string[]): void {
  const clean = segs.map((s) => s.replace(/#.*$/, '')).filter((s) => s !== '' && s !== '.' && s !== '..');
  if (clean.length === 0) return;
  const key = clean.join('/');
  if (seen.has(key)) return;
  seen.add(key);
  out.push(clean);
}

export function extractTaskSignals(task: string): TaskSignals {
  const terms = new Map<string, number>();
  for (const t of textTerms(task)) terms.set(t, (terms.get(t) ?? 0) + 1);
  const top = [...terms.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_TERMS)
    .map(([t, n]) => [t, Math.min(n, 3)] as const);

  const identifiers = new Map<string, number>();
  const bump = (id: string, w: number): void => {
    if (id.length < 3 || isStopword(id.toLowerCase())) return;
    identifiers.set(id, Math.max(identifiers.get(id) ?? 0, w));
  };
  for (const m of task.matchAll(IDENT)) bump(m[0], isCodeLike(m[0]) ? 2 : 1);
  for (const region of codeRegions(task)) for (const m of region.matchAll(IDENT)) bump(m[0], 3);
  for (const m of task.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) bump(m[1] as string, 3);

  const frames: TraceFrame[] = [];
  const frameKeys = new Set<string>();
  const addFrame = (p: string, line: number): void => {
    const norm = p.replace(/\\/g, '/');
    const key = `${norm}:${line}`;
    if (frameKeys.has(key) || /^https?:/.test(norm)) return;
    frameKeys.add(key);
    frames.push({ path: norm, line });
  };
  const withoutUrls = task.replace(URL, ' ');
  // Java first: its frames name the package, which the bare "Cart.java:42" inside them does not.
  for (const m of task.matchAll(JAVA_FRAME)) {
    const pkg = (m[1] as string).split('.').slice(0, -2);
    addFrame([...pkg, m[2] as string].join('/'), Number(m[3]));
  }
  for (const re of FRAME_PATTERNS) {
    for (const m of withoutUrls.matchAll(re)) {
      const p = (m[1] as string).replace(/\\/g, '/');
      const line = Number(m[2]);
      if (frames.some((f) => f.line === line && f.path.endsWith(`/${p}`))) continue;
      addFrame(p, line);
    }
  }

  const paths: string[][] = [];
  const seenPaths = new Set<string>();
  for (const m of task.matchAll(URL)) addPath(paths, seenPaths, urlPath(m[0]));
  for (const m of withoutUrls.matchAll(PATHISH)) addPath(paths, seenPaths, (m[1] as string).replace(/\\/g, '/').split('/'));
  for (const f of frames) addPath(paths, seenPaths, f.path.split('/'));

  const errorPhrases: string[] = [];
  for (const m of task.matchAll(ERROR_LINE)) {
    // Drop the parts that vary between runs (quoted values, numbers, addresses).
    const message = (m[2] as string).replace(/(['"`]).*?\1|0x[0-9a-f]+|\d+/gi, ' ').trim();
    if (textTerms(message).length >= 2) errorPhrases.push(message);
  }

  return { terms: new Map(top), identifiers, paths, frames, errorPhrases: [...new Set(errorPhrases)].slice(0, 8) };
}
