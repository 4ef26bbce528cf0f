// Runs the integration suites in VS Code's real extension host (code-server + headless Chromium).
// Usage: node test/host/run-integration.mjs [run-name …]        (npm run test:integration builds first)
// Environment:
//   KEYSMITH_HOST_TIMEOUT_MS   per-run time limit (default 600000: generous for a busy machine); on expiry a screenshot is saved
//                              to .vscode-test/failure-<run>.png and the run fails
//   KEYSMITH_EXTENSION_PATH    extension folder to load (default: the repo root = Keysmith's dist/);
//                              test/host/fixture-ext is a stand-in for developing the host
//   KEYSMITH_TEST_GREP         only tests whose full title matches (passed to mocha)
//   KEYSMITH_TEST_TIMEOUT      per-test mocha timeout in ms
//   KEYSMITH_HOST_VERBOSE=1    also print the workbench's and code-server's own log lines
//   KEYSMITH_KEEP_TEMP=1       keep temp workspaces and server folders (paths are printed)
//   KEYSMITH_HOST_JOBS=N       run up to N runs in parallel (default 1)
// Writes .vscode-test/results/<run>.json per run and .vscode-test/results/integration.json combined.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provision, REPO_ROOT, CACHE_DIR, ProvisionError } from './provision.mjs';
import { buildTests, TESTS_OUT } from './build-tests.mjs';
import { startHost, isNoise, findProcesses, waitForWorkbench } from './host.mjs';

const FIXTURES = join(REPO_ROOT, 'test', 'integration', 'fixtures');
const RESULTS_DIR = join(CACHE_DIR, 'results');

/**
 * The runs. Each gets a fresh temp copy of test/integration/fixtures/<fixtures>/ (if present).
 *   workspace(dir) -> { folder } | { workspaceFile }, plus expectFolders for the smoke test
 *   trust: false = Workspace Trust disabled (everything trusted); true = Trust on, opens in Restricted Mode
 *   tests: globs relative to out/test/integration (compiled .js); a run whose globs match nothing is skipped
 */
export const RUNS = [
  {
    name: 'single', fixtures: 'single', trust: false,
    workspace: (dir) => ({ folder: dir, expectFolders: 1 }),
    tests: ['smoke.test.js', 'single/**/*.test.js'],
  },
  {
    name: 'multi', fixtures: 'multi', trust: false,
    workspace: (dir) => ({ workspaceFile: join(dir, 'keysmith.code-workspace'), expectFolders: 2 }),
    tests: ['smoke.test.js', 'multi/**/*.test.js'],
  },
  {
    // A workspace with no .env at all (Keysmith has workspaceContains:**/.env activation events), for
    // laziness checks; no smoke test here because it activates the extension. Exists once
    // test/integration/lazy/*.test.ts exist.
    name: 'lazy', fixtures: 'lazy', trust: false, requires: 'lazy/**/*.test.js',
    workspace: (dir) => ({ folder: dir, expectFolders: 1 }),
    tests: ['lazy/**/*.test.js'],
  },
  {
    // Restricted Mode: activates as soon as test/integration/restricted/*.test.ts exist.
    name: 'restricted', fixtures: 'single', trust: true, requires: 'restricted/**/*.test.js',
    workspace: (dir) => ({ folder: dir, expectFolders: 1 }),
    tests: ['smoke.test.js', 'restricted/**/*.test.js'],
  },
  // Benchmark runs (npm run bench, bench/scan.mjs; never part of npm test): a monorepo of N
  // package folders, each with a .env, in one git repository; the test reports the time to
  // diagnostics and the git processes started (results in KEYSMITH_BENCH_OUT).
  ...[1, 100, 1000].map((n) => ({
    name: `scan-${n}`, benchOnly: true, trust: false,
    workspace: (dir) => { makeMonorepo(dir, n); return { folder: dir, expectFolders: 1 }; },
    tests: ['bench/scan.test.js'],
    env: { KEYSMITH_SCAN_FOLDERS: String(n), KEYSMITH_BENCH_OUT: process.env.KEYSMITH_BENCH_OUT ?? '' },
  })),
];

