// Entry of a parse worker. The core runs as TypeScript through tsx's loader (see bin/sluice.mjs),
// and a worker thread does not inherit the loader, so it registers it before loading the parser.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker-main.ts');
