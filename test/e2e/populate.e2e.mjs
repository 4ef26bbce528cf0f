// E2E: right-click .env in the Explorer > "Populate Empty Keys" > confirm: empty and placeholder
// secrets get strong values, everything else stays, and the file is saved.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';

const MENU_ITEM = '.context-view .monaco-menu .action-item .action-label';

export const steps = [
  {
    name: 'right-click .env in the Explorer and pick "Populate Empty Keys"',
    async run({ page, wb }) {
      const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label=".env"]').first();
      await row.waitFor({ state: 'visible', timeout: wb.UI_TIMEOUT });
      const item = page.locator(MENU_ITEM, { hasText: 'Populate Empty Keys' }).first();
      // Extension menu contributions register shortly after the workbench is ready: reopen the
      // menu until the item is there.
      const deadline = Date.now() + wb.UI_TIMEOUT;
      for (;;) {
        await row.click({ button: 'right' });
        await page.locator('.context-view .monaco-menu').waitFor({ state: 'visible', timeout: wb.UI_TIMEOUT });
        if (await item.isVisible().catch(() => false)) break;
        if (Date.now() > deadline) throw new Error('"Populate Empty Keys" never appeared in the Explorer context menu');
        await page.keyboard.press('Escape');
        await page.waitForTimeout(500);
      }
      await item.click();
    },
  },
  {
    name: 'the confirmation names the keys (never values); "Fill" fills them',
    async run({ page, workspace, wb }) {
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: wb.UI_TIMEOUT });
      const text = (await dialog.innerText()).replace(/\u00a0/g, ' ');
      for (const k of ['SECRET_KEY', 'DJANGO_SECRET_KEY', 'API_KEY', 'JWT_SECRET']) assert.ok(text.includes(k), `${k} not named in the dialog`);
      assert.ok(!/changeme|\bxxx\b/.test(text), 'a value appears in the dialog');
      assert.ok(!text.includes('DATABASE_URL') && !text.includes('PORT'), 'non-secret keys listed');
      await dialog.locator('.monaco-button', { hasText: /^Fill$/ }).click();
      const before = dotenv.parse(readFileSync(join(workspace, '.env'), 'utf8'));
      let after = before;
      for (const end = Date.now() + wb.UI_TIMEOUT; Date.now() < end && after['API_KEY'] === before['API_KEY'];) {
        await page.waitForTimeout(100);
        after = dotenv.parse(readFileSync(join(workspace, '.env'), 'utf8'));
      }
      assert.match(after['SECRET_KEY'] ?? '', /^.{43,}$/, 'SECRET_KEY not filled');
      assert.match(after['DJANGO_SECRET_KEY'] ?? '', /^[a-z0-9!@#$%^&*(\-_=+)]{50}$/, 'DJANGO_SECRET_KEY is not a Django key');
      assert.match(after['API_KEY'] ?? '', /^sk_live_[A-Za-z0-9]{43}$/, 'API_KEY is not an API key');
      assert.match(after['JWT_SECRET'] ?? '', /^[A-Za-z0-9_-]{43}$/, 'JWT_SECRET is not an HS256 secret');
      for (const k of ['DATABASE_URL', 'PORT', 'DEBUG']) assert.equal(after[k], before[k], `${k} changed`);
    },
  },
  {
    name: 'screenshot of the filled .env',
    async run({ page, wb, screenshot }) {
      await wb.openFile(page, '.env');
      await wb.waitForEditorText(page, /^API_KEY=sk_live_/m);
      await screenshot('media/screenshot-populate.png');
    },
  },
];
