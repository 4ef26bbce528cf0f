// Library: runs VS Code's real extension host from code-server, with a headless Debian Chromium
// (playwright-core) as the workbench. See /work/shared/vscode-host.md for the facts this relies on.
//
//   const p = await provision();
//   const host = await startHost({ provisioned: p, folder: '/abs/ws',            // or workspaceFile: '/abs/x.code-workspace'
//     extensionDevelopmentPath: repoRoot, extensionTestsPath: '/abs/out/test/integration/index',
//     extensionEnvironment: { KEYSMITH_TEST_RESULTS: '/abs/r.json' }, workspaceTrust: false,
//     onLog: (level, text) => …, onExit: (code) => … });
//   … host.page (playwright Page), host.url, host.server.port …
//   await host.stop();   // kills code-server's whole process group + Chromium, removes temp dirs
//
// Everything code-server and Chromium write goes to one temp root (HOME, XDG_* included);
// nothing is written under the real $HOME.
import { spawn, spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync, realpathSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--disable-default-apps', '--password-store=basic', '--use-mock-keychain',
];

export const DEFAULT_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'files.autoSave': 'off', // code-server defaults to auto-save; tests want explicit saves (desktop default)
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
};

/** A free TCP port on 127.0.0.1; `preferred` is tried first. */
export async function freePort(preferred) {
  const tryListen = (port) => new Promise((res) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => res(null));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const p = srv.address().port;
      srv.close(() => res(p));
    });
  });
  if (preferred) { const p = await tryListen(Number(preferred)); if (p) return p; }
  return tryListen(0);
}

const OWNER_FILE = '.keysmith-owner-pid';
function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}
let swept = false;
/** Remove temp roots left by host processes that were killed (SIGKILL) before they could clean up. */
export function sweepStaleTempRoots() {
  if (swept) return;
  swept = true;
  let entries;
  try { entries = readdirSync(tmpdir()); } catch { return; }
  for (const name of entries) {
    if (!name.startsWith('keysmith-')) continue;
    const dir = join(tmpdir(), name);
    let pid;
    try { pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8')); } catch { continue; }
    if (!pid || pidAlive(pid)) continue;
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* someone else's; leave it */ }
  }
}

/** Fresh temp root with the folders one code-server instance needs. */
export function makeTempRoot(prefix = 'keysmith-host-') {
  sweepStaleTempRoots();
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
  const dirs = {
    root,
    home: join(root, 'home'),
    xdgData: join(root, 'xdg-data'),
    xdgConfig: join(root, 'xdg-config'),
    xdgCache: join(root, 'xdg-cache'),
    xdgRuntime: join(root, 'xdg-runtime'),
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    tmp: join(root, 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o700 });
  return dirs;
}

/** Environment that keeps code-server, the extension host and Chromium away from the real $HOME. */
export function isolatedEnv(dirs, extra = {}) {
  const env = { ...process.env };
  // npm-run leaks npm_* variables (incl. nodedir) and NODE_OPTIONS into children: drop them.
  // code-server reads PORT (overrides --bind-addr) and PASSWORD/HASHED_PASSWORD/GITHUB_TOKEN from the environment.
  for (const k of Object.keys(env)) {
    if (/^npm_|^NODE_OPTIONS$|^VSCODE_|^ELECTRON_|^CODE_SERVER_|^CS_/i.test(k)) delete env[k];
  }
  for (const k of ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN']) delete env[k];
  return {
    ...env,
    HOME: dirs.home,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_CACHE_HOME: dirs.xdgCache,
    XDG_RUNTIME_DIR: dirs.xdgRuntime,
    TMPDIR: dirs.tmp,
    ...extra,
  };
}

/** Live (non-zombie) members of a process group, from /proc; null if /proc is unavailable. */
function groupMembers(pgid) {
  let pids;
  try { pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)); } catch { return null; }
  const live = [];
  for (const pid of pids) {
    let stat;
    try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; }
    // pid (comm) state ppid pgrp …  — comm may contain spaces/parentheses: parse after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live.push(Number(pid));
  }
  return live;
}

