import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { enabledPatterns, expandBraces, scanExcludeGlob } from '../../src/extension/excludes.ts';

describe('scan exclude glob', () => {
  it('expands brace groups, nested and several', () => {
    assert.deepEqual(expandBraces('**/*.{js,map}'), ['**/*.js', '**/*.map']);
    assert.deepEqual(expandBraces('{a,b{c,d}}/x{1,2}'), ['a/x1', 'a/x2', 'bc/x1', 'bc/x2', 'bd/x1', 'bd/x2']);
    assert.deepEqual(expandBraces('plain/**'), ['plain/**']);
    assert.deepEqual(expandBraces('broken{a,b'), ['broken{a,b']);
  });

  it('takes the patterns set to true, skipping false and when-clauses', () => {
    assert.deepEqual(enabledPatterns({ '**/a': true, '**/b': false, '**/*.js': { when: '$(basename).ts' } }), ['**/a']);
    assert.deepEqual(enabledPatterns(undefined), []);
  });

  it('holds node_modules, .git, files.exclude and search.exclude in one flat group', () => {
    const glob = scanExcludeGlob({ '**/.hg': true, 'out/': true }, { '**/bower_components': true, '**/{dist,tmp}': true, '**/node_modules': false });
    assert.ok(glob.startsWith('{') && glob.endsWith('}'));
    const parts = glob.slice(1, -1).split(',');
    for (const p of ['**/node_modules', '**/node_modules/**', '**/.git/**', '**/.hg', '**/.hg/**', 'out', 'out/**', '**/bower_components/**', '**/dist/**', '**/tmp/**']) {
      assert.ok(parts.includes(p), `${p} in ${glob}`);
    }
    // node_modules stays excluded even when search.exclude turns it off.
    assert.ok(!glob.slice(1, -1).includes('{'));
  });
});
