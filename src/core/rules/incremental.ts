/**
 * Incremental analysis: the findings of one document kept up to date edit by edit.
 *
 * An edit re-parses only the nodes it can change (IncrementalDoc), then re-runs the entry checks
 * (see CHECKS in analyze.ts) over just those nodes plus every occurrence of the keys they touch
 * (whose winner, duplicate and first-occurrence status may have changed), and, when lines were
 * added or removed, the occurrences of duplicated keys (their messages name line numbers). The
 * file checks run on every call (they are cheap). Findings of untouched nodes are reused, shifted
 * when text before them changed. Suppression directives are applied over the whole document, and
 * only when it has any.
 *
 * `findings()` equals `analyzeEnv` of the same text and context; a differential test checks it.
 */
import { IncrementalDoc, splice } from '../envdoc/incremental.ts';
import { nodeIndexAt } from '../envdoc/parse.ts';
import type { EnvDocument, EnvEntry, EnvNode, EnvProblem } from '../envdoc/types.ts';
import { guardFindings } from '../leakguard.ts';
import { applySuppressions, compareFindings, runChecks } from './analyze.ts';
import { compileRuleConfig, DEFAULT_RULE_CONFIG, type CompiledConfig } from './config.ts';
import type { OtherReaderId } from '../readers.ts';
import type { AnalyzeInput, Counterpart, Finding, GitStatus, RuleConfig } from './types.ts';

/** Everything about a file other than its text that the rules look at. */
export interface AnalysisContext {
  readonly fileName: string;
  readonly git?: GitStatus;
  readonly counterpart?: Counterpart;
  readonly isDjangoProject?: boolean;
  readonly readers?: readonly OtherReaderId[];
}

function sameReaders(a: readonly OtherReaderId[] | undefined, b: readonly OtherReaderId[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => r === y[i]);
}

interface Slot {
  /** The node's lineStart, line and entry index when `findings` were made. */
  base: number;
  line: number;
  entryIndex: number;
  findings: Finding[];
}

const MARKER = /keysmith-ignore/gi;

function countMarkers(text: string, from: number, to: number): number {
  if (to <= from) return 0;
  const m = text.slice(from, to).match(MARKER);
  return m === null ? 0 : m.length;
}

function sameKeys(a: Counterpart | undefined, b: Counterpart | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.role !== b.role || a.name !== b.name || a.keys.length !== b.keys.length) return false;
  for (let i = 0; i < a.keys.length; i++) if (a.keys[i] !== b.keys[i]) return false;
  return true;
}

function shifted(f: Finding, delta: number, lineDelta: number, entryDelta: number): Finding {
  const c: { -readonly [K in keyof Finding]: Finding[K] } = { ...f, start: f.start + delta, end: f.end + delta, line: f.line + lineDelta };
  if (entryDelta !== 0 && f.fix !== undefined && 'entryIndex' in f.fix) c.fix = { ...f.fix, entryIndex: f.fix.entryIndex + entryDelta };
  return c;
}

export class IncrementalAnalysis {
  readonly doc: IncrementalDoc;
  private ctx: AnalysisContext;
  private cfg: CompiledConfig;
  private slots: (Slot | null)[] = [];
  private markers: number;
  /** Nodes re-checked by the last edit (observable for tests and benchmarks). */
  lastChecked = 0;

  constructor(text: string, context: AnalysisContext, config: RuleConfig = DEFAULT_RULE_CONFIG) {
    this.doc = new IncrementalDoc(text);
    this.ctx = context;
    this.cfg = compileRuleConfig(config);
    this.markers = countMarkers(text, 0, text.length);
    this.checkAll();
  }

  get text(): string {
    return this.doc.text;
  }

  /** The current document (valid until the next edit). */
  document(): EnvDocument {
    return this.doc.document();
  }

  private input(doc: EnvDocument): AnalyzeInput {
    const c = this.ctx;
    return {
      text: doc.text,
      fileName: c.fileName,
      doc,
      ...(c.git ? { git: c.git } : {}),
      ...(c.counterpart ? { counterpart: c.counterpart } : {}),
      ...(c.isDjangoProject !== undefined ? { isDjangoProject: c.isDjangoProject } : {}),
      ...(c.readers !== undefined && c.readers.length > 0 ? { readers: c.readers } : {}),
    };
  }

  /** Updates the context and config; re-checks everything only when something entry checks use changed. */
  setContext(context: AnalysisContext, config: RuleConfig = DEFAULT_RULE_CONFIG): void {
    const cfg = compileRuleConfig(config);
    const old = this.ctx;
    const entriesChanged = cfg !== this.cfg || old.fileName !== context.fileName || old.isDjangoProject !== context.isDjangoProject || !sameKeys(old.counterpart, context.counterpart) || !sameReaders(old.readers, context.readers);
    this.ctx = context;
    this.cfg = cfg;
    if (entriesChanged) this.checkAll();
  }

