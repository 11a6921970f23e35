import { processIo, runCli } from './main';

const code = await runCli(process.argv.slice(2), processIo());
// Let stdout drain before exiting (piped output of `sluice usage --json`).
process.stdout.write('', () => process.exit(code));
