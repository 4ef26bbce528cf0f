// Bundles the web test suites for VS Code's web worker extension host:
//   test/web/setup.ts, the test files, test/web/run.ts  ->  out/test/web/<run>/index.js (+ .map)
// One file (the worker's `require` knows only `vscode`), platform browser, CommonJS, `vscode` external.
// It must lie inside the extension folder: VS Code runs a test file in the host of the extension
// whose folder contains it. The shared suites of test/integration/ are bundled from the same source
// as for the Node host; in this bundle `node:assert/strict` is test/web/assert.ts and the other
// Node built-ins are stubs that throw (dotenv loads fs/path/os/url but parse() needs none of them).
// The run's configuration is fixed with esbuild `define` (no process.env in a worker):
// KEYSMITH_WEB_CONFIG (test/web/config.ts) and, for the shared smoke test, process.env.KEYSMITH_*.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './provision.mjs';

export const WEB_SRC = join(REPO_ROOT, 'test', 'web');
export const WEB_OUT = join(REPO_ROOT, 'out', 'test', 'web');
const STUB = join(WEB_SRC, 'stubs', 'node-builtin.ts');
const ASSERT = join(WEB_SRC, 'assert.ts');

/** Sorted *.test.ts files below `dir` (relative to the repo root). */
export function testFilesIn(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== 'fixtures' && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(relative(REPO_ROOT, p).split('\\').join('/'));
    }
  };
  walk(join(REPO_ROOT, dir));
  return out.sort();
}

const nodeBuiltins = {
  name: 'web-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:assert(\/strict)?$|^assert(\/strict)?$/ }, () => ({ path: ASSERT }));
    build.onResolve({ filter: /^(node:)?(fs|fs\/promises|path|os|url|crypto|child_process|util|events|stream)$/ }, () => ({ path: STUB }));
  },
};

/**
 * Builds out/test/web/<run>/index.js from `files` (paths relative to the repo root, evaluated in
 * this order after mocha is set up). `config` becomes test/web/config.ts's WebRunConfig, `env` the
 * process.env the shared smoke test reads. Returns { index, outDir }.
 */
export async function buildWebTests({ run, files, config, env = {}, quiet = false }) {
  const t0 = Date.now();
  const outDir = join(WEB_OUT, run);
  rmSync(outDir, { recursive: true, force: true });
  const imp = (p) => JSON.stringify(`./${p}`);
  const contents = [
    `import ${imp('test/web/setup.ts')};`,
    ...files.map((f) => `import ${imp(f)};`),
    `export { run } from ${imp('test/web/run.ts')};`,
  ].join('\n');
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    stdin: { contents, resolveDir: REPO_ROOT, sourcefile: `web-tests-${run}.ts`, loader: 'ts' },
    outfile: join(outDir, 'index.js'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
    plugins: [nodeBuiltins],
    define: {
      KEYSMITH_WEB_CONFIG: JSON.stringify(config),
      'process.env': JSON.stringify(env),
    },
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
  if (!quiet) console.error(`[build-web-tests] ${files.length} test file(s) -> ${relative(REPO_ROOT, outDir)}/index.js in ${Date.now() - t0} ms`);
  return { index: join(outDir, 'index.js'), outDir };
}
