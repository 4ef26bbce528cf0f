// E2E: generate a Fernet key into .env through the command palette and quick pick, save, check disk.
// Run by test/host/run-e2e.mjs against the installed keysmith.vsix (see that file for ctx).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FERNET_LINE = /^SECRET_KEY=([A-Za-z0-9_-]{43}=)$/m;
let generated;

function assertFernet(key) {
  assert.equal(key.length, 44, `Fernet key length: ${key}`);
  assert.match(key, /^[A-Za-z0-9_-]{43}=$/, 'urlsafe base64 with one "=" of padding');
  assert.equal(Buffer.from(key, 'base64url').length, 32, 'decodes to 32 bytes');
}

export const steps = [
  {
    name: 'open .env at the empty SECRET_KEY=',
    async run({ page, workspace, wb }) {
      const lines = readFileSync(join(workspace, '.env'), 'utf8').split(/\r?\n/);
      const line = lines.findIndex((l) => l === 'SECRET_KEY=') + 1;
      assert.ok(line > 0, 'the sample .env has an empty SECRET_KEY=');
      await wb.openFile(page, '.env');
      await wb.goToLine(page, line);
      await wb.waitForEditorText(page, /^SECRET_KEY=$/m);
    },
  },
  {
    name: 'F1 > Keysmith: Generate Secret Key > Fernet key inserts a key',
    async run({ page, wb, log }) {
      await wb.runCommand(page, 'Keysmith: Generate Secret Key');
      await wb.pickQuickPick(page, 'Fernet key');
      const [, key] = await wb.waitForEditorText(page, FERNET_LINE);
      assertFernet(key);
      generated = key;
      log(`editor shows SECRET_KEY=${key.slice(0, 4)}… (44 chars)`);
    },
  },
  {
    name: 'Ctrl+S writes the key to disk',
    async run({ page, workspace, wb, screenshot }) {
      assert.ok(await wb.isDirty(page), 'the editor is dirty before saving (auto-save is off)');
      assert.doesNotMatch(readFileSync(join(workspace, '.env'), 'utf8'), FERNET_LINE, 'not on disk before saving');
      await wb.save(page);
      let onDisk = '';
      for (const end = Date.now() + wb.UI_TIMEOUT; Date.now() < end && !FERNET_LINE.test(onDisk);) {
        onDisk = readFileSync(join(workspace, '.env'), 'utf8');
        if (!FERNET_LINE.test(onDisk)) await new Promise((r) => setTimeout(r, 100));
      }
      const m = onDisk.match(FERNET_LINE);
      assert.ok(m, `.env on disk has SECRET_KEY=<fernet key>:\n${onDisk}`);
      assert.equal(m[1], generated, 'the key on disk is the one shown in the editor');
      assert.match(onDisk, /^DJANGO_SECRET_KEY=changeme$/m, 'other lines are untouched');
      await screenshot('media/screenshot-generate.png');
    },
  },
];
