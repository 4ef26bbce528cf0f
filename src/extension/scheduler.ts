/**
 * Debounced, generation-counted analysis per document. No `vscode` import, so it is unit-tested
 * with node's runner.
 *
 * - `schedule(key)` waits `debounceMs` after the last call before analysing: no analysis runs on a
 *   keystroke before the debounce has passed.
 * - Every request bumps the key's generation; a result is published only if no newer request
 *   was made for that key while it was computed, so a stale result never replaces a newer one.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class AnalysisScheduler<R> {
  private readonly generation = new Map<string, number>();
  private readonly pending = new Map<string, unknown>();
  private readonly running = new Map<string, number>();
  private readonly startedPerKey = new Map<string, number>();
  private readonly idleWaiters = new Map<string, Array<{ after: number; resolve: () => void }>>();
  /** Analyses started, and results dropped as stale (observable for tests). */
  started = 0;
  dropped = 0;

  private readonly analyze: (key: string) => Promise<R | undefined>;
  private readonly publish: (key: string, result: R) => void;
  private readonly timers: Timers;
  debounceMs: number;

  constructor(
    analyze: (key: string) => Promise<R | undefined>,
    publish: (key: string, result: R) => void,
    debounceMs: number,
    timers: Timers = realTimers,
  ) {
    this.analyze = analyze;
    this.publish = publish;
    this.debounceMs = debounceMs;
    this.timers = timers;
  }

  private bump(key: string): number {
    const g = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, g);
    const t = this.pending.get(key);
    if (t !== undefined) {
      this.timers.clearTimeout(t);
      this.pending.delete(key);
    }
    return g;
  }

  /** Analyses started for one key (observable for tests). */
  startedFor(key: string): number {
    return this.startedPerKey.get(key) ?? 0;
  }

  /** No analysis of `key` is waiting for its debounce or running. */
  isIdle(key: string): boolean {
    return !this.pending.has(key) && !this.running.get(key);
  }

  /**
   * Resolves once `key` is idle and more than `after` analyses of it have started (by default at
   * once if it is idle now).
   */
  whenIdle(key: string, after = -1): Promise<void> {
    if (this.isIdle(key) && this.startedFor(key) > after) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.idleWaiters.get(key) ?? [];
      list.push({ after, resolve });
      this.idleWaiters.set(key, list);
    });
  }

  private wakeIfIdle(key: string): void {
    const list = this.idleWaiters.get(key);
    if (!list || !this.isIdle(key)) return;
    const n = this.startedFor(key);
    const ready = list.filter((w) => n > w.after);
    const rest = list.filter((w) => n <= w.after);
    if (rest.length) this.idleWaiters.set(key, rest);
    else this.idleWaiters.delete(key);
    for (const w of ready) w.resolve();
  }

  /** Analyse after the debounce (for edits). */
  schedule(key: string): void {
    const g = this.bump(key);
    this.pending.set(key, this.timers.setTimeout(() => {
      this.pending.delete(key);
      void this.run(key, g);
    }, this.debounceMs));
  }

  /** Analyse now (for opening, saving, file-system changes). */
  now(key: string): Promise<void> {
    return this.run(key, this.bump(key));
  }

  /** Drops pending and in-flight work for a key (its file was deleted or closed for good). */
  cancel(key: string): void {
    this.bump(key);
    this.wakeIfIdle(key);
  }

  private async run(key: string, g: number): Promise<void> {
    this.started++;
    this.startedPerKey.set(key, this.startedFor(key) + 1);
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    try {
      let result: R | undefined;
      try {
        result = await this.analyze(key);
      } catch {
        result = undefined;
      }
      if (this.generation.get(key) !== g) {
        this.dropped++;
        return;
      }
      if (result !== undefined) this.publish(key, result);
    } finally {
      const n = (this.running.get(key) ?? 1) - 1;
      if (n > 0) this.running.set(key, n);
      else this.running.delete(key);
      this.wakeIfIdle(key);
    }
  }

  dispose(): void {
    for (const t of this.pending.values()) this.timers.clearTimeout(t);
    this.pending.clear();
    for (const list of this.idleWaiters.values()) for (const w of list) w.resolve();
    this.idleWaiters.clear();
    for (const k of this.generation.keys()) this.generation.set(k, (this.generation.get(k) ?? 0) + 1);
  }
}

/**
 * Calls `fn` once, `ms` after the last of a burst of `trigger()` calls (a .gitignore saved several
 * times, a branch switch rewriting many ignore files): one re-analysis per burst, not one per event.
 */
export class Debouncer {
  private handle: unknown;
  private readonly fn: () => void;
  private readonly timers: Timers;
  ms: number;
  /** Times `fn` ran (observable for tests). */
  fired = 0;

  constructor(fn: () => void, ms: number, timers: Timers = realTimers) {
    this.fn = fn;
    this.ms = ms;
    this.timers = timers;
  }

  trigger(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.fired++;
      this.fn();
    }, this.ms);
  }

  dispose(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
