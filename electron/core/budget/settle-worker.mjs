// Entry of the settle thread (settle-thread.ts). The core runs as TypeScript through tsx's loader
// (see bin/sluice.mjs), and a worker thread does not inherit the loader, so it registers it first.
// The desktop build bundles settle-worker-main.ts under this name instead (scripts/build-electron.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./settle-worker-main.ts');
