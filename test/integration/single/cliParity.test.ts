// One configuration for the editor and CI: with non-default keysmith.* settings written by VS Code
// itself into the workspace's .vscode/settings.json, the Problems panel and `keysmith check --json`
// (the bundled CLI, which reads that file) report exactly the same findings on the same files.
// Node host only (it starts the CLI as a process); not in the web suites.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAll, codeOf, diagnosticsFor, EXTENSION_ID, setSetting } from '../helpers.ts';
import { folderUri, writeBytes } from '../envfs.ts';

interface CliFinding { file: string; line: number; column: number; severity: string; code: string; message: string }

const SETTINGS: Record<string, unknown> = {
  'keysmith.rules.disabled': ['duplicate-key'],
  'keysmith.rules.severity': { 'weak-secret': 'error', syntax: 'hint' },
  'keysmith.secretNamePatterns': ['*_PIN'],
  'keysmith.placeholders': ['fill-me-in'],
  'keysmith.example.fileName': '.env.dist',
};

const FILES: Record<string, string> = {
  '.env': '# parity fixture\nAPI_PIN=1234\nSECRET_KEY=fill-me-in\nDUP=1\nDUP=2\nnot a line dotenv reads\nONLY_IN_ENV=1\n',
  '.env.dist': 'API_PIN=\nSECRET_KEY=\nONLY_IN_DIST=x\n',
  '.env.local': 'SESSION_PIN=0000\nPORT=8080\n',
};

const SEVERITY: Record<number, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

const row = (f: { line: number; column: number; severity: string; code: string; message: string }) => `${f.line}:${f.column} ${f.severity} ${f.code} ${f.message}`;

describe('one configuration for the editor and the CLI', () => {
  const dir = () => vscode.Uri.joinPath(folderUri(), 'parity');

  after(async () => {
    await closeAll();
    for (const k of Object.keys(SETTINGS)) await setSetting(k, undefined);
    await vscode.workspace.fs.delete(dir(), { recursive: true }).then(undefined, () => undefined);
  });

  it('the Problems panel and keysmith check --json agree on every finding under non-default settings', async () => {
    for (const [k, v] of Object.entries(SETTINGS)) await setSetting(k, v);
    for (const [name, text] of Object.entries(FILES)) await writeBytes(vscode.Uri.joinPath(dir(), name), text);

    // The CLI as shipped (dist/cli.js), run where a pre-commit hook would run it: it finds the
    // settings VS Code just wrote by walking up from the checked folder.
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const cli = path.join(ext.extensionPath, 'dist', 'cli.js');
    const res = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '.'], {
      cwd: dir().fsPath,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      timeout: 120_000,
    });
    assert.equal(res.stderr, '', 'the CLI complained');
    const cliFindings = JSON.parse(res.stdout) as CliFinding[];

    // The settings really apply (so agreeing is not agreeing on the defaults).
    const all = cliFindings.map((f) => `${f.file} ${row(f)}`);
    assert.ok(cliFindings.some((f) => f.file === '.env' && f.code === 'weak-secret' && f.severity === 'error' && /API_PIN/.test(f.message)), `*_PIN and the error severity: ${all.join(' | ')}`);
    assert.ok(cliFindings.some((f) => f.file === '.env.local' && f.code === 'weak-secret' && /SESSION_PIN/.test(f.message)), `*_PIN in .env.local: ${all.join(' | ')}`);
    assert.ok(cliFindings.some((f) => f.code === 'syntax' && f.severity === 'hint'), `syntax as a hint: ${all.join(' | ')}`);
    assert.ok(cliFindings.some((f) => f.code === 'example-drift' && /\.env\.dist/.test(f.message)), `.env compared with .env.dist: ${all.join(' | ')}`);
    assert.ok(!cliFindings.some((f) => f.code === 'duplicate-key'), 'duplicate-key is disabled');

    for (const name of Object.keys(FILES)) {
      const expected = cliFindings.filter((f) => f.file === name).map(row).sort();
      const uri = vscode.Uri.joinPath(dir(), name);
      const asRows = (ds: vscode.Diagnostic[]) => ds.map((d) => row({
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        severity: SEVERITY[d.severity]!,
        code: codeOf(d),
        message: d.message,
      })).sort();
      // Waits (on diagnostics events) until the editor shows the same findings; on a timeout the
      // error shows what the editor had, to compare with `expected` below.
      const ds = await diagnosticsFor(uri, (list) => JSON.stringify(asRows(list)) === JSON.stringify(expected)).catch((e: Error) => {
        throw new Error(`${name}: the editor and the CLI disagree.\nCLI: ${JSON.stringify(expected)}\n${e.message}`);
      });
      assert.deepEqual(asRows(ds), expected);
    }
  });
});
