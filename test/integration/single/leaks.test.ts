import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { getFormat } from '../../../src/core/formats.ts';
import { applyAction, closeAll, codeOf, diagnosticsFor, hasCode, keysmith, lacksCode, quickFixes, setSetting } from '../helpers.ts';
import { folderUri, writeBytes } from '../envfs.ts';

/** A Stripe-shaped live secret key from Keysmith's CSPRNG generator (sk_live_ + 43 base62). */
const stripeKey = () => getFormat('api-key').generate();
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const awsKeyId = () => 'AKIA' + Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => B32[b & 31]).join('');

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  await vscode.workspace.openTextDocument(uri);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('leaks real stacks make', () => {
  const dir = () => vscode.Uri.joinPath(folderUri(), 'leaks');
  const file = (name: string) => vscode.Uri.joinPath(dir(), name);
  before(keysmith);
  afterEach(async () => {
    await closeAll();
    await setSetting('keysmith.clientPrefixes', undefined);
  });
  after(async () => {
    await vscode.workspace.fs.delete(dir(), { recursive: true }).then(undefined, () => undefined);
  });

  it('client-exposed-secret: an error naming the framework, the provider on hover, and the rename quick fix', async () => {
    const uri = file('.env.client');
    const secret = stripeKey();
    await writeBytes(uri, `APP=shop\nNEXT_PUBLIC_STRIPE_SECRET_KEY=${secret}\n`);
    const ds = await diagnosticsFor(uri, hasCode('client-exposed-secret'));
    const d = ds.find((x) => codeOf(x) === 'client-exposed-secret')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 1);
    assert.match(d.message, /Next\.js/);
    assert.match(d.message, /live Stripe secret key/);
    assert.ok(!d.message.includes(secret) && !d.message.includes(secret.slice(8, 20)), 'the value appears in the message');
    assert.equal((d.code as { target: vscode.Uri }).target.fragment, 'rule-client-exposed-secret');

    const hover = await hoverText(uri, new vscode.Position(1, 35));
    assert.match(hover, /live Stripe secret key/);
    assert.ok(!hover.includes(secret.slice(8, 20)), 'the hover shows the value');

    const doc = await vscode.workspace.openTextDocument(uri);
    const fix = (await quickFixes(uri, d)).find((a) => /Rename to STRIPE_SECRET_KEY/.test(a.title));
    assert.ok(fix, 'no rename fix');
    await applyAction(fix);
    assert.equal(doc.getText(), `APP=shop\nSTRIPE_SECRET_KEY=${secret}\n`);
    await diagnosticsFor(uri, lacksCode('client-exposed-secret'));
  });

  it('keysmith.clientPrefixes adds a prefix', async () => {
    const uri = file('.env.webprefix');
    await writeBytes(uri, 'WEB_SESSION_SECRET=\n');
    await diagnosticsFor(uri, lacksCode('client-exposed-secret'));
    await setSetting('keysmith.clientPrefixes', ['WEB_']);
    const ds = await diagnosticsFor(uri, hasCode('client-exposed-secret'));
    assert.match(ds.find((x) => codeOf(x) === 'client-exposed-secret')!.message, /keysmith\.clientPrefixes/);
  });

  it('a password inside a URL: flagged on the password, rated on hover, replaced by the quick fix', async () => {
    const uri = file('.env.url');
    await writeBytes(uri, 'DATABASE_URL=postgres://app:password@localhost:5432/app\nAPI_URL=https://api.example.com/v1\n');
    const ds = await diagnosticsFor(uri, hasCode('weak-secret'));
    const weak = ds.filter((x) => codeOf(x) === 'weak-secret');
    assert.equal(weak.length, 1, 'the URL without credentials was flagged');
    const d = weak[0]!;
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.character], [0, 28, 36], 'the range is not the password');

    const hover = await hoverText(uri, new vscode.Position(0, 30));
    assert.match(hover, /Password in the URL: \*\*\d+ bits\*\*/);
    assert.ok(!/1[0-9]{2} bits/.test(hover), 'the hover rates the whole URL');
    const urlHover = await hoverText(uri, new vscode.Position(1, 12));
    assert.match(urlHover, /without credentials/);

    const doc = await vscode.workspace.openTextDocument(uri);
    const fix = (await quickFixes(uri, d)).find((a) => /password in DATABASE_URL/.test(a.title));
    assert.ok(fix, 'no password fix');
    await applyAction(fix);
    const url = dotenv.parse(doc.getText())['DATABASE_URL']!;
    const m = /^postgres:\/\/app:([A-Za-z0-9_-]+)@localhost:5432\/app$/.exec(url);
    assert.ok(m, 'the URL around the password changed');
    assert.ok(m[1]!.length >= 43);
    await diagnosticsFor(uri, lacksCode('weak-secret'));
  });

  it('a guessable phrase: weak-secret on the value, its strength on hover, replaced by a fresh secret of the right format', async () => {
    const uri = file('.env.phrase');
    const jwtPhrase = 'my_super_secret_jwt_key_for_development_only_123';
    const apiPhrase = 'thisismysupersecretkeythatnobodywillguess';
    const fresh = getFormat('base64url').generate();
    await writeBytes(uri, `JWT_SECRET=${jwtPhrase}\nAPI_SECRET=${apiPhrase}\nSESSION_SECRET=${fresh}\n`);
    const weakOf = (ds: vscode.Diagnostic[]) => ds.filter((x) => codeOf(x) === 'weak-secret');
    const ds = weakOf(await diagnosticsFor(uri, (all) => weakOf(all).length >= 2));
    assert.deepEqual(ds.map((d) => d.range.start.line).sort(), [0, 1], 'a generated value was flagged, or a phrase was not');
    for (const d of ds) {
      assert.match(d.message, /common password or word/);
      assert.ok(!d.message.includes(jwtPhrase) && !d.message.includes(apiPhrase), 'the phrase appears in the message');
    }
    const hover = await hoverText(uri, new vscode.Position(1, 15));
    const bits = Number(/Estimated strength: \*\*(\d+) bits\*\*/.exec(hover)?.[1]);
    assert.ok(bits < 128, `the hover rates the phrase at ${bits} bits`);
    assert.match(hover, /common password or word/);
    assert.ok(!hover.includes(apiPhrase));

    const doc = await vscode.workspace.openTextDocument(uri);
    const jwt = ds.find((d) => d.range.start.line === 0)!;
    const fix = (await quickFixes(uri, jwt)).find((a) => /Replace JWT_SECRET with a new JWT secret \(HS256\)/.test(a.title));
    assert.ok(fix, 'no JWT regenerate fix');
    await applyAction(fix);
    const value = dotenv.parse(doc.getText())['JWT_SECRET']!;
    assert.ok(getFormat('jwt-hs256').validate(value), 'not a JWT HS256 secret');
    await diagnosticsFor(uri, (all) => weakOf(all).length === 1 && weakOf(all)[0]!.range.start.line === 1);
  });

  it('a live provider key in an example file is an error that names it', async () => {
    const uri = vscode.Uri.joinPath(dir(), 'ex', '.env.example');
    const id = awsKeyId();
    await writeBytes(uri, `AWS_ACCESS_KEY_ID=${id}\nAWS_REGION=eu-west-1\n`);
    const ds = await diagnosticsFor(uri, hasCode('example-leak'));
    const d = ds.find((x) => codeOf(x) === 'example-leak')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /an AWS access key id/);
    assert.ok(!d.message.includes(id));
    assert.match(await hoverText(uri, new vscode.Position(0, 20)), /AWS access key id/);
  });

  it('a .env with a live key that git would commit: the git finding becomes an error naming it', async () => {
    const repo = vscode.Uri.joinPath(dir(), 'repo');
    await vscode.workspace.fs.createDirectory(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo.fsPath, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo.fsPath } });
    const env = vscode.Uri.joinPath(repo, '.env');
    await writeBytes(env, `STRIPE_SECRET_KEY=${stripeKey()}\n`);
    const ds = await diagnosticsFor(env, hasCode('env-not-ignored'));
    const d = ds.find((x) => codeOf(x) === 'env-not-ignored')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /a live Stripe secret key \(STRIPE_SECRET_KEY\)/);
    assert.ok((await quickFixes(env, d)).some((a) => /gitignore/.test(a.title)), 'the .gitignore fix is still offered');
  });
});