/** A git repository with `n` package folders, each holding a weak .env (ignored) and a .env.example. */
function makeMonorepo(dir, n) {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  execFileSync('git', ['init', '-q'], { cwd: dir, env });
  writeFileSync(join(dir, '.gitignore'), '.env\nnode_modules/\n');
  for (let i = 0; i < n; i++) {
    const pkg = join(dir, 'packages', `pkg-${i}`);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '.env'), `PORT=${3000 + i}\nAPI_KEY=changeme\n`);
    writeFileSync(join(pkg, '.env.example'), 'PORT=3000\nAPI_KEY=\n');
  }
  // node_modules is never scanned: its .env files must not show up or count.
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'dep', '.env'), 'API_KEY=changeme\n');
}

// VS Code's built-in git extension opens every repository the suites create (git init in temp
// folders) and keeps running git there after a test deletes the folder: `spawn git ENOENT`
// (cwd gone), an unhandled rejection and an "unknown error" notification. Keysmith runs git
// itself, so the suites turn the built-in extension off.
const INTEGRATION_SETTINGS = { 'git.enabled': false };

const TEST_MARK = /^(?:\u2063|\u2064 ?)/; // see test/integration/index.ts
const VERBOSE = process.env.KEYSMITH_HOST_VERBOSE === '1';
const KEEP = process.env.KEYSMITH_KEEP_TEMP === '1';
const TIMEOUT_MS = Number(process.env.KEYSMITH_HOST_TIMEOUT_MS) || 600000;
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Minimal glob: `**` = any folders, `*` = any chars except '/'. */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') { re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'; i += glob[i + 2] === '/' ? 2 : 1; }
    else if (ch === '*') re += '[^/]*';
    else re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
const matchAny = (globs, files) => files.filter((f) => [].concat(globs).some((g) => globToRegExp(g).test(f)));

function extensionUnderTest() {
  const dir = resolve(REPO_ROOT, process.env.KEYSMITH_EXTENSION_PATH || '.');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const main = pkg.main && resolve(dir, pkg.main.endsWith('.js') ? pkg.main : `${pkg.main}.js`);
  if (!main || !existsSync(main)) {
    throw new Error(`${relative(REPO_ROOT, main ?? dir) || main} does not exist: run \`npm run build\` first ` +
      '(or KEYSMITH_EXTENSION_PATH=test/host/fixture-ext to exercise the host with its stand-in extension)');
  }
  return { dir, id: `${pkg.publisher}.${pkg.name}` };
}

const tempDirs = new Set();
process.on('exit', () => { if (!KEEP) for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });

function freshWorkspace(run) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `keysmith-ws-${run.name}-`)));
  tempDirs.add(dir);
  const src = join(FIXTURES, run.fixtures ?? run.name);
  if (run.benchOnly) return dir;
  if (existsSync(src)) cpSync(src, dir, { recursive: true });
  return dir;
}

