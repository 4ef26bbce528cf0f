// `node:assert/strict` for the web worker extension host, where Node's modules do not exist.
// The web test bundle (test/host/build-web-tests.mjs) maps `node:assert/strict` to this file, so
// the integration suites run unchanged in both hosts. It implements the strict-mode subset the
// suites use, with node's semantics (Object.is equality, deep strict equality with prototypes);
// test/unit/web-assert.test.ts checks it against node:assert/strict case by case.

export class AssertionError extends Error {
  readonly actual: unknown;
  readonly expected: unknown;
  readonly operator: string;
  readonly code = 'ERR_ASSERTION';
  readonly generatedMessage: boolean;
  constructor(options: { message?: string | undefined; actual?: unknown; expected?: unknown; operator: string; generated: string }) {
    super(options.message ?? options.generated);
    this.name = 'AssertionError';
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = options.operator;
    this.generatedMessage = options.message === undefined;
  }
}

type Message = string | Error | undefined;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return `[Function ${v.name || 'anonymous'}]`;
  if (typeof v === 'symbol' || v === undefined || Number.isNaN(v)) return String(v);
  if (Object.is(v, -0)) return '-0';
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Map ? [...x] : x instanceof Set ? [...x] : x));
    if (s !== undefined) return s.length > 400 ? `${s.slice(0, 400)}…` : s;
  } catch {
    /* circular */
  }
  return Object.prototype.toString.call(v);
}

function fail_(message: Message, generated: string, operator: string, actual?: unknown, expected?: unknown): never {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message, generated, operator, actual, expected });
}

export function ok(value: unknown, message?: Message): asserts value {
  if (!value) fail_(message, `The expression evaluated to a falsy value: ${show(value)}`, '==', value, true);
}

export function fail(message: Message = 'Failed'): never {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message, generated: 'Failed', operator: 'fail' });
}

export function equal<T>(actual: unknown, expected: T, message?: Message): asserts actual is T {
  if (!Object.is(actual, expected)) fail_(message, `Expected values to be strictly equal:\n${show(actual)} !== ${show(expected)}`, 'strictEqual', actual, expected);
}
export const strictEqual = equal;

export function notEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (Object.is(actual, expected)) fail_(message, `Expected "actual" to be strictly unequal to: ${show(expected)}`, 'notStrictEqual', actual, expected);
}
export const notStrictEqual = notEqual;

const TYPED = (v: unknown): v is ArrayLike<number> & ArrayBufferView => ArrayBuffer.isView(v) && !(v instanceof DataView);

/** Deep strict equality as node's assert.deepStrictEqual defines it (for the value kinds tests use). */
export function isDeepStrictEqual(a: unknown, b: unknown, seen = new Map<object, object>()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime()) && sameKeys(a, b, seen);
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags && a.lastIndex === (b as RegExp).lastIndex && sameKeys(a, b, seen);
  if (a instanceof Error && (a.message !== (b as Error).message || a.name !== (b as Error).name)) return false;
  if (TYPED(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return sameKeys(a, b, seen, true);
  }
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    for (const [k, v] of a) if (!m.has(k) || !isDeepStrictEqual(v, m.get(k), seen)) return false;
    return sameKeys(a, b, seen);
  }
  if (a instanceof Set) {
    const s = b as Set<unknown>;
    if (a.size !== s.size) return false;
    for (const v of a) {
      if (s.has(v)) continue;
      if (typeof v !== 'object' || v === null || ![...s].some((w) => isDeepStrictEqual(v, w, seen))) return false;
    }
    return sameKeys(a, b, seen);
  }
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false;
  return sameKeys(a, b, seen);
}

function sameKeys(a: object, b: object, seen: Map<object, object>, skipIndices = false): boolean {
  const keys = (o: object) => [
    ...Object.keys(o).filter((k) => !(skipIndices && /^\d+$/.test(k))),
    ...Object.getOwnPropertySymbols(o).filter((s) => Object.prototype.propertyIsEnumerable.call(o, s)),
  ];
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
    if (!isDeepStrictEqual((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k], seen)) return false;
  }
  return true;
}

export function deepEqual<T>(actual: unknown, expected: T, message?: Message): asserts actual is T {
  if (!isDeepStrictEqual(actual, expected)) fail_(message, `Expected values to be strictly deep-equal:\n${show(actual)}\n!==\n${show(expected)}`, 'deepStrictEqual', actual, expected);
}
export const deepStrictEqual = deepEqual;

