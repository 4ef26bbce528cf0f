// The web test bundle replaces node:assert/strict with test/web/assert.ts (the web worker has no
// Node modules). Each case here must pass or fail the same way under both.
import { describe, it } from 'node:test';
import * as node from 'node:assert/strict';
import * as web from '../../test/web/assert.ts';

type Api = typeof web;
const outcome = (f: () => void): 'pass' | 'fail' => {
  try { f(); return 'pass'; } catch { return 'fail'; }
};
const outcomeAsync = async (f: () => Promise<void>): Promise<'pass' | 'fail'> => {
  try { await f(); return 'pass'; } catch { return 'fail'; }
};

class Sub extends Error {}
const sym = Symbol('s');
const circA: Record<string, unknown> = { x: 1 }; circA['self'] = circA;
const circB: Record<string, unknown> = { x: 1 }; circB['self'] = circB;

const values: unknown[] = [
  0, -0, 1, NaN, '1', '', 'abc', true, false, null, undefined, 1n, sym,
  [], [1, 2], [1, '2'], [[1], { a: 1 }], { a: 1 }, { a: 1, b: undefined }, { a: '1' }, { b: 1 }, Object.create(null),
  new Date(0), new Date(1), /a/g, /a/i, new Uint8Array([1, 2]), new Uint8Array([1, 3]), new Uint16Array([1, 2]),
  new Map([[1, 'a']]), new Map([[1, 'b']]), new Set([1, 2]), new Set([2, 1]), new Set([{ a: 1 }]), new Set([{ a: 2 }]),
  new Error('x'), new Error('y'), new Sub('x'), circA, circB, { [sym]: 1 },
];

const cases: [string, (a: Api) => void][] = [];
for (const [i, x] of values.entries()) {
  cases.push([`ok(${i})`, (a) => a.ok(x)]);
  for (const [j, y] of values.entries()) {
    cases.push([`equal(${i}, ${j})`, (a) => a.equal(x, y)]);
    cases.push([`notEqual(${i}, ${j})`, (a) => a.notEqual(x, y)]);
    cases.push([`deepEqual(${i}, ${j})`, (a) => a.deepEqual(x, y)]);
    cases.push([`notDeepEqual(${i}, ${j})`, (a) => a.notDeepEqual(x, y)]);
  }
  cases.push([`deepEqual(${i}, structuredClone)`, (a: Api) => { let c: unknown; try { c = structuredClone(x); } catch { c = x; } a.deepEqual(x, c); }]);
}
for (const [s, re] of [['abc', /b/], ['abc', /^b/], ['', /^$/], ['x\ny', /^y$/m], ['aa', /a/g]] as [string, RegExp][]) {
  cases.push([`match(${s}, ${re})`, (a) => a.match(s, re)]);
  cases.push([`doesNotMatch(${s}, ${re})`, (a) => a.doesNotMatch(s, re)]);
}
cases.push(['match(non-string)', (a) => a.match(1 as unknown as string, /1/)]);
const thrower = () => { throw new Sub('boom 42'); };
const quiet = () => undefined;
for (const [name, expected] of [['none', undefined], ['regexp ok', /boom \d+/], ['regexp no', /bang/], ['class ok', Sub], ['class parent', Error],
  ['class no', TypeError], ['validator ok', (e: unknown) => e instanceof Sub], ['validator no', () => false], ['object ok', { message: 'boom 42' }],
  ['object regexp', { message: /boom/ }], ['object no', { message: 'x' }]] as const) {
  cases.push([`throws(thrower, ${name})`, (a) => a.throws(thrower, expected as never)]);
  cases.push([`throws(quiet, ${name})`, (a) => a.throws(quiet, expected as never)]);
}
cases.push(['doesNotThrow(thrower)', (a) => a.doesNotThrow(thrower)]);
cases.push(['doesNotThrow(quiet)', (a) => a.doesNotThrow(quiet)]);
cases.push(['ifError(null)', (a) => a.ifError(null)]);
cases.push(['ifError(err)', (a) => a.ifError(new Error('e'))]);
cases.push(['fail()', (a) => a.fail('f')]);

describe('test/web/assert.ts agrees with node:assert/strict', () => {
  it(`on ${cases.length} cases`, () => {
    const differ = cases.filter(([, f]) => outcome(() => f(node as unknown as Api)) !== outcome(() => f(web)));
    node.deepEqual(differ.map(([n]) => n), []);
  });

  it('rejects and doesNotReject', async () => {
    const bad = () => Promise.reject(new Sub('no'));
    const good = () => Promise.resolve(1);
    for (const [name, f] of [
      ['rejects(bad)', (a: Api) => a.rejects(bad)], ['rejects(good)', (a: Api) => a.rejects(good)],
      ['rejects(bad, Sub)', (a: Api) => a.rejects(bad, Sub)], ['rejects(bad, /yes/)', (a: Api) => a.rejects(bad, /yes/)],
      ['doesNotReject(bad)', (a: Api) => a.doesNotReject(bad)], ['doesNotReject(good)', (a: Api) => a.doesNotReject(good)],
    ] as const) {
      node.equal(await outcomeAsync(() => f(web)), await outcomeAsync(() => f(node as unknown as Api)), name);
    }
  });

  it('throws AssertionError with the given message, or the given Error itself', () => {
    node.throws(() => web.equal(1, 2, 'custom'), (e: unknown) => e instanceof web.AssertionError && e.message === 'custom' && e.code === 'ERR_ASSERTION');
    const own = new TypeError('mine');
    node.throws(() => web.ok(false, own), (e: unknown) => e === own);
    node.throws(() => web.deepEqual({ a: 1 }, { a: 2 }), /strictly deep-equal/);
    node.throws(() => web.default(0), web.AssertionError);
    node.equal(web.strict, web.default);
  });
});
