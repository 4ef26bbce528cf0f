// Unit cases for src/core/gitignore.ts. The differential test against git itself is
// gitignore-git.test.ts; these pin down the documented semantics one by one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIgnoreMatcher, toByteString, type IgnoreSource } from '../../src/core/gitignore.ts';

function matcher(sources: IgnoreSource[] | string, ignoreCase = false) {
  return createIgnoreMatcher(typeof sources === 'string' ? [{ dir: '', content: sources }] : sources, { ignoreCase });
}

function table(m: ReturnType<typeof matcher>, cases: Record<string, boolean>): void {
  for (const [path, expected] of Object.entries(cases)) assert.equal(m.isIgnored(path), expected, path);
}

describe('gitignore patterns', () => {
  it('a name without a slash matches at any depth', () => {
    table(matcher('.env\n'), { '.env': true, 'a/.env': true, 'a/b/.env': true, '.env.local': false, 'x.env': false });
  });
  it('a pattern with a slash is anchored to its file', () => {
    table(matcher('/root.env\nconfig/.env\n'), { 'root.env': true, 'a/root.env': false, 'config/.env': true, 'a/config/.env': false });
    table(matcher([{ dir: 'sub', content: 'config/.env\n/top\n' }]), { 'sub/config/.env': true, 'config/.env': false, 'sub/a/config/.env': false, 'sub/top': true, 'sub/a/top': false });
  });
  it('globs: * ? [...] never cross a slash', () => {
    table(matcher('.env.*\n*.log\n?.txt\n[ab].md\n[!c]x\n[[:digit:]]n\n'), {
      '.env.local': true, '.env': false, 'a/.env.production': true, 'x.log': true, 'a/b/x.log': true, 'a.txt': true, 'ab.txt': false,
      'a.md': true, 'c.md': false, 'dx': true, 'cx': false, '7n': true, 'an': false,
    });
    table(matcher('a/*.env\n'), { 'a/x.env': true, 'a/b/x.env': false });
  });
  it('** in its three forms', () => {
    table(matcher('**/logs\nfoo/**\na/**/b\n'), {
      logs: true, 'x/y/logs': true, 'foo/x': true, 'foo/x/y': true, foo: false, 'a/b': true, 'a/x/y/b': true, 'ab': false,
    });
    // Elsewhere ** is an ordinary *: it does not cross a slash.
    table(matcher('a/x**y\n'), { 'a/xy': true, 'a/xby': true, 'a/xb/y': false });
  });
  it('last matching pattern wins; ! re-includes', () => {
    table(matcher('.env*\n!.env.example\n'), { '.env': true, '.env.example': false, 'a/.env.example': false });
    table(matcher('!.env.example\n.env*\n'), { '.env.example': true });
  });
  it('a trailing slash matches directories only', () => {
    const m = matcher('build/\n');
    assert.equal(m.isIgnored('build'), false);
    assert.equal(m.isIgnored('build', true), true);
    assert.equal(m.isIgnored('build/'), true);
    assert.equal(m.isIgnored('build/.env'), true, 'inside the directory');
    assert.equal(m.isIgnored('a/build/x'), true);
  });
  it('nothing inside an ignored directory can be re-included, and its .gitignore is not read', () => {
    const m = matcher([
      { dir: '', content: 'secrets/\n!secrets/.env.example\n' },
      { dir: 'secrets', content: '!.env.example\n' },
    ]);
    assert.equal(m.isIgnored('secrets/.env.example'), true);
    const r = m.match('secrets/.env.example')!;
    assert.equal(r.pattern, 'secrets/');
    assert.equal(r.matchedPath, 'secrets');
    // Re-including the directory itself works.
    table(matcher('dist/*\n!dist/keep/\n'), { 'dist/a': true, 'dist/keep/a': false });
  });
  it('deeper .gitignore files win over shallower ones; info/exclude over the global file; .gitignore over both', () => {
    const m = matcher([
      { dir: '', content: '.env.local\n' },
      { dir: 'app', content: '!.env.local\n' },
      { dir: 'app/deep', content: '.env.local\n' },
      { dir: '', kind: 'exclude', content: 'x.env\n' },
      { dir: '', kind: 'global', content: 'x.env\n!y.env\n!z.env\n' },
      { dir: '', kind: 'exclude', content: 'y.env\n' },
      { dir: '', content: '!z.env\n' },
    ]);
    table(m, { '.env.local': true, 'app/.env.local': false, 'app/deep/.env.local': true, 'x.env': true, 'y.env': true, 'z.env': false });
    assert.equal(m.match('x.env')!.sourceName, '.git/info/exclude');
    assert.equal(m.match('app/.env.local')!.sourceName, 'app/.gitignore');
    assert.equal(m.match('app/.env.local')!.ignored, false);
  });
  it('a nested .gitignore only applies below its directory', () => {
    table(matcher([{ dir: 'a', content: '*.env\n' }]), { 'a/x.env': true, 'a/b/x.env': true, 'x.env': false, 'ab/x.env': false });
  });
  it('comments, blank lines, trailing spaces, escapes, BOM and CRLF', () => {
    table(matcher('\uFEFF# .env\n\n\\#hash\n\\!bang\nspace   \nkeep\\ \na\\*b\r\nlast'), {
      '.env': false, '#hash': true, '!bang': true, space: true, 'space   ': false, 'keep ': true, 'a*b': true, 'axb': false, last: true,
    });
    assert.equal(matcher('# only a comment\n').match('x'), null);
  });
  it('match() reports the deciding line, 1-based, with the pattern as written', () => {
    const m = matcher([{ dir: 'pkg', content: '# c\n\n.env*   \n!.env.example\n', name: 'pkg/.gitignore' }]);
    assert.deepEqual({ ...m.match('pkg/x/.env.local')!, source: undefined }, {
      ignored: true, source: undefined, sourceName: 'pkg/.gitignore', line: 3, pattern: '.env*', matchedPath: 'pkg/x/.env.local',
    });
    assert.equal(m.match('pkg/.env.example')!.line, 4);
    assert.equal(m.match('.env'), null);
  });
  it('path forms: ./, leading slash, the root; a backslash is part of a name, as in git', () => {
    const m = matcher('.env\n');
    for (const p of ['./.env', '/.env', './a/.env']) assert.equal(m.isIgnored(p), true, p);
    assert.equal(m.isIgnored('a\\.env'), false, 'a\\.env is one file name, not a/.env');
    assert.equal(m.isIgnored(''), false);
    assert.equal(m.isIgnored('.'), false);
  });
  it('matches on UTF-8 bytes like git: ? is one byte', () => {
    assert.equal(toByteString('é'), '\u00c3\u00a9');
    assert.equal(toByteString('a😀'), 'a\u00f0\u009f\u0098\u0080');
    table(matcher('caf?\ncaf??.env\n'), { 'cafe': true, 'café': false, 'café.env': true });
    table(matcher('ü/\n'), { 'ü/x': true });
  });
  it('ignoreCase folds ASCII letters like core.ignoreCase', () => {
    table(matcher('.ENV\nBuild/\n*.Log\n', true), { '.env': true, '.Env': true, 'build/x': true, 'x.LOG': true });
    table(matcher('.ENV\n', false), { '.env': false, '.ENV': true });
  });
  it('malformed brackets and classes match nothing', () => {
    table(matcher('x[\n[[:bogus:]]\n'), { 'x[': false, b: false });
  });
});