async function runOne(run, { provisioned, ext, compiled }) {
  const files = matchAny(run.tests, compiled);
  const tag = c('36', `[${run.name}]`);
  const resultsFile = join(RESULTS_DIR, `${run.name}.json`);
  rmSync(resultsFile, { force: true });
  const wsDir = freshWorkspace(run);
  const ws = run.workspace(wsDir);
  console.log(`${tag} ${files.length} test file(s), workspace ${ws.workspaceFile ?? ws.folder}${run.trust ? ' (Workspace Trust on: Restricted Mode)' : ''}`);

  const t0 = Date.now();
  const timings = {};
  let host;
  let timedOut = false;
  let exitCode;
  let lastBlank = false;
  try {
    host = await startHost({
      provisioned,
      ...ws,
      workspaceTrust: run.trust,
      keepTemp: KEEP,
      settings: INTEGRATION_SETTINGS,
      extensionDevelopmentPath: ext.dir,
      extensionTestsPath: join(TESTS_OUT, 'index'),
      extensionEnvironment: {
        KEYSMITH_RUN: run.name,
        KEYSMITH_TEST_FILES: JSON.stringify(files),
        KEYSMITH_TEST_RESULTS: resultsFile,
        KEYSMITH_TEST_COLOR: color ? '1' : '0',
        KEYSMITH_EXTENSION_ID: ext.id,
        KEYSMITH_EXPECT_FOLDERS: String(ws.expectFolders ?? 1),
        KEYSMITH_EXPECT_TRUSTED: String(!run.trust),
        KEYSMITH_WORKSPACE: wsDir,
        ...(process.env.KEYSMITH_TEST_GREP ? { KEYSMITH_TEST_GREP: process.env.KEYSMITH_TEST_GREP } : {}),
        ...(process.env.KEYSMITH_TEST_TIMEOUT ? { KEYSMITH_TEST_TIMEOUT: process.env.KEYSMITH_TEST_TIMEOUT } : {}),
        ...(run.env ?? {}),
      },
      onLog: (level, text) => {
        // index.ts marks the test process's console output with U+2063; the rest is the workbench's.
        const el = VERBOSE ? c('2', `+${secs(Date.now() - t0)} `) : '';
        if (TEST_MARK.test(text)) {
          const body = text.replace(TEST_MARK, '');
          if (!body.trim()) { if (!lastBlank) console.log(tag); lastBlank = true; return; }
          lastBlank = false;
          for (const line of body.split('\n')) console.log(`${tag} ${el}${line}`);
        } else if (VERBOSE || (/error|warn/i.test(level) && !isNoise(text))) {
          console.log(c('2', `${tag} ${el}(workbench ${level}) ${VERBOSE ? text : text.split('\n')[0]}`));
        }
      },
      serverLog: (line) => { if (VERBOSE) console.log(c('2', `${tag} +${secs(Date.now() - t0)} server: ${line}`)); },
    });
    timings.server = host.timings.serverReady - t0;
    if (VERBOSE) console.log(`${tag} server ${secs(host.timings.serverReady - t0)}, browser ${secs(host.timings.browserReady - t0)}, page loaded ${secs(host.timings.pageLoaded - t0)}`);
    if (KEEP) console.log(`${tag} temp: ${host.dirs.root}`);
    const deadline = new Promise((res) => setTimeout(() => res('timeout'), Math.max(1000, TIMEOUT_MS - (Date.now() - t0))).unref());
    const wb = waitForWorkbench(host.page, TIMEOUT_MS).then(() => { timings.workbench = Date.now() - t0; }, () => {});
    const outcome = await Promise.race([host.exitCode, deadline]);
    if (outcome === 'timeout') {
      timedOut = true;
      const shot = join(CACHE_DIR, `failure-${run.name}.png`);
      await host.page.screenshot({ path: shot, timeout: 10000 }).then(
        () => console.log(`${tag} ${c('31', `timed out after ${secs(TIMEOUT_MS)}`)}; screenshot: ${relative(REPO_ROOT, shot)}`),
        (e) => console.log(`${tag} timed out after ${secs(TIMEOUT_MS)}; screenshot failed: ${e.message}`));
    } else {
      exitCode = outcome;
      await Promise.race([wb, new Promise((r) => setTimeout(r, 100))]);
    }
    timings.total = Date.now() - t0;
  } catch (err) {
    console.log(`${tag} ${c('31', 'host error:')} ${err?.stack ?? err}`);
  } finally {
    const root = host?.dirs.root;
    const tStop = Date.now();
    if (host) await host.stop().catch((e) => console.log(`${tag} teardown: ${e.message}`));
    timings.teardown = Date.now() - tStop;
    const left = root ? await findProcesses(root) : [];
    if (left.length) console.log(`${tag} ${c('31', 'processes left behind:')}\n  ${left.join('\n  ')}`);
    if (!KEEP) { rmSync(wsDir, { recursive: true, force: true }); tempDirs.delete(wsDir); }
  }

  let results = null;
  try { results = JSON.parse(readFileSync(resultsFile, 'utf8')); } catch { /* none written */ }
  const counts = { passed: results?.passed ?? 0, failed: results?.failed ?? 0, pending: results?.pending ?? 0 };
  let ok = !timedOut && exitCode === 0 && results !== null && counts.failed === 0;
  if (!ok && counts.failed === 0) counts.failed = 1; // host error, timeout or no results: count the run as one failure
  const suite = timings.workbench !== undefined && timings.total !== undefined ? timings.total - timings.workbench : undefined;
  console.log(`${tag} ${ok ? c('32', 'PASS') : c('31', 'FAIL')} ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending` +
    ` (exit ${timedOut ? 'timeout' : exitCode ?? 'none'}; server ${timings.server !== undefined ? secs(timings.server) : '-'},` +
    ` workbench ready ${timings.workbench !== undefined ? secs(timings.workbench) : '-'},` +
    ` suite ${suite !== undefined ? secs(suite) : '-'}, total ${timings.total !== undefined ? secs(timings.total) : '-'}, teardown ${secs(timings.teardown ?? 0)})`);
  for (const f of results?.failures ?? []) {
    const [first, ...rest] = String(f.message).split('\n').filter((l) => l.trim());
    console.log(`${tag}   ${c('31', '✗')} ${f.title}: ${first ?? ''}${rest.length ? c('2', ` (+${rest.length} more line(s) above)`) : ''}`);
  }
  return { name: run.name, ok, ...counts, durationMs: timings.total ?? null, timings, failures: results?.failures ?? [] };
}