export function notDeepEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (isDeepStrictEqual(actual, expected)) fail_(message, `Expected "actual" not to be strictly deep-equal to: ${show(expected)}`, 'notDeepStrictEqual', actual, expected);
}
export const notDeepStrictEqual = notDeepEqual;

export function match(value: string, re: RegExp, message?: Message): void {
  if (typeof value !== 'string') fail_(message, `The "string" argument must be of type string. Received ${show(value)}`, 'match', value, re);
  re.lastIndex = 0;
  if (!re.test(value)) fail_(message, `The input did not match the regular expression ${String(re)}. Input:\n${show(value)}`, 'match', value, re);
}

export function doesNotMatch(value: string, re: RegExp, message?: Message): void {
  if (typeof value !== 'string') fail_(message, `The "string" argument must be of type string. Received ${show(value)}`, 'doesNotMatch', value, re);
  re.lastIndex = 0;
  if (re.test(value)) fail_(message, `The input was expected to not match the regular expression ${String(re)}. Input:\n${show(value)}`, 'doesNotMatch', value, re);
}

type ErrorCheck = RegExp | (new (...args: never[]) => unknown) | ((e: unknown) => boolean) | Record<string, unknown>;

function checkError(e: unknown, expected: ErrorCheck | undefined, message: Message, operator: string): void {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    const text = e instanceof Error ? String(e) : String(e);
    expected.lastIndex = 0;
    if (!expected.test(text)) fail_(message, `The error did not match ${String(expected)}: ${text}`, operator, e, expected);
    return;
  }
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && e instanceof (expected as new () => unknown)) return;
    if (Object.prototype.isPrototypeOf.call(Error, expected) || expected === Error) fail_(message, `The error is not an instance of ${expected.name}`, operator, e, expected);
    if ((expected as (e: unknown) => boolean)(e) !== true) fail_(message, 'The validation function did not return true', operator, e, expected);
    return;
  }
  for (const [k, v] of Object.entries(expected)) {
    const got = (e as Record<string, unknown>)?.[k];
    const same = v instanceof RegExp && typeof got === 'string' ? v.test(got) : isDeepStrictEqual(got, v);
    if (!same) fail_(message, `The error's "${k}" is ${show(got)}, expected ${show(v)}`, operator, e, expected);
  }
}

export function throws(fn: () => unknown, expected?: ErrorCheck | string, message?: Message): void {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  try {
    fn();
  } catch (e) {
    checkError(e, expected, message, 'throws');
    return;
  }
  fail_(message, 'Missing expected exception.', 'throws');
}

export async function rejects(p: Promise<unknown> | (() => Promise<unknown>), expected?: ErrorCheck | string, message?: Message): Promise<void> {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    checkError(e, expected, message, 'rejects');
    return;
  }
  fail_(message, 'Missing expected rejection.', 'rejects');
}

export async function doesNotReject(p: Promise<unknown> | (() => Promise<unknown>), message?: Message): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    fail_(message, `Got unwanted rejection: ${e instanceof Error ? e.message : show(e)}`, 'doesNotReject', e);
  }
}

export function doesNotThrow(fn: () => unknown, message?: Message): void {
  try {
    fn();
  } catch (e) {
    fail_(message, `Got unwanted exception: ${e instanceof Error ? e.message : show(e)}`, 'doesNotThrow', e);
  }
}

export function ifError(value: unknown): void {
  if (value !== null && value !== undefined) {
    if (value instanceof Error) throw value;
    fail_(undefined, `ifError got unwanted exception: ${show(value)}`, 'ifError', value, null);
  }
}

/** `assert(value)` and `assert.strict` as in node. */
function assert(value: unknown, message?: Message): asserts value {
  ok(value, message);
}
Object.assign(assert, {
  ok, fail, equal, strictEqual, notEqual, notStrictEqual, deepEqual, deepStrictEqual, notDeepEqual, notDeepStrictEqual,
  match, doesNotMatch, throws, rejects, doesNotThrow, doesNotReject, ifError, AssertionError,
});
Object.assign(assert, { strict: assert });
export { assert as strict };
export default assert;
