// Bundles the integration tests for VS Code's extension host:
//   test/integration/index.ts + test/integration/**/*.test.ts  ->  out/test/integration/**.js (+ .map)
// platform node, CommonJS, `vscode` and `mocha` left external. Stale output is removed first.
// Usage: node test/host/build-tests.mjs        or  import { buildTests } from './build-tests.mjs'
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TESTS_SRC = join(REPO_ROOT, 'test', 'integration');
export const TESTS_OUT = join(REPO_ROOT, 'out', 'test', 'integration');

function findTestSources(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'fixtures' && e.name !== 'node_modules') out.push(...findTestSources(p)); }
    else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

/** Returns { outDir, index, tests: [abs .js paths] }. */
export async function buildTests({ quiet = false } = {}) {
  const t0 = Date.now();
  const sources = findTestSources(TESTS_SRC);
  rmSync(TESTS_OUT, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(TESTS_SRC, 'index.ts'), ...sources],
    outbase: TESTS_SRC,
    outdir: TESTS_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
  const tests = sources.map((s) => join(TESTS_OUT, relative(TESTS_SRC, s)).replace(/\.ts$/, '.js'));
  if (!quiet) console.error(`[build-tests] ${tests.length} test file(s) -> ${relative(REPO_ROOT, TESTS_OUT)} in ${Date.now() - t0} ms`);
  return { outDir: TESTS_OUT, index: join(TESTS_OUT, 'index.js'), tests };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try { await buildTests(); } catch (err) { console.error(err?.message ?? err); process.exit(1); }
}
