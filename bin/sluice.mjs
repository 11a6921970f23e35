#!/usr/bin/env node
// The `sluice` command. The core is TypeScript run through tsx's loader, so a clone works
// with `npm ci` alone — no build step between the source and the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../electron/core/cli/bin.ts');
