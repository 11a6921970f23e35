import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../../../electron/core/router/difficulty/random';
import type { LabelledPrompt } from '../../../../electron/core/router/eval/dataset';

export const WEAK = 'acme/small-7b';
export const STRONG = 'acme/large-v2';

const WORDS = 'river stone market lantern orbit copper meadow signal harbor violet engine thistle canyon ledger prism'.split(' ');

export interface Synthetic {
  rows: LabelledPrompt[];
  /** Share of prompts the weak model gets wrong and the strong one right. */
  rescued: number;
}

/**
 * Prompts of filler words. When `separable`, exactly the rescued prompts (weak wrong, strong right)
 * carry the word "quaternion", so a router can learn them; otherwise labels ignore the text.
 * Rows come sorted with the rescued ones first, so any router that leaks input order looks like an oracle.
 */
export function synthetic(n: number, opts: { rescued: number; separable: boolean; seed: number }): Synthetic {
  const random = seededRandom(opts.seed);
  const rescuedCount = Math.round(n * opts.rescued);
  const rows: LabelledPrompt[] = [];
  for (let i = 0; i < n; i++) {
    const isRescued = i < rescuedCount;
    const words = Array.from({ length: 8 }, () => WORDS[Math.floor(random() * WORDS.length)] as string);
    if (opts.separable && isRescued) words.splice(Math.floor(random() * words.length), 0, 'quaternion');
    rows.push({
      prompt: `Question ${i}: ${words.join(' ')}?`,
      correct: { [WEAK]: !isRescued, [STRONG]: true },
    });
  }
  return { rows, rescued: rescuedCount / n };
}

export function toCsv(rows: readonly LabelledPrompt[], columns: readonly string[] = [WEAK, STRONG]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = [['prompt', ...columns].join(',')];
  for (const r of rows) lines.push([quote(r.prompt), ...columns.map((c) => (r.correct[c] ? 'True' : 'False'))].join(','));
  return lines.join('\n') + '\n';
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-route-eval-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
