// npm test: build, type-check, lint, then every test layer (unit, frameworks, integration, web, e2e), and one
// closing line "N passed, N failed" summing them all. A layer that crashes before reporting
// counts as one failure, so a broken layer can never look green.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const layers = (process.env.KEYSMITH_LAYERS ?? 'unit,frameworks,integration,web,e2e').split(',');
const totals = { passed: 0, failed: 0 };
const rows = [];

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', env: process.env });
    let out = '';
    if (capture) child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
    child.on('error', () => resolve({ code: 1, out }));
  });
}

function record(name, passed, failed, note = '') {
  totals.passed += passed;
  totals.failed += failed;
  rows.push(`${name.padEnd(12)} ${String(passed).padStart(4)} passed, ${String(failed).padStart(3)} failed${note ? `  (${note})` : ''}`);
}

async function check(name, cmd, args) {
  const r = await run(cmd, args);
  record(name, r.code === 0 ? 1 : 0, r.code === 0 ? 0 : 1);
  return r.code === 0;
}

function readCounts(file) {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    if (Number.isInteger(j.passed) && Number.isInteger(j.failed)) return j;
  } catch { /* missing or broken */ }
  return undefined;
}

const node = process.execPath;
const built = await check('build', node, ['esbuild.mjs']);
if (await check('typecheck', node, ['node_modules/typescript/bin/tsc', '-p', 'src/core'])) await check('typecheck', node, ['node_modules/typescript/bin/tsc', '-p', '.']);
await check('lint', node, ['node_modules/eslint/bin/eslint.js', '.']);

async function nodeTests(layer, glob) {
  const r = await run(node, ['--test', '--test-reporter=spec', glob], { capture: true });
  const pass = Number(/ℹ pass (\d+)/.exec(r.out)?.[1] ?? NaN);
  const fail = Number(/ℹ fail (\d+)/.exec(r.out)?.[1] ?? NaN);
  const cancelled = Number(/ℹ cancelled (\d+)/.exec(r.out)?.[1] ?? 0);
  // Skipped tests (a case that cannot run here, with its reason in the output) are not passes.
  const skipped = Number(/ℹ skipped (\d+)/.exec(r.out)?.[1] ?? 0);
  if (Number.isNaN(pass) || Number.isNaN(fail)) record(layer, 0, 1, 'no summary from node --test');
  else record(layer, pass, fail + cancelled + (r.code !== 0 && fail + cancelled === 0 ? 1 : 0), skipped > 0 ? `${skipped} skipped` : '');
}

if (layers.includes('unit')) await nodeTests('unit', 'test/unit/**/*.test.ts');

// Real Django, Flask/itsdangerous, pyca cryptography and PyJWT against the built CLI, in the venv
// scripts/ci-install.sh makes (scripts/py-frameworks.sh, re-run here: it returns at once when ready).
if (layers.includes('frameworks')) {
  if (!built) record('frameworks', 0, 1, 'build failed');
  else if ((await run('bash', ['scripts/py-frameworks.sh'])).code !== 0) record('frameworks', 0, 1, 'no Python venv (scripts/py-frameworks.sh failed)');
  else await nodeTests('frameworks', 'test/frameworks/**/*.test.ts');
}

for (const [layer, script, resultFile] of [
  ['integration', 'test/host/run-integration.mjs', '.vscode-test/results/integration.json'],
  // The web bundle in a browser web worker extension host: route A (code-server) and B (@vscode/test-web).
  ['web', 'test/host/run-web.mjs', '.vscode-test/results/web.json'],
  ['e2e', 'test/host/run-e2e.mjs', '.vscode-test/results/e2e.json'],
]) {
  if (!layers.includes(layer)) continue;
  if (!built) { record(layer, 0, 1, 'build failed'); continue; }
  rmSync(`${root}${resultFile}`, { force: true });
  if (layer === 'e2e') {
    const p = await run('npm', ['run', '--silent', 'package']);
    if (p.code !== 0) { record(layer, 0, 1, 'npm run package failed'); continue; }
  }
  const r = await run(node, [script]);
  const counts = existsSync(`${root}${resultFile}`) ? readCounts(`${root}${resultFile}`) : undefined;
  if (!counts) record(layer, 0, 1, `no results (exit ${r.code})`);
  else record(layer, counts.passed, counts.failed + (r.code !== 0 && counts.failed === 0 ? 1 : 0), [counts.pending > 0 ? `${counts.pending} skipped` : '', typeof counts.note === 'string' ? counts.note : ''].filter(Boolean).join('; '));
}

console.log('\nSummary by layer:');
for (const row of rows) console.log(`  ${row}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 ? 1 : 0;
