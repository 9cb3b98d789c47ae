/**
 * One analysis per open document and version, kept current as the
 * document is edited:
 *  - opening a document analyses it at once; an edit waits for the
 *    debounce (`patchlens.analysis.debounceMs`), so a burst of keystrokes
 *    costs one analysis;
 *  - an edit stops the analysis of the version it replaced (review() checks
 *    an AbortSignal between diffs);
 *  - one ReviewCache serves every document, so an edit re-parses only the
 *    patches it touched, and a patch open in two files is parsed once
 *    (src/core/reviewCache.ts);
 *  - on the first analysis of a document, diagnostics are published as each
 *    stage is ready: trailers first, then each patch's own findings as it
 *    is parsed, then each series version's checks, which replace them;
 *    later analyses publish once at the end, so an edit never makes the
 *    findings of untouched patches blink out.
 */
import type { Diagnostic } from 'vscode-languageserver';
import { analyze, type Analysis } from '../editor/analyze.js';
import { DocumentIndex } from '../editor/locate.js';
import { ReviewCache } from '../core/reviewCache.js';
import { inputName, Lines, toDiagnostics } from './convert.js';
import type { Settings } from './settings.js';

export interface DocAnalysis {
  uri: string;
  version: number;
  file: string;
  analysis: Analysis;
  index: DocumentIndex;
  lines: Lines;
  /** From the request to the last publication, ms. */
  ms: number;
}

export interface DocumentHost {
  /** The document's text and version, while it is open. */
  text(uri: string): { text: string; version: number } | undefined;
  settings(uri: string): Promise<Settings>;
  publish(uri: string, version: number, diagnostics: Diagnostic[]): void;
  /** The analysis of `a.version` is complete and published. */
  analyzed(a: DocAnalysis, diagnostics: number): void;
  log(message: string): void;
}

interface State {
  timer?: ReturnType<typeof setTimeout>;
  controller?: AbortController;
  pending?: { version: number; promise: Promise<DocAnalysis | undefined> };
  ready?: DocAnalysis;
  /** When the current version was asked for (open or edit). */
  requestedAt: number;
}

/** How many times a request waits for a newer version before it takes what is there. */
const MAX_CHASE = 5;

export class DocumentAnalyzer {
  private readonly states = new Map<string, State>();
  /** Analyses started, for every document (tests check that versions are not analysed twice). */
  runs = 0;
  /** One cache for every document: the same patch open in two files is parsed once. */
  readonly cache = new ReviewCache();

  constructor(private readonly host: DocumentHost) {}

  private state(uri: string): State {
    let s = this.states.get(uri);
    if (!s) {
      s = { requestedAt: performance.now() };
      this.states.set(uri, s);
    }
    return s;
  }

  open(uri: string): void {
    this.state(uri).requestedAt = performance.now();
    void this.run(uri);
  }

  /** An edit: the running analysis is stale; the next one starts after the debounce. */
  async change(uri: string): Promise<void> {
    const s = this.state(uri);
    s.requestedAt = performance.now();
    s.controller?.abort();
    clearTimeout(s.timer);
    const { debounceMs } = await this.host.settings(uri);
    if (this.states.get(uri) !== s) return;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.run(uri), debounceMs);
  }

  close(uri: string): void {
    const s = this.states.get(uri);
    if (!s) return;
    clearTimeout(s.timer);
    s.controller?.abort();
    this.states.delete(uri);
    this.host.publish(uri, 0, []);
  }

  /** Settings changed: every open document is analysed again. */
  refreshAll(): void {
    for (const [uri, s] of this.states) {
      s.requestedAt = performance.now();
      void this.run(uri);
    }
  }

  uris(): string[] {
    return [...this.states.keys()];
  }

  /** The latest complete analysis, whatever its version (hovers while typing use it). */
  latest(uri: string): DocAnalysis | undefined {
    return this.states.get(uri)?.ready;
  }

  /** The analysis of the document's current version: waits for it, or starts it now (skipping the debounce). */
  async current(uri: string): Promise<DocAnalysis | undefined> {
    for (let i = 0; i < MAX_CHASE; i++) {
      const doc = this.host.text(uri);
      const s = this.states.get(uri);
      if (!doc || !s) return undefined;
      if (s.ready?.version === doc.version) return s.ready;
      if (s.pending?.version !== doc.version) void this.run(uri);
      const got = await s.pending?.promise;
      if (got && got.version === this.host.text(uri)?.version) return got;
    }
    return this.states.get(uri)?.ready;
  }

  private run(uri: string): Promise<DocAnalysis | undefined> {
    const s = this.states.get(uri);
    const doc = this.host.text(uri);
    if (!s || !doc) return Promise.resolve(undefined);
    clearTimeout(s.timer);
    s.timer = undefined;
    s.controller?.abort();
    const controller = new AbortController();
    s.controller = controller;
    const { version, text } = doc;
    const t0 = s.requestedAt;
    const file = inputName(uri);
    const lines = new Lines(text);
    const first = !s.ready;
    let lastPublished = '';
    const promise = (async (): Promise<DocAnalysis | undefined> => {
      const settings = await this.host.settings(uri);
      if (controller.signal.aborted) return undefined;
      this.runs++;
      const analysis = await analyze([{ file, data: text }], {
        ...settings.options,
        cache: this.cache,
        signal: controller.signal,
        // First open: each patch's own findings show as soon as it is parsed.
        progressPerPatch: first,
        onProgress: first
          ? (p) => {
            if (controller.signal.aborted) return;
            const diags = toDiagnostics(p.findings, p.problems, lines, uri, file);
            const key = diags.map((d) => `${d.code}|${d.range.start.line}|${d.message}`).join('\n');
            if (key === lastPublished) return;
            lastPublished = key;
            this.host.publish(uri, version, diags);
          }
          : undefined,
      });
      if (controller.signal.aborted) return undefined;
      const value: DocAnalysis = { uri, version, file, analysis, index: new DocumentIndex(analysis, file), lines, ms: 0 };
      const diags = toDiagnostics(value.index.findings, value.index.problems, lines, uri, file);
      this.host.publish(uri, version, diags);
      value.ms = performance.now() - t0;
      if (this.states.get(uri) === s) s.ready = value;
      this.host.analyzed(value, diags.length);
      return value;
    })().catch((e: unknown) => {
      if (!controller.signal.aborted) this.host.log(`PatchLens: analysis of ${uri} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return undefined;
    });
    s.pending = { version, promise };
    return promise;
  }
}
