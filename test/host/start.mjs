// `npm start`: serves code-server (VS Code 1.139 in the browser) with Keysmith loaded from the
// repo (dist/ — run `npm run watch` alongside and use "Developer: Reload Window" to pick up
// changes), on a temp copy of test/host/sample-workspace. The bare http://127.0.0.1:PORT/ opens
// that workspace with Keysmith: the repo is registered as an installed extension of this server
// (a symbolic link in its temp extensions folder) and the folder is code-server's default. The
// long URL it prints loads the repo as a development extension instead (the tests' way).
// Usage: node test/host/start.mjs [folder] [--check]
//   folder    open this folder instead of a copy of the sample workspace (used in place)
//   --check   open the bare URL in headless Chromium, screenshot the workbench with Keysmith's
//             commands in the palette to .vscode-test/start.png, then stop (exit 1 if they are missing)
// PORT (default 8080; a free port is picked if it is busy). Ctrl-C / SIGTERM stops everything
// (exit code 130 / 143).
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { provision, REPO_ROOT, CACHE_DIR, ProvisionError } from './provision.mjs';
import { startServer, makeTempRoot, launchBrowser, workbenchUrl, initGitRepo } from './host.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const folderArg = args.find((a) => !a.startsWith('-'));

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const mainFile = join(REPO_ROOT, pkg.main ?? 'dist/extension.js');
if (!existsSync(mainFile) && !existsSync(`${mainFile}.js`)) {
  console.error(`[start] ${mainFile} is missing: run \`npm run build\` first (npm start does).`);
  process.exit(1);
}

let provisioned;
try { provisioned = await provision(); } catch (e) {
  console.error(`[start] ${e instanceof ProvisionError ? e.message : e?.stack ?? e}`);
  process.exit(1);
}

const dirs = makeTempRoot('keysmith-start-');
let folder;
if (folderArg) {
  folder = resolve(folderArg);
} else {
  folder = join(dirs.root, 'sample-workspace');
  cpSync(join(REPO_ROOT, 'test', 'host', 'sample-workspace'), folder, { recursive: true });
  initGitRepo(folder);
  try { execFileSync('git', ['init', '-q', folder], { stdio: 'ignore', env: { ...process.env, HOME: dirs.home } }); } catch { /* git is optional */ }
}

// Keysmith as an installed extension of this throwaway server, so that the bare URL has it too.
symlinkSync(REPO_ROOT, join(dirs.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');

let server;
let browser;
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await browser?.close().catch(() => {});
  await server?.stop().catch((e) => console.error(`[start] ${e.message}`));
  process.exit(code);
}
// host.mjs stops the server and exits on SIGINT/SIGTERM/SIGHUP; just say so.
process.on('SIGINT', () => { stopping = true; console.log('\n[start] stopping…'); });

try {
  server = await startServer({
    provisioned, dirs, port: Number(process.env.PORT) || 8080,
    // The URL payload (extensionDevelopmentPath) is only honoured with the smoke-test driver enabled.
    smokeTestDriver: true,
    // The folder a bare URL opens.
    extraArgs: [folder],
    log: (line) => { if (!stopping && /error/i.test(line) && !/open-vsx|vsda|ENOTFOUND|socket/i.test(line)) console.error(`[code-server] ${line}`); },
  });
} catch (e) {
  console.error(`[start] ${e.message}`);
  await shutdown(1);
}

const url = workbenchUrl(server, { folder, extensionDevelopmentPath: REPO_ROOT });
const wanted = Number(process.env.PORT) || 8080;
if (server.port !== wanted) console.log(`[start] port ${wanted} is busy; using ${server.port}`);
const bare = `${server.baseUrl}/`;
console.log(`\nVS Code with Keysmith (from ${REPO_ROOT}) on ${folder}:\n\n  ${bare}\n\n` +
  `As a development extension (what the tests open):\n  ${url}\n\nCtrl-C stops it.`);

if (check) {
  let ok = false;
  try {
    browser = await launchBrowser({ chromium: provisioned.chromium, dirs });
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    // The bare URL, as the README gives it: it must open the workspace with Keysmith loaded.
    await page.goto(bare, { timeout: 180000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 180000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 30000 }).catch(() => {});
    if (!folderArg) {
      await page.getByRole('treeitem', { name: '.env' }).first().click().catch(() => {});
      await page.waitForSelector('.editor-instance .view-lines', { timeout: 15000 }).catch(() => {});
    }
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 60000 });
    // The palette does not refresh when Keysmith's commands register while it is open (a slow
    // machine): re-enter the filter until they show, for up to 3 minutes.
    const rows = page.locator('.quick-input-list .monaco-list-row');
    let labels = [];
    for (const end = Date.now() + 180000; !ok && Date.now() < end;) {
      await input.fill('>');
      await input.fill('>Keysmith');
      await rows.first().waitFor({ timeout: 2000 }).catch(() => {});
      labels = await rows.allInnerTexts();
      ok = labels.some((l) => /Keysmith/.test(l) && /Generate Secret Key/.test(l));
    }
    if (!ok) console.error(`[start] --check: no "Keysmith: Generate Secret Key" in the palette of ${bare}`);
    mkdirSync(CACHE_DIR, { recursive: true });
    await page.screenshot({ path: join(CACHE_DIR, 'start.png') });
    console.log(`[start] --check: palette shows ${labels.length} Keysmith command(s); screenshot .vscode-test/start.png`);
  } catch (e) {
    console.error(`[start] --check failed: ${e.message}`);
  }
  await shutdown(ok ? 0 : 1);
}
