// Benchmark: the workspace scan of a monorepo of 1, 100 and 1000 package folders (each with a .env
// and a .env.example, plus a node_modules .env that must be skipped) in the real extension host
// (code-server + Chromium, test/host): the time to diagnostics for every file and the number of git
// processes started. Needs the test host (npm run test:integration provisions it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { line, machine } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const sizes = (process.env.BENCH_SCAN ?? '1,100,1000').split(',').map(Number);
if (!existsSync(join(root, 'dist', 'extension.js'))) {
  console.log('scan: dist/ is not built; run npm run build first');
  process.exit(1);
}
const out = mkdtempSync(join(tmpdir(), 'keysmith-bench-scan-'));
try {
  console.log(`scan: monorepo workspace scans in the real host (${machine()})`);
  const r = spawnSync(process.execPath, [join(root, 'test/host/run-integration.mjs'), ...sizes.map((n) => `scan-${n}`)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, KEYSMITH_BENCH_OUT: out, KEYSMITH_HOST_TIMEOUT_MS: process.env.KEYSMITH_HOST_TIMEOUT_MS ?? '900000' },
  });
  let allMet = true;
  for (const n of sizes) {
    const file = join(out, `scan-${n}.json`);
    if (!existsSync(file)) {
      allMet = false;
      console.log(line(`scan of ${n} folder(s)`, 'no result', '', false));
      const tail = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(`[scan-${n}]`)).slice(-3);
      for (const l of tail) console.log(`      ${l}`);
      continue;
    }
    const res = JSON.parse(readFileSync(file, 'utf8'));
    const gitMet = res.gitProcesses <= 3;
    allMet &&= gitMet;
    console.log(line(`scan of ${n} folder(s): time to diagnostics`, `${(res.sinceStartMs / 1000).toFixed(2)} s`, 'reported (no target)'));
    console.log(`      (the scan itself: ${(res.scanMs / 1000).toFixed(2)} s for ${res.files} files; the rest is activation and choosing git access)`);
    console.log(line(`scan of ${n} folder(s): git processes started`, String(res.gitProcesses), '<= 3 (one repository)', gitMet));
  }
  console.log(line('every scan target', allMet ? 'all met' : 'some not met', '', allMet));
  if (r.status !== 0) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
