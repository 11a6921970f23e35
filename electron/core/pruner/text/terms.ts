/**
 * Terms for the lexical index. Code and issue text meet here, so both go through the same
 * splitting: `parseZone`, `parse_zone` and "parse zone" all yield `parse`, `zone` (plus the
 * joined `parsezone`, so an exact identifier match outranks its parts).
 */

const IDENT = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/** Words too common in prose or code to tell files apart. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does doing done for from had has have how i if in into is it its ' +
    'just me my no not of on or our out over so some such than that the their them then there these they this those to ' +
    'too up us use used using very was we were what when where which while who why will with would you your yes also ' +
    'should shall may might must get got make made like want need one two any all each other only same new old ' +
    'const let var function return true false null undefined none self def elif else end while fn func pub ' +
    'import export default require module package public private protected static void int str string ' +
    'js ts py go rs java md'
  ).split(' '),
);

export function isStopword(term: string): boolean {
  return STOPWORDS.has(term);
}

/** `XMLHttpRequest2_send` → ['xml', 'http', 'request', '2', 'send']. */
export function splitIdentifier(id: string): string[] {
  const out: string[] = [];
  for (const chunk of id.split(/[_$\-.]+/)) {
    if (chunk === '') continue;
    const parts = chunk.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g);
    if (!parts) continue;
    for (const p of parts) out.push(p.toLowerCase());
  }
  return out;
}

/** The parts of an identifier, plus the whole of it when it has several parts. */
export function identifierTerms(id: string): string[] {
  const parts = splitIdentifier(id);
  if (parts.length > 1) parts.push(parts.join(''));
  return parts;
}

/** Identifier → its index terms without stopwords, short or numeric parts: the same names recur all over a repository. */
const indexTermCache = new Map<string, readonly string[]>();
const INDEX_TERM_CACHE_MAX = 200_000;

/** Long enough and not a bare number: what any term list keeps. */
function isWordTerm(t: string): boolean {
  return t.length >= 2 && !/^[0-9]+$/.test(t);
}

function isIndexTerm(t: string): boolean {
  return isWordTerm(t) && !STOPWORDS.has(t);
}

function indexTermsOf(id: string): readonly string[] {
  let terms = indexTermCache.get(id);
  if (terms === undefined) {
    terms = identifierTerms(id).filter(isIndexTerm);
    if (indexTermCache.size >= INDEX_TERM_CACHE_MAX) indexTermCache.clear();
    indexTermCache.set(id, terms);
  }
  return terms;
}

/** Terms of free text or source code, in order (phrase queries rely on the order). */
export function textTerms(text: string, keepStopwords = false): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IDENT)) {
    if (keepStopwords) {
      for (const t of identifierTerms(m[0])) if (isWordTerm(t)) out.push(t);
    } else {
      for (const t of indexTermsOf(m[0])) out.push(t);
    }
  }
  return out;
}

/** Terms of a relative path: every folder and the file name, split like identifiers. */
export function pathTerms(relPath: string): string[] {
  const out: string[] = [];
  for (const segment of relPath.split('/')) {
    for (const piece of segment.split('.')) {
      if (piece === '') continue;
      out.push(...identifierTerms(piece));
    }
  }
  return out;
}
