// npm run bench: every benchmark, on the machine's Node (the first `node` on PATH outside
// node_modules/.bin, e.g. Node 20) and on Node 24 (node_modules/.bin/node), then the real-host
// scan benchmark. The core is bundled to plain JavaScript once so that both Nodes run the same code.
// Usage: node bench/run.mjs [name-filter]     (e.g. `npm run bench -- generate`)
// Each benchmark interleaves its contenders round by round and prints medians, targets and
// whether they are met, with the machine's load average.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as esbuild from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-'));
const core = join(dir, 'core.mjs');
await esbuild.build({ entryPoints: [join(root, 'bench/core.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile: core, logLevel: 'warning' });

const cleanPath = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes(`node_modules${'/'}.bin`)).join(delimiter);
const machineNode = spawnSync('node', ['-p', 'process.execPath'], { env: { ...process.env, PATH: cleanPath }, encoding: 'utf8' }).stdout?.trim();
const node24 = join(root, 'node_modules', '.bin', 'node');
const nodes = [...new Set([machineNode, node24].filter(Boolean))];

let failed = 0;
try {
  for (const f of ['generate.mjs', 'parse.mjs', 'check.mjs']) {
    if (only && !f.includes(only)) continue;
    for (const node of nodes) {
      const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
      console.log(`\n=== bench/${f} on Node ${version} (${node}) ===`);
      const r = spawnSync(node, [join(root, 'bench', f)], { stdio: 'inherit', env: { ...process.env, KEYSMITH_BENCH_CORE: core } });
      if (r.status !== 0) failed++;
    }
  }
  if (!only || 'scan.mjs'.includes(only)) {
    console.log('\n=== bench/scan.mjs in the real extension host (code-server, its Node) ===');
    const r = spawnSync(process.execPath, [join(root, 'bench', 'scan.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
