// The `keysmith` executable (bundled to dist/cli.js).
import { join } from 'node:path';
import { main } from './main.ts';
import { Output } from './output.ts';

const out = new Output(process.stdout, process.stderr);
main(process.argv.slice(2), out, { cwd: process.cwd(), wordlistFile: join(__dirname, 'eff_large_wordlist.txt') }).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`keysmith: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
