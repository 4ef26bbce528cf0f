// Benchmark, not a test of behaviour (run by `npm run bench` through bench/scan.mjs, never by npm
// test): the workspace scan of a monorepo of N package folders in the real extension host. Reports
// the time from the .env tools' start to diagnostics for every file, and the git processes started.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { keysmith, withTimeout } from '../helpers.ts';

describe('scan benchmark', () => {
  it('diagnostics for every .env of every package folder, git asked once per repository', async function () {
    this.timeout(600_000);
    const n = Number(process.env['KEYSMITH_SCAN_FOLDERS']);
    const api = await keysmith();
    await withTimeout(api.whenScanned(0), 540_000, 'the first scan');
    const stats = await api.diagnosticStats();
    // Every package's .env has its weak API_KEY flagged; node_modules is left out.
    const flagged = vscode.languages.getDiagnostics().filter(([uri, ds]) => uri.path.endsWith('/.env') && ds.some((d) => d.source === 'keysmith'));
    assert.equal(flagged.length, n, `${flagged.length} .env files flagged`);
    assert.ok(!flagged.some(([uri]) => uri.path.includes('/node_modules/')));
    const last = stats.lastScan!;
    const result = { folders: n, files: last.files, scanMs: last.ms, sinceStartMs: last.sinceStartMs, gitProcesses: stats.gitProcesses };
    console.log(`scan of ${n} folders: ${JSON.stringify(result)}`);
    const out = process.env['KEYSMITH_BENCH_OUT'];
    if (out) writeFileSync(`${out}/scan-${n}.json`, JSON.stringify(result));
  });
});
