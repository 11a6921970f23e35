// `npm run bench [name…]`: runs every test/bench/*.bench.ts (or the named ones) in this one process,
// so ratios within a run compare like with like. Each bench prints its own figures.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = path.dirname(new URL(import.meta.url).pathname);
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  console.log(`\n=== ${name} ===`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default: (log: (line: string) => void) => Promise<void> };
    await mod.default((line) => console.log(`  ${line}`));
  } catch (e) {
    console.log(`  FAILED: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  }
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
