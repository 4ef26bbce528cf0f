import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisScheduler, Debouncer, type Timers } from '../../src/extension/scheduler.ts';

/** Manual clock: timers fire only when the test advances time. */
class FakeTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now) {
        this.timers.delete(id);
        t.fn();
      }
    }
  }
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}
const flush = () => new Promise((r) => setImmediate(r));

describe('AnalysisScheduler', () => {
  it('runs no analysis before the debounce, and one after a burst of edits', async () => {
    const timers = new FakeTimers();
    const published: string[] = [];
    let calls = 0;
    const s = new AnalysisScheduler(async (k) => { calls++; return `${k}#${calls}`; }, (_k, r) => published.push(r), 300, timers);
    for (let i = 0; i < 10; i++) {
      s.schedule('a');
      timers.advance(100);
    }
    assert.equal(calls, 0, 'analysed on a keystroke before the debounce');
    timers.advance(300);
    await flush();
    assert.equal(calls, 1);
    assert.deepEqual(published, ['a#1']);
  });

  it('never publishes a stale result over a newer one', async () => {
    const timers = new FakeTimers();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const queue = [slow.promise, fast.promise];
    const published: string[] = [];
    const s = new AnalysisScheduler(() => queue.shift()!, (_k, r) => published.push(r), 0, timers);
    const first = s.now('a');
    const second = s.now('a');
    fast.resolve('new');
    await second;
    slow.resolve('old');
    await first;
    assert.deepEqual(published, ['new']);
    assert.equal(s.dropped, 1);
  });

  it('a pending debounce makes an in-flight result stale; other keys are independent', async () => {
    const timers = new FakeTimers();
    const gate = deferred<string>();
    const published: [string, string][] = [];
    let n = 0;
    const s = new AnalysisScheduler(async (k) => (k === 'a' && n++ === 0 ? gate.promise : `${k}-fresh`), (k, r) => published.push([k, r]), 200, timers);
    const inflight = s.now('a');
    s.schedule('a');
    await s.now('b');
    gate.resolve('a-stale');
    await inflight;
    assert.deepEqual(published, [['b', 'b-fresh']]);
    timers.advance(200);
    await flush();
    assert.deepEqual(published, [['b', 'b-fresh'], ['a', 'a-fresh']]);
  });

  it('cancel and dispose drop pending work', async () => {
    const timers = new FakeTimers();
    const published: string[] = [];
    const s = new AnalysisScheduler(async (k) => k, (_k, r) => published.push(r), 100, timers);
    s.schedule('a');
    s.cancel('a');
    s.schedule('b');
    s.dispose();
    timers.advance(1000);
    await flush();
    assert.deepEqual(published, []);
  });

  it('a failing analysis publishes nothing and does not break later runs', async () => {
    const published: string[] = [];
    let fail = true;
    const s = new AnalysisScheduler(async () => { if (fail) throw new Error('boom'); return 'ok'; }, (_k, r) => published.push(r), 0);
    await s.now('a');
    fail = false;
    await s.now('a');
    assert.deepEqual(published, ['ok']);
  });

  it('counts analyses per key and says when a key is idle (for event-driven tests)', async () => {
    const timers = new FakeTimers();
    const gate = deferred<string>();
    const s = new AnalysisScheduler((k) => (k === 'a' ? gate.promise : Promise.resolve(k)), () => {}, 300, timers);
    let woke = false;
    const waiting = s.whenIdle('a', 0).then(() => { woke = true; });
    await flush();
    assert.equal(woke, false, 'idle before any analysis of a started');
    s.schedule('a');
    assert.equal(s.isIdle('a'), false, 'a pending debounce is not idle');
    await s.now('b');
    assert.equal(s.startedFor('b'), 1);
    assert.equal(s.startedFor('a'), 0);
    timers.advance(300);
    assert.equal(s.startedFor('a'), 1);
    assert.equal(s.isIdle('a'), false, 'a running analysis is not idle');
    await flush();
    assert.equal(woke, false);
    gate.resolve('done');
    await waiting;
    assert.equal(s.isIdle('a'), true);
    await s.whenIdle('a');
  });
});

describe('Debouncer (re-analysis after .gitignore changes)', () => {
  it('runs once after a burst of triggers, and not before the quiet period', () => {
    const timers = new FakeTimers();
    let runs = 0;
    const d = new Debouncer(() => runs++, 500, timers);
    for (let i = 0; i < 20; i++) {
      d.trigger();
      timers.advance(100);
    }
    assert.equal(runs, 0);
    timers.advance(400);
    assert.equal(runs, 1);
    assert.equal(d.fired, 1);
    d.trigger();
    timers.advance(499);
    assert.equal(runs, 1);
    timers.advance(1);
    assert.equal(runs, 2);
  });

  it('dispose cancels a pending run', () => {
    const timers = new FakeTimers();
    let runs = 0;
    const d = new Debouncer(() => runs++, 100, timers);
    d.trigger();
    d.dispose();
    timers.advance(1000);
    assert.equal(runs, 0);
  });
});