  private checkAll(): void {
    const nodes = this.doc.nodes;
    this.slots = new Array<Slot | null>(nodes.length).fill(null);
    this.check(nodes.map((_, i) => i));
  }

  /** Runs the entry checks over the nodes at `indices` (ascending) and stores their findings. */
  private check(indices: number[]): void {
    const nodes = this.doc.nodes;
    this.lastChecked = indices.length;
    if (indices.length === 0) return;
    const full = indices.length === nodes.length;
    let sub: EnvDocument;
    if (full) sub = this.doc.document();
    else {
      const subNodes: EnvNode[] = [];
      const entries: EnvEntry[] = [];
      const problems: EnvProblem[] = [];
      for (const i of indices) {
        const node = nodes[i]!;
        subNodes.push(node);
        const ps = this.doc.nodeProblems[i];
        if (ps) problems.push(...ps);
        if (node.type === 'entry') {
          entries.push(node);
          if (node.key === '__proto__') problems.push(...this.doc.keyProblems('__proto__').filter((p) => p.start === node.keyStart));
        }
      }
      const whole = this.doc.document();
      sub = { ...whole, nodes: subNodes, entries, problems: problems.sort((x, y) => x.start - y.start) };
    }
    const found = runChecks(this.input(sub), sub, this.cfg, 'entry');
    for (const i of indices) {
      const node = nodes[i]!;
      this.slots[i] = { base: node.lineStart, line: node.line, entryIndex: node.type === 'entry' ? node.index : 0, findings: [] };
    }
    for (const f of found) this.slots[nodeIndexAt(nodes, f.start)]!.findings.push(f);
    for (const i of indices) {
      const slot = this.slots[i]!;
      if (slot.findings.length === 0) this.slots[i] = null;
      else if (slot.findings.length > 1) slot.findings.sort(compareFindings);
    }
  }

  /** Replaces `[start, end)` of the text by `insert` and re-checks what that can change. */
  edit(start: number, end: number, insert: string): void {
    const before = this.doc.text;
    const r = this.doc.edit(start, end, insert);
    const nodes = this.doc.nodes;
    // Suppression markers in the replaced and the new nodes.
    if (r.removed.length > 0) this.markers -= countMarkers(before, r.removed[0]!.lineStart, r.removed[r.removed.length - 1]!.terminatorEnd);
    if (r.added.length > 0) this.markers += countMarkers(this.doc.text, r.added[0]!.lineStart, r.added[r.added.length - 1]!.terminatorEnd);
    splice(this.slots, r.first, r.first + r.removed.length, new Array<Slot | null>(r.added.length).fill(null));

    const dirty = new Set<number>();
    for (let i = r.first; i < r.first + r.added.length; i++) dirty.add(i);
    const keys = new Set(r.keys);
    if (r.lineDelta !== 0) for (const k of this.doc.dupKeys) keys.add(k);
    for (const k of keys) {
      for (const e of this.doc.byKey.get(k) ?? []) dirty.add(nodeIndexAt(nodes, e.lineStart));
    }
    this.check([...dirty].sort((x, y) => x - y));
  }

  /** The findings, sorted as analyzeEnv sorts them. */
  findings(): Finding[] {
    const nodes = this.doc.nodes;
    const out: Finding[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const slot = this.slots[i];
      if (!slot) continue;
      const node = nodes[i]!;
      const d = node.lineStart - slot.base;
      const ld = node.line - slot.line;
      const ed = node.type === 'entry' ? node.index - slot.entryIndex : 0;
      if (d !== 0 || ld !== 0 || ed !== 0) {
        slot.findings = slot.findings.map((f) => shifted(f, d, ld, ed));
        slot.base = node.lineStart;
        slot.line = node.line;
        if (node.type === 'entry') slot.entryIndex = node.index;
      }
      for (const f of slot.findings) out.push(f);
    }
    const doc = this.doc.document();
    const fileLevel = runChecks(this.input(doc), doc, this.cfg, 'file');
    for (const f of fileLevel.sort(compareFindings)) {
      let lo = 0;
      let hi = out.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareFindings(out[mid]!, f) <= 0) lo = mid + 1;
        else hi = mid;
      }
      out.splice(lo, 0, f);
    }
    // Key names that are key material are never shown (src/core/leakguard.ts).
    return guardFindings(doc, this.markers > 0 ? applySuppressions(out, doc) : out);
  }
}
