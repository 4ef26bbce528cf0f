// action.yml and the GitHub workflows cannot run here: they are parsed and their key facts checked, and the
// Action's check script is run in bash against the built CLI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// js-yaml (a devDependency) has no bundled types; duplicate keys are errors in it by default.
const { load: parseYaml } = createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown };

const root = new URL('../../', import.meta.url);
type Y = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (p: string): Y => parseYaml(readFileSync(new URL(p, root), 'utf8')) as Y;
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Y;

describe('GitHub Action and workflows', () => {
  it('action.yml: composite on Node 24; check --format sarif then upload-sarif, or fail, by input', () => {
    const a = load('action.yml');
    assert.equal(a['runs'].using, 'composite');
    const steps = a['runs'].steps as Y[];
    assert.equal(steps.find((s) => String(s['uses']).startsWith('actions/setup-node@'))!['with']['node-version'], 24);
    const check = steps.find((s) => s['id'] === 'check')!;
    assert.match(check['run'], /check --format sarif/);
    assert.match(check['run'], /fail\)/);
    const upload = steps.find((s) => String(s['uses']).startsWith('github/codeql-action/upload-sarif@'))!;
    assert.equal(upload['if'], "inputs.mode == 'sarif'");
    assert.deepEqual(Object.keys(a['inputs']).sort(), ['config', 'mode', 'paths', 'sarif-file']);
    for (const s of steps) if (s['run']) assert.equal(s['shell'], 'bash');
  });

  it('action.yml: the check step\'s script runs in bash, both modes, with and without the config input', { skip: spawnSync('bash', ['--version']).status !== 0 && 'no bash' }, () => {
    const script = (load('action.yml')['runs'].steps as Y[]).find((s) => s['id'] === 'check')!['run'] as string;
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-action-'));
    try {
      writeFileSync(join(dir, '.env'), 'DUP=1\nDUP=2\n');
      writeFileSync(join(dir, 'cfg.json'), '{ "keysmith.rules.disabled": ["duplicate-key"] }');
      const run = (mode: string, config: string) => {
        const out = join(dir, 'github-output');
        writeFileSync(out, '');
        const r = spawnSync('bash', ['-c', script], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, KEYSMITH: fileURLToPath(new URL('dist/cli.js', root)), MODE: mode, PATHS: '.env', SARIF_FILE: 'k.sarif', CONFIG: config, GITHUB_OUTPUT: out },
        });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: readFileSync(out, 'utf8') };
      };
      const fail = run('fail', '');
      assert.equal(fail.status, 1, fail.stderr);
      assert.match(fail.stdout, /duplicate-key/);
      assert.equal(run('fail', 'cfg.json').status, 0);
      const sarif = run('sarif', '');
      assert.equal(sarif.status, 0, sarif.stderr);
      assert.equal(sarif.output, 'sarif-file=k.sarif\n');
      assert.equal((JSON.parse(readFileSync(join(dir, 'k.sarif'), 'utf8')) as Y).runs[0].results.length, 1);
      assert.equal(run('sarif', 'cfg.json').status, 0);
      assert.equal((JSON.parse(readFileSync(join(dir, 'k.sarif'), 'utf8')) as Y).runs[0].results.length, 0);
      assert.equal(run('other', '').status, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ci.yml runs .ci/run on ubuntu and the desktop suites with xvfb on ubuntu, macOS and Windows', () => {
    const w = load('.github/workflows/ci.yml');
    assert.ok((w['jobs'].ci.steps as Y[]).some((s) => s['run'] === 'bash .ci/run'));
    assert.equal(w['jobs'].ci['runs-on'], 'ubuntu-latest');
    assert.deepEqual(w['jobs'].desktop.strategy.matrix.os, ['ubuntu-latest', 'macos-latest', 'windows-latest']);
    assert.ok((w['jobs'].desktop.steps as Y[]).some((s) => /xvfb-run -a npm run test:desktop/.test(s['run'] ?? '')));
  });

  it('release.yml packages the .vsix once and publishes it to both marketplaces with tokens from secrets', () => {
    const w = load('.github/workflows/release.yml');
    const steps = [...w['jobs'].package.steps, ...w['jobs'].publish.steps] as Y[];
    assert.equal(steps.filter((s) => s['run'] === 'npm run package').length, 1);
    const vsce = steps.find((s) => /vsce@[\d.]+ publish --packagePath keysmith\.vsix/.test(s['run'] ?? ''))!;
    assert.equal(vsce['env'].VSCE_PAT, '${{ secrets.VSCE_PAT }}');
    const ovsx = steps.find((s) => /ovsx publish keysmith\.vsix/.test(s['run'] ?? ''))!;
    assert.equal(ovsx['env'].OVSX_PAT, '${{ secrets.OVSX_PAT }}');
  });

  it('package.json has the publishing metadata', () => {
    for (const k of ['repository', 'bugs', 'homepage', 'galleryBanner', 'pricing']) assert.ok(pkg[k], k);
    assert.equal(pkg['pricing'], 'Free');
  });
});
