/**
 * Hovers and code lenses over patch mail.  Both read the cached analysis of
 * the document's current version and index it by line, so a hover costs a
 * few map lookups.
 */
import * as vscode from 'vscode';
import type { Model } from '../core/model/types.js';
import type { AnalysisCache } from './cache.js';
import { codeLensTitle, findingHover, flagHover, helperHover, trailerHover } from './hoverText.js';

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/;

export class PatchHoverProvider implements vscode.HoverProvider {
  /** Time spent in the last hovers, ms, for the benchmark. */
  readonly times: number[] = [];

  constructor(private readonly cache: AnalysisCache, private readonly model: () => Model) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const ready = this.cache.peek(doc);
    const a = ready ?? (await this.cache.get(doc));
    const t0 = performance.now();
    const parts: string[] = [];
    const line = pos.line + 1;
    const col = pos.character + 1;
    for (const f of a.index.findingsByLine.get(line) ?? []) {
      const inside = f.endLine === undefined || f.line !== f.endLine || f.endColumn === undefined
        ? true : col >= f.column && col <= f.endColumn;
      if (inside) parts.push(findingHover(f));
    }
    for (const tag of a.index.trailersByLine.get(line) ?? []) parts.push(trailerHover(tag));
    const word = doc.getWordRangeAtPosition(pos, IDENT);
    let range = doc.lineAt(pos.line).range;
    if (word) {
      const name = doc.getText(word);
      const m = this.model();
      const helper = m.helpers.get(name);
      const flag = helper ? undefined : m.flags.get(name);
      if (helper) parts.push(helperHover(helper, m));
      else if (flag) parts.push(flagHover(flag));
      if (helper || flag) range = word;
    }
    if (!parts.length) {
      this.record(t0);
      return undefined;
    }
    const md = new vscode.MarkdownString(parts.join('\n\n---\n\n'));
    md.isTrusted = false;
    md.supportHtml = false;
    this.record(t0);
    return new vscode.Hover(md, range);
  }

  private record(t0: number): void {
    this.times.push(performance.now() - t0);
    if (this.times.length > 1000) this.times.splice(0, 500);
  }
}

export class PatchCodeLensProvider implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly cache: AnalysisCache) {
    cache.onDidAnalyze(() => this.emitter.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const a = this.cache.peek(doc) ?? (await this.cache.get(doc));
    const lenses: vscode.CodeLens[] = [];
    const findings = a.index.findings;
    for (const at of a.index.patches) {
      const m = at.patch.message;
      let n = 0;
      for (const f of findings) if (f.line >= m.startLine && f.line <= m.endLine) n++;
      const tags = a.analysis.trailersOf(at.patch);
      const line = Math.max(0, Math.min(at.line - 1, doc.lineCount - 1));
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: codeLensTitle(at, tags, n),
        command: 'patchlens.summarizeSeries',
        arguments: [doc.uri],
        tooltip: 'PatchLens: Summarize Series',
      }));
    }
    return lenses;
  }
}
