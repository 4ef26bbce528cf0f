// npm run package: writes keysmith.vsix holding only what the extension loads (its two Node
// bundles, the web bundle, the passphrase wordlist) and what the Marketplace page shows (README
// with its screenshots, CHANGELOG, LICENSE, icon). The `files` list of package.json is the npm
// tarball's (it also ships the CLI, dist/cli.js), and vsce refuses a .vscodeignore beside it, so
// the .vsix is packaged from a staging folder: these files, and a package.json whose `files` is
// exactly them (no `bin`, scripts or devDependencies, which the extension never reads).
// Usage: node scripts/package-vsix.mjs [--out FILE] [--list]   (run `npm run build:prod` first;
// --list prints the files vsce would pack, with empty stand-ins for the bundles, and builds nothing)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What the extension loads at run time. */
export const VSIX_RUNTIME = ['dist/extension.js', 'dist/envTools.js', 'dist/web/extension.js', 'dist/eff_large_wordlist.txt'];
/** What the Marketplace and the Extensions view show. */
export const VSIX_DOCS = ['README.md', 'CHANGELOG.md', 'LICENSE', 'media/icon.png'];

/** The translations VS Code loads: package.nls*.json (titles, settings) and l10n/ (the extension's strings). */
export function vsixL10n(root = ROOT) {
  const nls = readdirSync(root).filter((f) => /^package\.nls(\.[a-z-]+)?\.json$/.test(f)).sort();
  const bundles = readdirSync(join(root, 'l10n')).filter((f) => /^bundle\.l10n(\.[a-z-]+)?\.json$/.test(f)).sort().map((f) => `l10n/${f}`);
  return [...nls, ...bundles];
}

/** Every file staged for the .vsix, relative to the repository (README screenshots included). */
export function vsixFiles(root = ROOT) {
  const shots = readdirSync(join(root, 'media')).filter((f) => /^screenshot-.*\.png$/.test(f)).sort().map((f) => `media/${f}`);
  return [...VSIX_RUNTIME, ...vsixL10n(root), ...VSIX_DOCS, ...shots];
}

/** The package.json of the .vsix: the repository's, without what only npm and development use. */
export function vsixManifest(pkg, files) {
  const m = { ...pkg, files };
  for (const k of ['bin', 'scripts', 'devDependencies', 'allowScripts']) delete m[k];
  return m;
}

/** Copies the files into a fresh staging folder (empty stand-ins for missing bundles when `standIns`). */
export function stage(root = ROOT, { standIns = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-vsix-'));
  const files = vsixFiles(root);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    if (existsSync(join(root, f))) copyFileSync(join(root, f), join(dir, f));
    else if (standIns && f.startsWith('dist/')) writeFileSync(join(dir, f), '');
    else throw new Error(`${f} is missing: run npm run build:prod first`);
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(vsixManifest(pkg, files), null, 2) + '\n');
  return dir;
}

const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const VSCE_FLAGS = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];

/** The files vsce packs from a staging folder (`vsce ls`), sorted. */
export function vsceList(dir) {
  const r = spawnSync(process.execPath, [VSCE, 'ls', ...VSCE_FLAGS.filter((f) => f === '--no-dependencies')], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce ls failed: ${r.stderr}`);
  return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean).sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const list = args.includes('--list');
  const outAt = args.indexOf('--out');
  const out = resolve(outAt >= 0 ? args[outAt + 1] : join(ROOT, 'keysmith.vsix'));
  const dir = stage(ROOT, { standIns: list });
  try {
    if (list) {
      console.log(vsceList(dir).join('\n'));
    } else {
      const r = spawnSync(process.execPath, [VSCE, 'package', ...VSCE_FLAGS, '--out', out], { cwd: dir, stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
