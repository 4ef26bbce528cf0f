// The manifest agrees with the code and with VS Code conventions; the Node bundle stays small.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { CommandId } from '../../src/extension/commandIds.ts';
import { FORMAT_IDS } from '../../src/core/formats.ts';
import { DEFAULT_SETTINGS } from '../../src/core/settings.ts';
import { stage, vsceList, VSIX_RUNTIME } from '../../scripts/package-vsix.mjs';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const nls = JSON.parse(readFileSync(new URL('package.nls.json', root), 'utf8')) as Record<string, string>;

describe('package.json', () => {
  it('contributes exactly the commands the code registers, each in the Keysmith category', () => {
    const declared = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(declared, Object.values(CommandId).sort());
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Keysmith', c.command);
  });

  it('keeps file commands to .env files in menus', () => {
    for (const where of ['explorer/context', 'editor/context']) {
      for (const m of pkg.contributes.menus[where]) assert.match(m.when, /\\\.env/, `${where} ${m.command}`);
    }
  });

  it('every setting has a default, a markdownDescription and a scope', () => {
    const props = pkg.contributes.configuration.properties;
    for (const [key, p] of Object.entries<Record<string, unknown>>(props)) {
      assert.ok('default' in p, `${key} default`);
      // Through package.nls.json (the %key% is replaced by VS Code with the display language's text).
      const md = typeof p.markdownDescription === 'string' ? p.markdownDescription.replace(/^%(.+)%$/, (_, k: string) => nls[k] ?? '') : '';
      assert.ok(md.length > 10, `${key} markdownDescription`);
      assert.ok(['application', 'machine', 'window', 'resource', 'language-overridable', 'machine-overridable'].includes(p.scope as string), `${key} scope`);
    }
  });

  it('setting defaults match the core defaults and the format list', () => {
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(props['keysmith.defaultFormat'].enum, [...FORMAT_IDS]);
    assert.equal(props['keysmith.defaultFormat'].default, DEFAULT_SETTINGS.defaultFormat);
    assert.equal(props['keysmith.defaultBytes'].default, DEFAULT_SETTINGS.defaultBytes);
    assert.equal(props['keysmith.password.length'].default, DEFAULT_SETTINGS.password.length);
    assert.equal(props['keysmith.password.symbolSet'].default, DEFAULT_SETTINGS.password.symbolSet);
    assert.equal(props['keysmith.passphrase.words'].default, DEFAULT_SETTINGS.passphrase.words);
    assert.equal(props['keysmith.apiKey.prefix'].default, DEFAULT_SETTINGS.apiKey.prefix);
  });

  it('never activates on startup, and declares its limits in untrusted and virtual workspaces', () => {
    for (const e of pkg.activationEvents) assert.ok(e !== '*' && e !== 'onStartupFinished', e);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.description);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
    assert.equal(pkg.engines.vscode, '^1.90.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.90.0');
  });

  it('the npm tarball ships the Node, web and CLI bundles and the wordlist', () => {
    // `files` is the npm tarball's list; the .vsix is packed from a staging folder
    // (scripts/package-vsix.mjs) because vsce refuses a .vscodeignore beside `files`.
    assert.ok(!existsSync(new URL('.vscodeignore', root)));
    for (const f of ['dist/extension.js', 'dist/envTools.js', 'dist/web/extension.js', 'dist/cli.js', 'dist/eff_large_wordlist.txt']) assert.ok(pkg.files.includes(f), f);
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.browser, './dist/web/extension.js');
  });

  it('the .vsix holds only what the extension loads and what its page shows (vsce ls on the staging folder)', () => {
    const dir = stage(root.pathname, { standIns: true });
    try {
      assert.deepEqual(vsceList(dir), [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'dist/eff_large_wordlist.txt',
        'dist/envTools.js',
        'dist/extension.js',
        'dist/web/extension.js',
        'l10n/bundle.l10n.de.json',
        'l10n/bundle.l10n.json',
        'media/icon.png',
        'media/screenshot-generate.png',
        'media/screenshot-populate.png',
        'media/screenshot-problems.png',
        'package.json',
        'package.nls.de.json',
        'package.nls.json',
      ]);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      for (const k of ['bin', 'scripts', 'devDependencies']) assert.equal(manifest[k], undefined, k);
      assert.equal(manifest.main, pkg.main);
      assert.equal(manifest.browser, pkg.browser);
      assert.deepEqual(manifest.contributes, pkg.contributes);
      // Every bundle the manifest points at, and every file the bundles load, is in it.
      assert.ok(VSIX_RUNTIME.includes(pkg.main.slice(2)) && VSIX_RUNTIME.includes(pkg.browser.slice(2)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bundle size', () => {
  it('dist/extension.js is at most 60 KB minified (the .env tools and the wordlist load separately)', async () => {
    const r = await esbuild.build({
      entryPoints: [new URL('src/extension/main.ts', root).pathname],
      bundle: true, minify: true, write: false, platform: 'node', format: 'cjs', external: ['vscode', './envTools.js'], legalComments: 'none',
    });
    const size = r.outputFiles[0]!.contents.length;
    assert.ok(size <= 60 * 1024, `${size} bytes`);
  });

  it('the web bundle needs nothing but vscode (no Node built-ins, no processes)', async () => {
    const r = await esbuild.build({
      entryPoints: [new URL('src/extension/web.ts', root).pathname],
      bundle: true, write: false, platform: 'browser', format: 'cjs', external: ['vscode'], logLevel: 'silent',
    });
    const text = r.outputFiles[0]!.text;
    const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['vscode']);
    assert.ok(!text.includes('child_process'));
  });
});
