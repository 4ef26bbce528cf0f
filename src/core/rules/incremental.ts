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
import { IncrementalDoc, shiftNode, splice } from '../envdoc/incremental.ts';
import { nodeIndexAt } from '../envdoc/parse.ts';
import type { EnvDocument, EnvEntry, EnvNode, EnvProblem } from '../envdoc/types.ts';
import { gateShare, guardFindings, IncrementalGate, mayHideKeys, noHiddenKeys, type GateShare, type TaintOptions } from '../leakguard.ts';
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

function countMarkers(text: string): number {
  const m = text.match(MARKER);
  return m === null ? 0 : m.length;
}

/** A copy of `node` with its offsets moved by `-d` (lines and entry index unchanged). */
function moved<T extends EnvNode>(node: T, d: number): T {
  const c = { ...node };
  shiftNode(c, -d, 0, 0);
  return c;
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

function shiftInPlace(f: Finding, delta: number, lineDelta: number, entryDelta: number): void {
  const c = f as { -readonly [K in keyof Finding]: Finding[K] };
  c.start += delta;
  c.end += delta;
  c.line += lineDelta;
  if (entryDelta !== 0 && f.fix !== undefined && 'entryIndex' in f.fix) c.fix = { ...f.fix, entryIndex: f.fix.entryIndex + entryDelta };
}

export class IncrementalAnalysis {
  readonly doc: IncrementalDoc;
  private ctx: AnalysisContext;
  private cfg: CompiledConfig;
  private slots: (Slot | null)[] = [];
  private markers: number;
  /** Per node: whether it may make keys hidden (mayHideKeys), and how many do. */
  private hiders: boolean[];
  private hiderCount = 0;
  /** Nodes before this index have not moved since findings() last ran. */
  private unmovedBefore = Infinity;
  /** The message gate kept up to date (see gatedMessages), with each node's share and what it was made for. */
  private gate: { gate: IncrementalGate; shares: GateShare[]; extra: string; patterns: string; options: TaintOptions } | undefined;
  /** Nodes re-checked by the last edit (observable for tests and benchmarks). */
  lastChecked = 0;

  constructor(text: string, context: AnalysisContext, config: RuleConfig = DEFAULT_RULE_CONFIG) {
    this.doc = new IncrementalDoc(text);
    this.ctx = context;
    this.cfg = compileRuleConfig(config);
    this.markers = countMarkers(text);
    this.hiders = this.doc.nodes.map((n) => this.mayHide(n));
    for (const h of this.hiders) if (h) this.hiderCount++;
    this.checkAll();
  }

  get text(): string {
    return this.doc.text;
  }

  private mayHide(node: EnvNode): boolean {
    return mayHideKeys(node, () => this.doc.slice(node.lineStart, node.lineEnd));
  }

  /** The current document (valid until the next edit). */
  document(): EnvDocument {
    const doc = this.doc.document();
    // Without a node that can hide keys, the leak guard need not scan the document for them.
    if (this.hiderCount === 0) noHiddenKeys(doc);
    return doc;
  }

  private input(doc: EnvDocument): AnalyzeInput {
    const c = this.ctx;
    return {
      // Read only by analyzeEnv when it has no document; a getter keeps the whole text unbuilt.
      get text(): string {
        return doc.text;
      },
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
    const all = new Array<number>(nodes.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    this.check(all);
  }

  /** Runs the entry checks over the nodes at `indices` (ascending) and stores their findings. */
  private check(indices: number[]): void {
    const nodes = this.doc.nodes;
    this.lastChecked = indices.length;
    if (indices.length === 0) return;
    const full = indices.length === nodes.length;
    let sub: EnvDocument;
    // Per node: how far its copy in `sub` was moved (the checks see a compact text of just these nodes).
    const shift = new Array<number>(indices.length).fill(0);
    if (full) sub = this.document();
    else {
      const subNodes: EnvNode[] = [];
      const entries: EnvEntry[] = [];
      const problems: EnvProblem[] = [];
      const pieces: string[] = [];
      let at = 0;
      for (let k = 0; k < indices.length; k++) {
        const node = nodes[indices[k]!]!;
        const d = node.lineStart - at;
        shift[k] = d;
        pieces.push(this.doc.slice(node.lineStart, node.terminatorEnd));
        at += node.terminatorEnd - node.lineStart;
        const copy = d === 0 ? node : moved(node, d);
        subNodes.push(copy);
        const ps = this.doc.nodeProblems[indices[k]!];
        if (ps) for (const p of ps) problems.push(d === 0 ? p : { ...p, start: p.start - d, end: p.end - d });
        if (copy.type === 'entry') {
          entries.push(copy);
          if (node.type === 'entry' && node.key === '__proto__') {
            for (const p of this.doc.keyProblems('__proto__')) if (p.start === node.keyStart) problems.push({ ...p, start: p.start - d, end: p.end - d });
          }
        }
      }
      const whole = this.doc.document();
      sub = { text: pieces.join(''), nodes: subNodes, entries, problems: problems.sort((x, y) => x.start - y.start), bom: whole.bom, eol: whole.eol, endsWithNewline: whole.endsWithNewline, lineCount: whole.lineCount };
    }
    const found = runChecks(this.input(sub), sub, this.cfg, 'entry');
    for (const i of indices) this.slots[i] = null;
    // A slot only for the nodes with findings.
    const place = (i: number, f: Finding) => {
      let slot = this.slots[i];
      if (!slot) {
        const node = nodes[i]!;
        this.slots[i] = slot = { base: node.lineStart, line: node.line, entryIndex: node.type === 'entry' ? node.index : 0, findings: [] };
      }
      slot.findings.push(f);
    };
    if (full) for (const f of found) place(nodeIndexAt(nodes, f.start), f);
    else {
      for (const f of found) {
        const k = nodeIndexAt(sub.nodes, f.start);
        const d = shift[k]!;
        place(indices[k]!, d === 0 ? f : shifted(f, d, 0, 0));
      }
    }
    for (const i of indices) {
      const slot = this.slots[i];
      if (slot && slot.findings.length > 1) slot.findings.sort(compareFindings);
    }
  }

  /** Replaces `[start, end)` of the text by `insert` and re-checks what that can change. */
  edit(start: number, end: number, insert: string): void {
    const r = this.doc.edit(start, end, insert);
    const nodes = this.doc.nodes;
    // Suppression markers in the replaced and the new nodes.
    if (r.removed.length > 0) this.markers -= countMarkers(r.removedText);
    if (r.added.length > 0) this.markers += countMarkers(this.doc.slice(r.added[0]!.lineStart, r.added[r.added.length - 1]!.terminatorEnd));
    const hiders = r.added.map((n) => this.mayHide(n));
    for (let i = r.first; i < r.first + r.removed.length; i++) if (this.hiders[i]) this.hiderCount--;
    for (const h of hiders) if (h) this.hiderCount++;
    splice(this.hiders, r.first, r.first + r.removed.length, hiders);
    if (this.gate !== undefined) {
      const g = this.gate;
      for (let i = r.first; i < r.first + r.removed.length; i++) g.gate.apply(g.shares[i]!, -1);
      const shares = r.added.map((n) => this.shareOf(n, g.options));
      for (const sh of shares) g.gate.apply(sh, 1);
      splice(g.shares, r.first, r.first + r.removed.length, shares);
    }
    splice(this.slots, r.first, r.first + r.removed.length, new Array<Slot | null>(r.added.length).fill(null));

    const dirty = new Set<number>();
    for (let i = r.first; i < r.first + r.added.length; i++) dirty.add(i);
    if (r.delta !== 0 || r.lineDelta !== 0 || r.entryDelta !== 0) this.unmovedBefore = Math.min(this.unmovedBefore, r.first);
    const keys = new Set(r.keys);
    if (r.lineDelta !== 0) for (const k of this.doc.dupKeys) keys.add(k);
    for (const k of keys) {
      for (const e of this.doc.occurrences(k)) dirty.add(nodeIndexAt(nodes, e.lineStart));
    }
    this.check([...dirty].sort((x, y) => x - y));
  }

  /** A node's gate share, computed from its own text. */
  private shareOf(node: EnvNode, options: TaintOptions): GateShare {
    const text = this.doc.slice(node.lineStart, node.terminatorEnd);
    const local = moved(node, node.lineStart);
    const doc: EnvDocument = { text, nodes: [local], entries: local.type === 'entry' ? [local] : [], problems: [], bom: false, eol: '\n', endsWithNewline: true, lineCount: 1 };
    return gateShare(doc, local, options);
  }

  /**
   * The leak guard's last gate over `findings` of this document (src/core/leakguard.ts): exactly
   * `MessageGate.forDocuments([document()], { secretPatterns }).allow(...extra)` line by line, kept
   * up to date edit by edit. Undefined when the document has nodes that may hide keys (PEM blocks,
   * key-material names): the caller then builds the whole gate.
   */
  gatedMessages(findings: readonly Finding[], extra: readonly string[], secretPatterns: readonly string[] = []): string[] | undefined {
    if (this.hiderCount > 0) {
      this.gate = undefined;
      return undefined;
    }
    const extraKey = JSON.stringify(extra);
    const patterns = JSON.stringify(secretPatterns);
    if (this.gate === undefined || this.gate.extra !== extraKey || this.gate.patterns !== patterns) {
      const options: TaintOptions = { secretPatterns: [...secretPatterns] };
      const gate = new IncrementalGate(extra);
      const doc = this.document();
      const shares = doc.nodes.map((n) => gateShare(doc, n, options));
      gate.reserve(shares);
      for (const sh of shares) gate.apply(sh, 1);
      this.gate = { gate, shares, extra: extraKey, patterns, options };
    }
    return this.gate.gate.lines(findings);
  }

  /** Lines the last gatedMessages withheld. */
  get withheld(): number {
    return this.gate?.gate.withheld ?? 0;
  }

  /** The findings, sorted as analyzeEnv sorts them. */
  findings(): Finding[] {
    const nodes = this.doc.nodes;
    const out: Finding[] = [];
    const unmoved = Math.min(this.unmovedBefore, nodes.length);
    this.unmovedBefore = Infinity;
    const slots = this.slots;
    for (let i = 0; i < unmoved; i++) {
      const slot = slots[i];
      if (slot) for (const f of slot.findings) out.push(f);
    }
    for (let i = unmoved; i < nodes.length; i++) {
      const slot = slots[i];
      if (!slot) continue;
      const node = nodes[i]!;
      const d = node.lineStart - slot.base;
      const ld = node.line - slot.line;
      const ed = node.type === 'entry' ? node.index - slot.entryIndex : 0;
      if (d !== 0 || ld !== 0 || ed !== 0) {
        // In place: these findings are this analysis's own (a fix is copied, not changed: a
        // published quick fix may still hold it).
        for (const f of slot.findings) shiftInPlace(f, d, ld, ed);
        slot.base = node.lineStart;
        slot.line = node.line;
        if (node.type === 'entry') slot.entryIndex = node.index;
      }
      for (const f of slot.findings) out.push(f);
    }
    const doc = this.document();
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
