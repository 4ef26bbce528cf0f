// UI-level tests of the packaged extension: installs a .vsix into an isolated code-server and
// drives the workbench with Playwright scripts test/e2e/*.e2e.mjs.
// Usage: node test/host/run-e2e.mjs [--vsix file] [--update-screenshots] [script-name …]
//   (npm run test:e2e packages first; npm run screenshots = package + --update-screenshots)
//   script-name          e.g. "generate" for test/e2e/generate.e2e.mjs
//   --update-screenshots  write the README screenshots (repo paths such as media/x.png) in place;
//                         without it they go to .vscode-test/e2e/, so a test run leaves git clean
// Env: KEYSMITH_E2E_TIMEOUT_MS (per script, default 600000), KEYSMITH_HOST_VERBOSE=1, KEYSMITH_KEEP_TEMP=1,
//      KEYSMITH_HEADED=1 (visible browser, needs a display).
//
// A script may also export `settings`: user settings for its code-server (merged over the defaults).
// A script is an ES module exporting `run(ctx)` and/or `steps` = [{ name, run(ctx) }, …]. Each step
// (or run) counts as one test; a step failing stops that script (later steps count as failed).
// ctx = {
//   page, browser, url, server,             Playwright page/browser, workbench URL, code-server info
//   workspace,                              absolute path of this script's fresh workspace copy
//   repoRoot,
//   screenshot(name),                       name without '/' -> .vscode-test/e2e/<script>-<name>.png;
//                                           a path with '/' (e.g. media/x.png) names a tracked README
//                                           image: written there only with --update-screenshots, else
//                                           to .vscode-test/e2e/<basename>
//   log(...args),                           printed with the script's tag
//   wb,                                     helpers from test/host/workbench.mjs (runCommand, pickQuickPick,
//                                           openFile, goToLine, editorText, waitForEditorText, save, …)
// }
// The workspace (a folder named my-app in a temp dir) is a copy of test/e2e/fixtures/ if that
// exists, else of test/host/sample-workspace/.
// Results: .vscode-test/results/e2e.json { passed, failed, scripts: [...] }.
import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { provision, REPO_ROOT, CACHE_DIR, ProvisionError } from './provision.mjs';
import { startHost, makeTempRoot, installExtension, findProcesses, isNoise, initGitRepo } from './host.mjs';
import * as wb from './workbench.mjs';

const E2E_DIR = join(REPO_ROOT, 'test', 'e2e');
const RESULTS_DIR = join(CACHE_DIR, 'results');
const SHOTS_DIR = join(CACHE_DIR, 'e2e');
const TIMEOUT_MS = Number(process.env.KEYSMITH_E2E_TIMEOUT_MS) || 600000;
const VERBOSE = process.env.KEYSMITH_HOST_VERBOSE === '1';
const KEEP = process.env.KEYSMITH_KEEP_TEMP === '1';
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

const tempDirs = new Set();
process.on('exit', () => { if (!KEEP) for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });

/** <tmp>/keysmith-ws-e2e-<script>-XXXX/my-app: a copy of the fixtures (the folder name shows in screenshots). */
function freshWorkspace(name) {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), `keysmith-ws-e2e-${name}-`)));
  tempDirs.add(parent);
  const dir = join(parent, 'my-app');
  const fixtures = existsSync(join(E2E_DIR, 'fixtures')) ? join(E2E_DIR, 'fixtures') : join(REPO_ROOT, 'test', 'host', 'sample-workspace');
  cpSync(fixtures, dir, { recursive: true });
  initGitRepo(dir);
  return dir;
}

const withTimeout = (p, ms, what) => {
  let timer;
  return Promise.race([p, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`${what} timed out after ${secs(ms)}`)), ms); })])
    .finally(() => clearTimeout(timer));
};