export async function main(argv = process.argv.slice(2)) {
  const t0 = Date.now();
  const selected = argv.filter((a) => !a.startsWith('-'));
  const unknown = selected.filter((n) => !RUNS.some((r) => r.name === n));
  if (unknown.length) { console.error(`unknown run(s): ${unknown.join(', ')}; known: ${RUNS.map((r) => r.name).join(', ')}`); return 2; }

  let ext;
  try { ext = extensionUnderTest(); } catch (e) { console.error(`[integration] ${e.message}`); return 1; }
  const { tests } = await buildTests();
  const compiled = tests.map((t) => relative(TESTS_OUT, t).split('\\').join('/'));
  let provisioned;
  try { provisioned = await provision(); } catch (e) {
    console.error(`[integration] ${e instanceof ProvisionError ? e.message : e?.stack ?? e}`);
    return 1;
  }
  console.log(`[integration] extension ${ext.id} from ${relative(REPO_ROOT, ext.dir) || '.'}; setup ${secs(Date.now() - t0)}`);
  mkdirSync(RESULTS_DIR, { recursive: true });

  const todo = RUNS.filter((run) => {
    if (selected.length && !selected.includes(run.name)) return false;
    if (!selected.length && run.benchOnly) return false;
    if (run.requires && matchAny(run.requires, compiled).length === 0) {
      if (selected.includes(run.name)) console.log(`[${run.name}] skipped: no tests match ${run.requires}`);
      return false;
    }
    return true;
  });
  // KEYSMITH_HOST_JOBS=N runs up to N hosts at once (output lines stay tagged with the run name).
  const jobs = Math.max(1, Number(process.env.KEYSMITH_HOST_JOBS) || 1);
  const results = new Array(todo.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, async () => {
    while (next < todo.length) {
      const i = next++;
      results[i] = await runOne(todo[i], { provisioned, ext, compiled });
    }
  }));
  const total = {
    passed: results.reduce((n, r) => n + r.passed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    pending: results.reduce((n, r) => n + r.pending, 0),
    durationMs: Date.now() - t0,
    runs: results,
  };
  writeFileSync(join(RESULTS_DIR, 'integration.json'), JSON.stringify(total, null, 2) + '\n');
  const ok = results.length > 0 && results.every((r) => r.ok);
  console.log(`[integration] ${ok ? c('32', 'PASS') : c('31', 'FAIL')}: ${total.passed} passed, ${total.failed} failed, ${total.pending} pending ` +
    `in ${results.length} run(s), ${secs(total.durationMs)} -> ${relative(REPO_ROOT, join(RESULTS_DIR, 'integration.json'))}`);
  return ok ? 0 : 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
