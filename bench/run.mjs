// npm run bench: every benchmark, on the machine's Node (the first `node` on PATH outside
// node_modules/.bin, e.g. Node 20) and on Node 24 (node_modules/.bin/node), then the real-host
// scan benchmark. The core is bundled to plain JavaScript once so that both Nodes run the same code.
// Usage: node bench/run.mjs [name-filter]     (e.g. `npm run bench -- generate`)
// Each benchmark interleaves its contenders round by round and prints medians, targets and
// whether they are met, with the machine's load average.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as esbuild from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-'));
const core = join(dir, 'core.mjs');
await esbuild.build({ entryPoints: [join(root, 'bench/core.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile: core, logLevel: 'warning' });
const baseline = await buildBaseline();

/**
 * The core as it was before the leak rules (client-exposed-secret, URL passwords, provider
 * credentials, guessable phrases): the commit before src/core/providers.ts was added, or
 * KEYSMITH_BENCH_BASELINE_REV, read from git and bundled like the current core, so that
 * bench/check.mjs times both on the same text in the same run. Undefined (and said so) without git.
 */
async function buildBaseline() {
  const git = (...args) => spawnSync('git', ['-C', root, ...args], { encoding: 'buffer', maxBuffer: 1 << 28 });
  let rev = process.env.KEYSMITH_BENCH_BASELINE_REV;
  if (!rev) {
    const added = git('log', '--diff-filter=A', '--format=%H', '-1', '--', 'src/core/providers.ts');
    const commit = added.status === 0 ? added.stdout.toString().trim() : '';
    if (!commit) {
      console.log('(no git history here: the before/after-leak-rules comparison is skipped)');
      return undefined;
    }
    rev = `${commit}^`;
  }
  const tar = git('archive', '--format=tar', rev, 'src', 'bench/core.ts', 'test/unit/helpers/seeded.ts');
  if (tar.status !== 0) {
    console.log(`(git archive ${rev} failed: the before/after-leak-rules comparison is skipped)`);
    return undefined;
  }
  const src = join(dir, 'baseline-src');
  mkdirSync(src);
  const x = spawnSync('tar', ['-x', '-C', src], { input: tar.stdout });
  if (x.status !== 0) return undefined;
  const out = join(dir, 'baseline.mjs');
  await esbuild.build({ entryPoints: [join(src, 'bench/core.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile: out, logLevel: 'warning' });
  const short = git('rev-parse', '--short', rev).stdout.toString().trim();
  return { core: out, rev: short || rev };
}

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
      const env = { ...process.env, KEYSMITH_BENCH_CORE: core, ...(baseline ? { KEYSMITH_BENCH_BASELINE_CORE: baseline.core, KEYSMITH_BENCH_BASELINE_REV: baseline.rev } : {}) };
      const r = spawnSync(node, [join(root, 'bench', f)], { stdio: 'inherit', env });
      if (r.status !== 0) failed++;
    }
  }
  if (!only || 'phrases.mjs'.includes(only)) {
    // TypeScript sources and the zxcvbn-ts packages directly: Node 24 only.
    console.log(`\n=== bench/phrases.mjs on Node 24 (${node24}) ===`);
    const r = spawnSync(node24, [join(root, 'bench', 'phrases.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
  if (!only || 'scan.mjs'.includes(only)) {
    // The host loads dist/: build it from this tree first (a stale dist/ measured old code).
    const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) failed++;
    console.log('\n=== bench/scan.mjs in the real extension host (code-server, its Node) ===');
    const r = spawnSync(process.execPath, [join(root, 'bench', 'scan.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
