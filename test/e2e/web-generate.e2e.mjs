// E2E on the web: the packaged extension runs in the browser's web worker extension host (the
// user setting below moves it there from code-server's Node host), and Generate Secret Key works
// through the command palette as on the desktop. The first two steps are generate.e2e.mjs's own.
// Run by test/host/run-e2e.mjs against the installed keysmith.vsix (see that file for ctx).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { steps as generateSteps } from './generate.e2e.mjs';

/** code-server user settings for this script: Keysmith goes to the web worker (["ui"] would not move it). */
export const settings = { 'remote.extensionKind': { 'keysmith.keysmith': ['web'] } };

const FERNET_LINE = /^SECRET_KEY=([A-Za-z0-9_-]{43}=)$/m;
const [openEnv, generateFernet] = generateSteps;
assert.match(openEnv.name, /open \.env/);
assert.match(generateFernet.name, /Generate Secret Key/);

export const steps = [
  openEnv,
  generateFernet,
  {
    name: 'Ctrl+S writes the key to disk',
    async run({ page, workspace, wb }) {
      const [, shown] = await wb.waitForEditorText(page, FERNET_LINE);
      assert.ok(await wb.isDirty(page), 'the editor is dirty before saving (auto-save is off)');
      await wb.save(page);
      // The tab is clean once the server has written the file; read until the write is visible.
      const deadline = Date.now() + 30000;
      let onDisk = readFileSync(join(workspace, '.env'), 'utf8');
      while (!FERNET_LINE.test(onDisk) && Date.now() < deadline) {
        await page.waitForTimeout(100);
        onDisk = readFileSync(join(workspace, '.env'), 'utf8');
      }
      assert.equal(onDisk.match(FERNET_LINE)?.[1], shown, 'the key on disk is the one shown in the editor');
    },
  },
  {
    name: 'Developer: Show Running Extensions lists Keysmith in the "web worker" host',
    async run({ page, wb, log, screenshot }) {
      await wb.runCommand(page, 'Developer: Show Running Extensions');
      const row = page.locator('.runtime-extensions-editor .monaco-list-row[aria-label="keysmith"]');
      // The list is sorted by activation time and virtualised: only the rows in view exist, and a
      // quickly activated Keysmith can be below them. Scroll until its row is rendered.
      const list = page.locator('.runtime-extensions-editor .monaco-list');
      await list.first().waitFor({ state: 'visible', timeout: 30000 });
      await page.locator('.runtime-extensions-editor .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30000 });
      const deadline = Date.now() + 30000;
      while ((await row.count()) === 0 && Date.now() < deadline) {
        await list.first().hover();
        await page.mouse.wheel(0, 300);
        await page.waitForTimeout(100);
      }
      await row.waitFor({ state: 'visible', timeout: 30000 });
      // Extensions in code-server's Node host show the remote ("127.0.0.1:PORT") there instead.
      const where = (await row.locator('.msg').innerText()).trim();
      log(`Running Extensions: Keysmith — ${where}`);
      assert.match(where, /web worker/i, `Keysmith is not in the web worker host: "${where}"`);
      await screenshot('running-extensions');
    },
  },
];
