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
  }

  private async run(key: string, g: number): Promise<void> {
    this.started++;
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
  }

  dispose(): void {
    for (const t of this.pending.values()) this.timers.clearTimeout(t);
    this.pending.clear();
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