/** Does the group still have running (non-zombie) processes? Zombies wait for init to reap them. */
function groupAlive(pgid) {
  const members = groupMembers(pgid);
  if (members) return members.length > 0;
  try { process.kill(-pgid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

async function killGroup(pgid, graceMs = 750) {
  if (!pgid || !groupAlive(pgid)) return true;
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* gone */ }
  for (let t = 0; t < graceMs; t += 50) {
    if (!groupAlive(pgid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  for (let t = 0; t < 2000; t += 50) {
    if (!groupAlive(pgid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !groupAlive(pgid);
}

// Server process groups still running in this process; SIGKILLed synchronously on exit.
const liveGroups = new Set();
process.on('exit', () => { for (const g of liveGroups) { try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ } } });

// stop() functions of servers/hosts started by startServer()/startHost() and not yet stopped.
const activeHosts = new Set();
// Ctrl-C / SIGTERM / SIGHUP anywhere (also before a host is up): stop the hosts (at most 5 s), exit.
// Importing this module installs the handlers; Playwright kills its browsers on exit as well.
let signalled = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (signalled) return;
    signalled = true;
    const code = 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[sig];
    const all = Promise.allSettled([...activeHosts].map((stop) => stop()));
    const cap = new Promise((r) => setTimeout(r, 5000).unref());
    Promise.race([all, cap]).then(() => process.exit(code));
  });
}

/**
 * Start code-server. Returns { port, baseUrl, pid, dirs, userDataDir, extensionsDir, output(), stop() }.
 * The server runs under a tiny `sh` watchdog that is the process-group leader: if this Node
 * process dies (even by SIGKILL) the watchdog ends the whole group within a second.
 * If the port is taken between probing and binding, it retries on another free port.
 */
export async function startServer(opts) {
  const { port, dirs = makeTempRoot(), keepTemp = false } = opts;
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const chosen = await freePort(attempt === 0 ? port : undefined);
    try {
      return await spawnServer({ ...opts, dirs }, chosen);
    } catch (e) {
      lastError = e;
      if (!/EADDRINUSE/.test(e.message)) break;
    }
  }
  if (!keepTemp) rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
  throw lastError;
}

async function spawnServer({
  provisioned, workspaceTrust = false, settings = {}, extensionsDir, userDataDir, dirs,
  keepTemp = false, env = {}, log = () => {}, extraArgs = [], readyTimeoutMs = 180000, smokeTestDriver = true,
}, chosen) {
  const udd = userDataDir ?? dirs.userDataDir;
  const extDir = extensionsDir ?? dirs.extensionsDir;
  mkdirSync(join(udd, 'User'), { recursive: true });
  mkdirSync(extDir, { recursive: true });
  const settingsFile = join(udd, 'User', 'settings.json');
  if (!existsSync(settingsFile)) {
    writeFileSync(settingsFile, JSON.stringify({
      ...DEFAULT_SETTINGS, 'security.workspace.trust.enabled': !!workspaceTrust, ...settings,
    }, null, 2) + '\n');
  }
  const configFile = join(dirs.root, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const args = [
    provisioned.codeServerEntry,
    '--bind-addr', `127.0.0.1:${chosen}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', udd, '--extensions-dir', extDir, '--config', configFile,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...extraArgs,
  ];
  // Watchdog leader: a tiny `sh` runs code-server in the background and ends the whole group
  // when this Node process dies (even by SIGKILL) or code-server exits. On our own group
  // SIGTERM it just exits; stop() escalates to SIGKILL for anything that lingers.
  const script = `P=$1; shift; "$@" & C=$!; trap 'exit 0' TERM INT HUP
while kill -0 "$P" 2>/dev/null && kill -0 "$C" 2>/dev/null; do sleep 0.5; done
trap '' TERM; kill -TERM 0 2>/dev/null; sleep 2; kill -KILL 0 2>/dev/null`;
  const child = spawn('/bin/sh', ['-c', script, 'keysmith-host', String(process.pid), provisioned.node, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: isolatedEnv(dirs, env),
    cwd: dirs.tmp,
  });
  const pgid = child.pid;
  liveGroups.add(pgid);
  let out = '';
  let exited = null;
  child.on('exit', (code, sig) => { exited = sig ?? code; });

  const ready = new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`code-server not ready after ${readyTimeoutMs} ms:\n${out.slice(-4000)}`)), readyTimeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      out += text;
      if (out.length > 200000) out = out.slice(-100000);
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (/HTTP server listening/.test(out)) { clearTimeout(timer); res(); }
      else if (/EADDRINUSE/.test(out)) { clearTimeout(timer); rej(new Error(`EADDRINUSE 127.0.0.1:${chosen}`)); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, sig) => { clearTimeout(timer); rej(new Error(`code-server exited early (${sig ?? code}):\n${out.slice(-4000)}`)); });
  });

  let stopped = false;
  const stopGroup = async () => {
    if (stopped) return true;
    stopped = true;
    const ok = await killGroup(pgid);
    liveGroups.delete(pgid);
    child.stdout.destroy(); child.stderr.destroy();
    if (!ok) throw new Error(`processes of group ${pgid} survived SIGKILL`);
    return ok;
  };
  try { await ready; } catch (e) { await stopGroup().catch(() => {}); throw e; }
  const server = {
    port: chosen,
    baseUrl: `http://127.0.0.1:${chosen}`,
    pid: pgid,
    dirs,
    userDataDir: udd,
    extensionsDir: extDir,
    output: () => out,
    exited: () => exited,
    async stop() {
      try { return await stopGroup(); } finally {
        activeHosts.delete(server.stop);
        // A browser sharing `dirs` may still be writing: never throw here (startHost removes it again).
        try {
          if (!keepTemp) rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
          else rmSync(join(dirs.root, OWNER_FILE), { force: true }); // kept on purpose: not swept later
        } catch { /* retried by the caller */ }
      }
    },
  };
  activeHosts.add(server.stop);
  return server;
}

/** Install a .vsix (or an extension id) offline into the given dirs. Resolves with the CLI output. */
export function installExtension({ provisioned, vsix, userDataDir, extensionsDir, dirs }) {
  return new Promise((res, rej) => {
    execFile(provisioned.node, [provisioned.codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      '--install-extension', resolve(vsix), '--force'],
    { env: isolatedEnv(dirs), cwd: dirs.tmp, timeout: 60000 }, (err, stdout, stderr) => {
      const text = `${stdout}${stderr}`;
      if (err) rej(new Error(`--install-extension ${vsix} failed: ${err.message}\n${text}`));
      else res(text);
    });
  });
}

/** Launch Debian Chromium through playwright-core (no browser download). */
export async function launchBrowser({ chromium: executablePath, dirs, headless = true }) {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath, headless, args: CHROMIUM_ARGS,
    env: isolatedEnv(dirs), handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
}

/** URL of the workbench for a folder or a .code-workspace, with an optional test payload. */
export function workbenchUrl(server, { folder, workspaceFile, extensionDevelopmentPath, extensionTestsPath, extensionEnvironment, skipWelcome = true } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${resolve(p)}`;
  const params = new URLSearchParams();
  if (workspaceFile) params.set('workspace', resolve(workspaceFile));
  else if (folder) params.set('folder', resolve(folder));
  const payload = [];
  for (const p of [].concat(extensionDevelopmentPath ?? [])) payload.push(['extensionDevelopmentPath', remote(p)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath.replace(/\.js$/, ''))]);
  if (extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(extensionEnvironment)]);
  if (skipWelcome) payload.push(['skipWelcome', 'true']);
  // URLSearchParams encodes spaces as '+', which VS Code's query parser keeps literally: build by hand.
  let q = [...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  if (payload.length) q += `${q ? '&' : ''}payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return `${server.baseUrl}/${q ? `?${q}` : ''}`;
}

/** util.format-like rendering of the raw console arguments VS Code passes to codeAutomationLog. */
export function formatLogArgs(args) {
  if (!Array.isArray(args)) return String(args);
  return format(...args);
}

// The workbench's own log lines arrive through codeAutomationLog too. They are prefixed
// (`[Extension Host]`, `%c…`, ISO timestamps, …) or match known harmless noise.
const NOISE = [
  /^%c/, /^\[(Extension Host|ExtensionService|main|renderer|Window|exthost|remote|LocalStorage|comp|perf)/i,
  /open-vsx\.org|vsda|telemetry|code-server-ipc\.sock|ERR_NAME_NOT_RESOLVED|Canceled|\bCanceled\b/i,
  /^\s*at\s/, /^Extension Host$/, /^(Started|Stopping) local extension host/i,
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/, /^\[\w+\] \d\d:\d\d:\d\d/, /onWillShutdown|Lifecycle|workbench\.contrib/i,
  /DialogService: Dialog requested during smoke test/, /authentication provider '\w+' to register/,
  // The workbench gives the extension host's save participants a hard-coded 1750 ms
  // (mainThreadSaveParticipant), then logs this and saves anyway. Only the first save of a run
  // pays for cold code paths in the extension host, and on a CPU-starved machine (every core
  // busy) that alone exceeds 1750 ms. The file is saved all the same; Keysmith has no save
  // participant.
  /^Aborted onWillSaveTextDocument-event after 1750ms/,
  // The workbench's own startup timing (warns when creating one of its contributions takes
  // over 20 ms, which on a loaded machine is most of them): not about Keysmith.
  /^Creation of workbench contribution '[^']+' took \d+ms/,
];
export function isNoise(text) {
  const t = text.trimStart();
  return !t || NOISE.some((re) => re.test(t));
}

/** Wait until the workbench UI is there (or a test run exits first). */
export async function waitForWorkbench(page, timeoutMs = 180000) {
  await page.waitForSelector('.monaco-workbench', { state: 'attached', timeout: timeoutMs });
}

/**
 * Start code-server + Chromium and open the workbench.
 * Options: provisioned (from provision()), folder | workspaceFile, workspaceTrust (false = trust disabled;
 * true = Workspace Trust on, the workspace opens in Restricted Mode), extensionDevelopmentPath,
 * extensionTestsPath, extensionEnvironment (object), extensionsDir, userDataDir, settings, port,
 * onLog(level, text) for codeAutomationLog, onExit(code) for codeAutomationExit, serverLog(line),
 * keepTemp, headless, viewport.
 * Returns { server, browser, page, url, dirs, exitCode: Promise<number>, stop() }.
 */
export async function startHost(opts) {
  const { provisioned, onLog = () => {}, onExit = () => {}, serverLog = () => {}, headless = true,
    viewport = { width: 1400, height: 900 } } = opts;
  const dirs = opts.dirs ?? makeTempRoot();
  const timings = { t0: Date.now() };
  let server; let browser;
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      const errors = [];
      // Browser and server go down in parallel (both are throwaway).
      await Promise.all([
        browser?.close().catch((e) => errors.push(e)),
        server?.stop().catch((e) => errors.push(e)),
      ]);
      browser = null; server = null;
      if (!opts.keepTemp) rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
      else rmSync(join(dirs.root, OWNER_FILE), { force: true });
      activeHosts.delete(stop);
      if (errors.length) throw errors[0];
    })();
    return stopping;
  };
  activeHosts.add(stop);
  try {
    // Server and browser start in parallel; both are torn down if either fails.
    const [srv, br] = await Promise.allSettled([
      startServer({ ...opts, dirs, log: serverLog }).then((x) => { timings.serverReady = Date.now(); return x; }),
      launchBrowser({ chromium: provisioned.chromium, dirs, headless }).then((x) => { timings.browserReady = Date.now(); return x; }),
    ]);
    if (srv.status === 'fulfilled') server = srv.value;
    if (br.status === 'fulfilled') browser = br.value;
    if (srv.status === 'rejected') throw srv.reason;
    if (br.status === 'rejected') throw br.reason;
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    let resolveExit;
    const exitCode = new Promise((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', (code) => { timings.exit = Date.now(); onExit(code); resolveExit(code); });
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      let text;
      try { text = formatLogArgs(args); } catch { text = String(args); }
      onLog(level, text);
    });
    const url = workbenchUrl(server, opts);
    // Generous: on a busy machine the first load of the workbench page can take well over 30 s.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 180000 });
    timings.pageLoaded = Date.now();
    return {
      server, browser, page, url, dirs, exitCode, timings,
      async screenshot(file) { await page.screenshot({ path: file }); return file; },
      stop,
    };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

/** pids of processes (other than `exceptPid`) whose command line mentions `needle` — for leak checks. */
export function findProcesses(needle) {
  return new Promise((res) => {
    execFile('ps', ['-eo', 'pid=,pgid=,args='], (err, stdout) => {
      if (err) return res([]);
      res(stdout.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo')).map((l) => l.trim()));
    });
  });
}

/**
 * Makes a workspace copy a git repository (no commits), as a real project is: Keysmith's
 * "not ignored by git" check only applies inside a repository. Silently skipped without git.
 */
export function initGitRepo(dir) {
  spawnSync('git', ['init', '-q'], { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
}
