export type BriefMode = 'whole' | 'outline' | 'snippet';

export interface Section {
  mode: BriefMode;
  text: string;
  tokens: number;
}

/** One ranked file, rendered lazily: reading and counting every file would dominate the brief. */
export interface Candidate {
  path: string;
  whole(): Section | null;
  outline(maxTokens: number): Section | null;
  snippet(maxTokens: number): Section | null;
}

export interface PackPolicy {
  /** How many files may go in whole. */
  maxWhole: number;
  /** Largest share of the budget one whole file may take. */
  wholeShare: number;
  /** Largest share of the budget all whole files together may take. */
  wholeTotalShare: number;
  /**
   * Largest outline (or snippet) for the first few files and for the rest: a share of the
   * budget, capped, because past a point more files tell an agent more than longer outlines.
   */
  leadOutlineShare: number;
  leadOutlineMax: number;
  outlineShare: number;
  outlineMax: number;
  /** How many of the top files count as "first few". */
  leadCount: number;
  /** Budget kept back for the folder map. */
  mapShare: number;
  /** Below this many tokens left, stop looking for more files. */
  minSection: number;
  /** Look no further down the ranking than this. */
  maxCandidates: number;
}

export const DEFAULT_POLICY: PackPolicy = {
  maxWhole: 3,
  wholeShare: 0.3,
  wholeTotalShare: 0.5,
  leadOutlineShare: 0.15,
  leadOutlineMax: 900,
  outlineShare: 0.06,
  outlineMax: 350,
  leadCount: 4,
  mapShare: 0.08,
  minSection: 24,
  maxCandidates: 400,
};

export interface Packed {
  sections: Array<Section & { path: string }>;
  text: string;
  totalTokens: number;
}

/**
 * Fills the budget in rank order: whole files for the top few that fit, outlines for the next
 * ring, snippets where an outline is too big; then the folder map. The result is counted as
 * one string and trimmed from the bottom until it fits, because token counts of parts do not
 * add up exactly across their joins.
 */
export function packBrief(
  header: string,
  candidates: Iterable<Candidate>,
  budget: number,
  folderMap: (shown: ReadonlySet<string>, maxTokens: number) => string,
  count: (text: string) => number,
  policy: PackPolicy = DEFAULT_POLICY,
): Packed {
  const headerTokens = count(header);
  if (headerTokens >= budget) return fitLines(header, budget, count);

  const reserve = Math.floor(policy.mapShare * budget);
  let remaining = budget - headerTokens - reserve;
  const sections: Array<Section & { path: string }> = [];
  let wholeCount = 0;
  let wholeTokens = 0;
  let rank = 0;
  for (const c of candidates) {
    if (rank >= policy.maxCandidates || remaining < policy.minSection) break;
    const lead = rank < policy.leadCount;
    rank++;
    let chosen: Section | null = null;
    if (wholeCount < policy.maxWhole && lead) {
      const w = c.whole();
      if (w && w.tokens <= policy.wholeShare * budget && wholeTokens + w.tokens <= policy.wholeTotalShare * budget && w.tokens <= remaining) {
        chosen = w;
      }
    }
    if (!chosen) {
      const limit = lead ? Math.min(policy.leadOutlineShare * budget, policy.leadOutlineMax) : Math.min(policy.outlineShare * budget, policy.outlineMax);
      const cap = Math.min(remaining, Math.floor(limit));
      chosen = c.outline(cap) ?? c.snippet(cap);
      if (chosen && chosen.tokens > cap) chosen = null;
    }
    if (!chosen) continue;
    if (chosen.mode === 'whole') {
      wholeCount++;
      wholeTokens += chosen.tokens;
    }
    sections.push({ ...chosen, path: c.path });
    remaining -= chosen.tokens;
  }

  const used = sections.reduce((n, s) => n + s.tokens, 0);
  let mapTokens = Math.max(0, budget - headerTokens - used);
  for (;;) {
    const shown = new Set(sections.map((s) => s.path));
    const map = mapTokens > 0 ? folderMap(shown, mapTokens) : '';
    const text = header + sections.map((s) => s.text).join('') + map;
    const total = count(text);
    if (total <= budget) return { sections, text, totalTokens: total };
    // Over by the seams between parts: shrink the map first, then give up the least relevant file.
    const over = total - budget;
    if (map !== '') {
      mapTokens = Math.max(0, mapTokens - over - 1);
      continue;
    }
    if (sections.length === 0) return fitLines(header, budget, count);
    const dropped = sections.pop() as Section;
    mapTokens = Math.max(0, dropped.tokens - over);
  }
}

/** The longest prefix of whole lines (or, failing that, characters) within the budget. */
function fitLines(text: string, budget: number, count: (text: string) => number): Packed {
  const lines = text.split(/(?<=\n)/);
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(lines.slice(0, mid).join('')) <= budget) lo = mid;
    else hi = mid - 1;
  }
  let out = lines.slice(0, lo).join('');
  if (lo === 0 && lines.length > 0) {
    const first = lines[0] as string;
    let a = 0;
    let b = first.length;
    while (a < b) {
      const mid = Math.ceil((a + b) / 2);
      if (count(first.slice(0, mid)) <= budget) a = mid;
      else b = mid - 1;
    }
    out = first.slice(0, a);
  }
  return { sections: [], text: out, totalTokens: count(out) };
}
