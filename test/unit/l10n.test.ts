// Localisation: every contributed title and description goes through package.nls.json, every
// user-facing string of src/extension through vscode.l10n.t and l10n/bundle.l10n.json, and every
// translation has exactly the keys (and the placeholders) of the English originals.
// Core messages (diagnostics, format names, strength notes) are shared with the CLI and stay in
// English; see README, "Languages".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getL10nJson } from '@vscode/l10n-dev';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (f: string) => JSON.parse(readFileSync(join(root, f), 'utf8')) as Record<string, unknown>;
const pkg = read('package.json') as { l10n: string; contributes: unknown };
const nls = read('package.nls.json') as Record<string, string>;
const bundle = read('l10n/bundle.l10n.json') as Record<string, string>;
const nlsTranslations = readdirSync(root).filter((f) => /^package\.nls\.[a-z-]+\.json$/.test(f));
const bundleTranslations = readdirSync(join(root, 'l10n')).filter((f) => /^bundle\.l10n\.[a-z-]+\.json$/.test(f));
const extensionFiles = readdirSync(join(root, 'src/extension')).filter((f) => f.endsWith('.ts')).map((f) => join(root, 'src/extension', f));

/** Every `%key%` string in a JSON value. */
function nlsKeys(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    const m = /^%([^%\s]+)%$/.exec(v);
    if (m) out.push(m[1]!);
  } else if (Array.isArray(v)) v.forEach((x) => nlsKeys(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => nlsKeys(x, out));
  return out;
}

/** Placeholders that must survive translation: {0}, $(icon), #setting.links#, `code`. */
function marks(s: string): string[] {
  return [...s.matchAll(/\{\d+\}|\$\([a-z-]+\)|#keysmith\.[A-Za-z.]+#|#(?:files|search)\.exclude#|`[^`]*`/g)].map((m) => m[0]).sort();
}

describe('localisation', () => {
  it('package.json: titles and descriptions are %keys%, each in package.nls.json, none unused', () => {
    const used = nlsKeys(pkg);
    assert.ok(used.length >= 40, `only ${used.length} %keys%`);
    for (const k of used) assert.ok(typeof nls[k] === 'string' && nls[k]!.length > 0, `%${k}% is not in package.nls.json`);
    assert.deepEqual(Object.keys(nls).sort(), [...new Set(used)].sort(), 'package.nls.json has keys package.json does not use');
    const contributes = pkg.contributes as { commands: { title: string }[]; configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> } };
    for (const c of contributes.commands) assert.match(c.title, /^%.+%$/, `command title "${c.title}" is not localised`);
    for (const [k, p] of Object.entries(contributes.configuration.properties)) assert.match(p.markdownDescription ?? p.description ?? '', /^%.+%$/, `${k}`);
    assert.equal(pkg.l10n, './l10n');
  });

  it('there is at least one complete translation', () => {
    assert.ok(nlsTranslations.includes('package.nls.de.json'));
    assert.ok(bundleTranslations.includes('bundle.l10n.de.json'));
  });

  for (const f of nlsTranslations) {
    it(`${f}: exactly the keys of package.nls.json, each translated, with the same code, links and placeholders`, () => {
      const t = read(f) as Record<string, string>;
      assert.deepEqual(Object.keys(t).sort(), Object.keys(nls).sort());
      for (const [k, v] of Object.entries(t)) {
        assert.ok(typeof v === 'string' && v.trim().length > 0, k);
        assert.deepEqual(marks(v), marks(nls[k]!), k);
      }
    });
  }

  it('l10n/bundle.l10n.json is exactly what @vscode/l10n-dev extracts from src/extension (npm run l10n)', async () => {
    const extracted = await getL10nJson(extensionFiles.map((p) => ({ extension: '.ts', contents: readFileSync(p, 'utf8') })));
    const flat = Object.fromEntries(Object.entries(extracted).map(([k, v]) => [k, typeof v === 'string' ? v : v.message]));
    assert.deepEqual(Object.keys(bundle).sort(), Object.keys(flat).sort(), 'run npm run l10n and translate the new strings');
    assert.ok(Object.keys(bundle).length >= 100, `only ${Object.keys(bundle).length} strings`);
  });

  for (const f of bundleTranslations) {
    it(`l10n/${f}: exactly the keys of the bundle, each translated, with the same placeholders`, () => {
      const t = read(join('l10n', f)) as Record<string, string>;
      assert.deepEqual(Object.keys(t).sort(), Object.keys(bundle).sort());
      for (const [k, v] of Object.entries(t)) {
        assert.ok(typeof v === 'string' && v.trim().length > 0, k);
        assert.deepEqual(marks(v), marks(k), k);
      }
    });
  }

  it('no user-facing string literal in src/extension bypasses vscode.l10n.t', () => {
    // The first argument of the calls that show text to the user: a literal there is untranslated.
    const ui = /(?:show(?:Information|Warning|Error)Message|setStatusBarMessage|new Error|new SkippedFileError|new vscode\.CodeAction)\(\s*(['"`])/g;
    const props = /\b(?:placeHolder|prompt|title|label|description|message)\s*:\s*(['"`])(?!SECRET_KEY')/g;
    const bad: string[] = [];
    for (const p of extensionFiles) {
      const text = readFileSync(p, 'utf8');
      for (const re of [ui, props]) {
        for (const m of text.matchAll(re)) {
          const line = text.slice(0, m.index).split('\n').length;
          const src = text.split('\n')[line - 1]!.trim();
          if (/^\s*(\/\/|\*)/.test(src)) continue;
          bad.push(`${p.slice(root.length)}:${line}: ${src}`);
        }
      }
    }
    // Internal errors never shown as such (gitBatch's is replaced by a localised one in gitProcess).
    const allowed = [/gitBatch\.ts:.*new Error\('not in a git repository'\)/];
    assert.deepEqual(bad.filter((b) => !allowed.some((a) => a.test(b))), []);
  });
});
