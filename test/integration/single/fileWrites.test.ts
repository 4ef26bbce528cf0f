// How the extension's writes (WorkspaceEdit + save through VS Code's file service) treat symbolic
// links, hard links, other owners and read-only files, next to the CLI's writer (src/cli/fsio.ts).
// The README's "How Keysmith writes files" describes the differences these tests pin down.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { getFormat } from '../../../src/core/formats.ts';
import { spawnSync } from 'node:child_process';
import { answer, closeAll, diagnosticsFor, hasCode, keysmith, setSetting } from '../helpers.ts';
import { folderUri } from '../envfs.ts';

const isRoot = process.geteuid?.() === 0;
const EMPTY = 'SECRET_KEY=\nPORT=8080\n';

function filled(text: string): boolean {
  return getFormat('base64url').validate(dotenv.parse(text)['SECRET_KEY'] ?? '');
}

async function populate(file: string): Promise<void> {
  await answer({ confirm: 'Fill' });
  await vscode.commands.executeCommand('keysmith.populateEmptyKeys', vscode.Uri.file(file));
}

describe('Writes through VS Code: links, owners, read-only files', () => {
  let dir: string;
  before(async () => {
    await keysmith();
    dir = path.join(folderUri().fsPath, 'writes');
    fs.mkdirSync(path.join(dir, 'targets'), { recursive: true });
  });
  afterEach(closeAll);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('Populate on a symlink writes the target; the link stays a link (as in the CLI)', async () => {
    const target = path.join(dir, 'targets', 'linked.env');
    fs.writeFileSync(target, EMPTY);
    fs.chmodSync(target, 0o640);
    const link = path.join(dir, '.env.linked');
    fs.symlinkSync('targets/linked.env', link);
    await populate(link);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(fs.readlinkSync(link), 'targets/linked.env');
    assert.ok(filled(fs.readFileSync(target, 'utf8')), 'the target was not written');
    assert.equal(fs.statSync(target).mode & 0o777, 0o640);
  });

  it('Sync .env.example writes through an example link it finds (the CLI asks for --example first)', async () => {
    const sub = path.join(dir, 'exlink');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(dir, 'targets', 'shared.example'), 'PORT=1\n');
    fs.symlinkSync('../targets/shared.example', path.join(sub, '.env.example'));
    fs.writeFileSync(path.join(sub, '.env'), 'API_KEY=abc123\nPORT=1\n');
    await vscode.commands.executeCommand('keysmith.syncExample', vscode.Uri.file(path.join(sub, '.env')));
    assert.ok(fs.lstatSync(path.join(sub, '.env.example')).isSymbolicLink());
    assert.match(fs.readFileSync(path.join(dir, 'targets', 'shared.example'), 'utf8'), /^API_KEY=/m);
  });

  it('a file with two hard links is written in place: both names see the new content (the CLI refuses)', async () => {
    const file = path.join(dir, '.env.hard');
    fs.writeFileSync(file, EMPTY);
    fs.linkSync(file, path.join(dir, 'hard-other-name'));
    await populate(file);
    const a = fs.statSync(file);
    const b = fs.statSync(path.join(dir, 'hard-other-name'));
    assert.equal(a.ino, b.ino, 'the hard link was split');
    assert.ok(filled(fs.readFileSync(path.join(dir, 'hard-other-name'), 'utf8')));
  });

  it('a file owned by another user keeps its owner, group and mode', async function () {
    if (!isRoot) this.skip(); // needs root to give a file to another user
    const file = path.join(dir, '.env.owned');
    fs.writeFileSync(file, EMPTY);
    fs.chownSync(file, 12345, 12346);
    fs.chmodSync(file, 0o600);
    await populate(file);
    const st = fs.statSync(file);
    assert.ok(filled(fs.readFileSync(file, 'utf8')));
    assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [12345, 12346, 0o600]);
  });

  it('with files.readonlyFromPermissions on, a 0444 file is left alone, even for root (as in the CLI)', async () => {
    const file = path.join(dir, '.env.locked');
    fs.writeFileSync(file, EMPTY);
    fs.chmodSync(file, 0o444);
    await setSetting('files.readonlyFromPermissions', true);
    try {
      await populate(file);
    } finally {
      await setSetting('files.readonlyFromPermissions', undefined);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), EMPTY);
    assert.equal(fs.statSync(file).mode & 0o777, 0o444);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    assert.ok(!doc?.isDirty, 'an unsaved edit was left in the editor');
  });

  it('with the default settings, root writes a 0444 file as VS Code\'s own Save does (the CLI refuses)', async function () {
    if (!isRoot) this.skip(); // as an ordinary user the save fails with "permission denied"
    const file = path.join(dir, '.env.readonly');
    fs.writeFileSync(file, EMPTY);
    fs.chmodSync(file, 0o444);
    await populate(file);
    assert.ok(filled(fs.readFileSync(file, 'utf8')));
    assert.equal(fs.statSync(file).mode & 0o777, 0o444, 'the mode changed');
  });
});

describe('Reads in VS Code: only regular files', () => {
  let dir: string;
  before(async () => {
    await keysmith();
    dir = path.join(folderUri().fsPath, 'special');
    fs.mkdirSync(dir, { recursive: true });
  });
  afterEach(closeAll);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a FIFO and a link to /dev/zero named .env.* are skipped; the real .env files beside them are still checked', async function () {
    if (spawnSync('mkfifo', ['--version']).status !== 0) this.skip(); // mkfifo is not installed
    assert.equal(spawnSync('mkfifo', [path.join(dir, '.env.fifo')]).status, 0);
    fs.symlinkSync('/dev/zero', path.join(dir, '.env.zero'));
    const real = path.join(dir, '.env.real');
    fs.writeFileSync(real, 'SECRET_KEY=changeme\n');
    await diagnosticsFor(vscode.Uri.file(real), hasCode('weak-secret'), 20000);
    assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, '.env.fifo'))), []);
    assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, '.env.zero'))), []);
  });

  it('Populate on a FIFO or a link to /dev/zero ends with a message, without reading it', async function () {
    if (!fs.existsSync(path.join(dir, '.env.fifo'))) this.skip(); // the FIFO could not be made above
    const rec = await answer({ confirm: 'Fill' });
    for (const name of ['.env.fifo', '.env.zero']) {
      await vscode.commands.executeCommand('keysmith.populateEmptyKeys', vscode.Uri.file(path.join(dir, name))).then(undefined, () => undefined);
    }
    assert.equal(rec.confirms.length, 0, 'Keysmith asked to fill keys of a special file');
    assert.ok(fs.lstatSync(path.join(dir, '.env.fifo')).isFIFO());
    assert.equal(fs.readlinkSync(path.join(dir, '.env.zero')), '/dev/zero');
  });
});