async function runScript(file, { provisioned, vsix, updateScreenshots }) {
  const name = basename(file).replace(/\.e2e\.mjs$/, '');
  const tag = c('35', `[e2e:${name}]`);
  const log = (...args) => console.log(`${tag} ${format(...args)}`);
  const mod = await import(pathToFileURL(file).href);
  const steps = [...(Array.isArray(mod.steps) ? mod.steps : [])];
  if (typeof mod.run === 'function') steps.unshift({ name: 'run', run: mod.run });
  const result = { name, passed: 0, failed: 0, failures: [], durationMs: 0 };
  if (!steps.length) { result.failed = 1; result.failures.push({ title: name, message: 'exports neither run() nor steps' }); return result; }

  const t0 = Date.now();
  const workspace = freshWorkspace(name);
  const dirs = makeTempRoot('keysmith-e2e-');
  let host;
  try {
    const out = await installExtension({ provisioned, vsix, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, dirs });
    if (VERBOSE) log(out.trim());
    host = await startHost({
      provisioned, dirs, folder: workspace, keepTemp: KEEP, smokeTestDriver: false,
      ...(mod.settings ? { settings: mod.settings } : {}), // a script's own user settings (see web-generate.e2e.mjs)
      onLog: (level, text) => { if (VERBOSE || (/error/i.test(level) && !isNoise(text))) log(c('2', `(workbench ${level}) ${text.split('\n')[0]}`)); },
      serverLog: (line) => { if (VERBOSE) log(c('2', `server: ${line}`)); },
    });
    await wb.waitForWorkbench(host.page);
    log(`workbench ready in ${secs(Date.now() - t0)} (workspace ${workspace})`);
    const ctx = {
      page: host.page, browser: host.browser, url: host.url, server: host.server, workspace, repoRoot: REPO_ROOT, wb, log,
      async screenshot(shot) {
        const path = !shot.includes('/') ? join(SHOTS_DIR, `${name}-${shot.replace(/\.png$/, '')}.png`)
          : updateScreenshots ? resolve(REPO_ROOT, shot) : join(SHOTS_DIR, basename(shot));
        mkdirSync(dirname(path), { recursive: true });
        await host.page.screenshot({ path });
        log(`screenshot ${relative(REPO_ROOT, path)}`);
        return path;
      },
    };
    let broken = false;
    for (const step of steps) {
      const title = `${name}: ${step.name}`;
      if (broken) { result.failed++; result.failures.push({ title, message: 'not run: an earlier step failed' }); continue; }
      const ts = Date.now();
      try {
        await withTimeout(Promise.resolve().then(() => step.run(ctx)), Math.max(1000, TIMEOUT_MS - (Date.now() - t0)), title);
        result.passed++;
        log(`${c('32', '✔')} ${step.name} ${c('2', `(${secs(Date.now() - ts)})`)}`);
      } catch (err) {
        broken = true;
        result.failed++;
        result.failures.push({ title, message: String(err?.message ?? err) });
        log(`${c('31', '✗')} ${step.name}: ${err?.stack ?? err}`);
        const shot = join(CACHE_DIR, `failure-e2e-${name}.png`);
        await host.page.screenshot({ path: shot, timeout: 10000 }).then(() => log(`failure screenshot ${relative(REPO_ROOT, shot)}`), () => {});
      }
    }
  } catch (err) {
    result.failed = Math.max(1, steps.length - result.passed);
    result.failures.push({ title: `${name}: host`, message: String(err?.message ?? err) });
    log(`${c('31', 'host error:')} ${err?.stack ?? err}`);
  } finally {
    const root = dirs.root;
    if (host) await host.stop().catch((e) => log(`teardown: ${e.message}`));
    else if (!KEEP) rmSync(root, { recursive: true, force: true });
    const left = await findProcesses(root);
    if (left.length) log(c('31', `processes left behind:\n  ${left.join('\n  ')}`));
    if (!KEEP) { rmSync(dirname(workspace), { recursive: true, force: true }); tempDirs.delete(dirname(workspace)); }
  }
  result.durationMs = Date.now() - t0;
  log(`${result.failed ? c('31', 'FAIL') : c('32', 'PASS')} ${result.passed} passed, ${result.failed} failed in ${secs(result.durationMs)}`);
  return result;
}

export async function main(argv = process.argv.slice(2)) {
  const t0 = Date.now();
  let vsix = join(REPO_ROOT, 'keysmith.vsix');
  const names = [];
  let updateScreenshots = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--update-screenshots') updateScreenshots = true;
    else if (argv[i] === '--vsix') vsix = resolve(argv[++i]);
    else if (argv[i].startsWith('--vsix=')) vsix = resolve(argv[i].slice(7));
    else names.push(argv[i]);
  }
  if (!existsSync(vsix)) { console.error(`[e2e] ${vsix} not found: run \`npm run package\` (npm run test:e2e does).`); return 1; }
  const scripts = (existsSync(E2E_DIR) ? readdirSync(E2E_DIR) : [])
    .filter((f) => f.endsWith('.e2e.mjs'))
    .filter((f) => !names.length || names.includes(f.replace(/\.e2e\.mjs$/, '')))
    .sort().map((f) => join(E2E_DIR, f));
  if (!scripts.length) { console.error(`[e2e] no scripts${names.length ? ` named ${names.join(', ')}` : ''} in ${relative(REPO_ROOT, E2E_DIR)}/*.e2e.mjs`); return 1; }

  let provisioned;
  try { provisioned = await provision(); } catch (e) {
    console.error(`[e2e] ${e instanceof ProvisionError ? e.message : e?.stack ?? e}`);
    return 1;
  }
  console.log(`[e2e] ${relative(REPO_ROOT, vsix)}; ${scripts.length} script(s)`);
  const results = [];
  for (const file of scripts) results.push(await runScript(file, { provisioned, vsix, updateScreenshots }));
  const total = {
    passed: results.reduce((n, r) => n + r.passed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    durationMs: Date.now() - t0,
    scripts: results,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'e2e.json'), JSON.stringify(total, null, 2) + '\n');
  const ok = total.failed === 0 && total.passed > 0;
  console.log(`[e2e] ${ok ? c('32', 'PASS') : c('31', 'FAIL')}: ${total.passed} passed, ${total.failed} failed in ${secs(total.durationMs)} -> ${relative(REPO_ROOT, join(RESULTS_DIR, 'e2e.json'))}`);
  return ok ? 0 : 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
