// E2E: the sample workspace (a git repository whose .gitignore misses .env, with weak values) shows
// Keysmith's warnings in the Problems panel.
import * as assert from 'node:assert/strict';

async function problemRows(page) {
  return (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' '));
}

export const steps = [
  {
    name: 'open .env and the Problems panel',
    async run({ page, wb }) {
      await wb.openFile(page, '.env');
      await wb.runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: wb.UI_TIMEOUT });
    },
  },
  {
    name: 'Keysmith reports the missing ignore rule and the weak secrets',
    async run({ page, log, wb }) {
      let rows = [];
      // Keysmith activates once the extension host has started, which on a machine with every
      // core busy can take minutes after the workbench shows: a longer limit than other waits.
      for (const end = Date.now() + 4 * wb.UI_TIMEOUT; Date.now() < end;) {
        rows = await problemRows(page);
        const all = rows.join('\n');
        if (/env-not-ignored/.test(all) && (all.match(/weak-secret/g) ?? []).length >= 3) break;
        await page.waitForTimeout(200);
      }
      const all = rows.join('\n');
      log(`${rows.length} rows in the Problems panel`);
      assert.match(all, /keysmith/, 'no Keysmith diagnostics');
      assert.match(all, /env-not-ignored/, 'no "not ignored by git" warning');
      assert.ok((all.match(/weak-secret/g) ?? []).length >= 3, `expected weak-secret warnings for the placeholder values:\n${all}`);
    },
  },
  {
    name: 'screenshot of the Problems panel',
    async run({ screenshot }) {
      await screenshot('media/screenshot-problems.png');
    },
  },
];
