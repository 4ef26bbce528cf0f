// @vscode/test-cli configuration (`npm run test:desktop` = build + test/host/build-tests.mjs + vscode-test)
// for machines that CAN download VS Code desktop. Offline machines use test/host/run-integration.mjs
// (code-server) with the same suites and fixtures.
//   npx vscode-test --label single      run one configuration
//   VSCODE_TEST_VERSION=1.90.0 npx vscode-test   test the oldest supported VS Code (engines.vscode)
// Each load makes fresh copies of test/integration/fixtures/<run>/ under .vscode-test/workspaces/.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const extensionId = `${pkg.publisher}.${pkg.name}`;

function freshFixture(name) {
  const dest = join(root, '.vscode-test', 'workspaces', name);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const src = join(root, 'test', 'integration', 'fixtures', name);
  if (existsSync(src)) cpSync(src, dest, { recursive: true });
  return dest;
}

const common = {
  version: process.env.VSCODE_TEST_VERSION || 'stable',
  extensionDevelopmentPath: root,
  mocha: { ui: 'bdd', timeout: 30000, slow: 2000 },
  // Keep the user's installed extensions out; built-in ones (e.g. the dotenv language) stay.
  launchArgs: ['--disable-extensions', '--skip-welcome', '--skip-release-notes'],
};
const env = (run, folders) => ({ KEYSMITH_RUN: run, KEYSMITH_EXTENSION_ID: extensionId, KEYSMITH_EXPECT_FOLDERS: String(folders) });

const hasSuite = (dir) => existsSync(join(root, 'test', 'integration', dir));

export default defineConfig([
  {
    ...common,
    label: 'single',
    files: ['out/test/integration/smoke.test.js', 'out/test/integration/single/**/*.test.js'],
    workspaceFolder: freshFixture('single'),
    env: env('single', 1),
  },
  {
    ...common,
    label: 'multi',
    files: ['out/test/integration/smoke.test.js', 'out/test/integration/multi/**/*.test.js'],
    workspaceFolder: join(freshFixture('multi'), 'keysmith.code-workspace'),
    env: env('multi', 2),
  },
  // A workspace without any .env (laziness checks; no smoke test, it activates Keysmith).
  ...(hasSuite('lazy') ? [{
    ...common,
    label: 'lazy',
    files: ['out/test/integration/lazy/**/*.test.js'],
    workspaceFolder: freshFixture('lazy'),
    env: env('lazy', 1),
  }] : []),
]);
