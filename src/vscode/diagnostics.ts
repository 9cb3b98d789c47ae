/**
 * Findings and reading problems as VS Code diagnostics, at their exact
 * ranges, with the rule id as code (linked to the rule's documentation) and
 * the lock path as related information.  Recomputed when a document opens
 * and, debounced, when it is edited.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/findings.js';
import type { Problem } from '../core/types.js';
import type { AnalysisCache, DocAnalysis } from './cache.js';
import { debounceMs } from './settings.js';
import { ruleDocUri } from './ruleDocs.js';
import { uriOf } from './uri.js';

export const LANGUAGE = 'patch-mail';
const SOURCE = 'PatchLens';

/** Where a rule's code links to. */
export class RuleDocs {
  uri(rule: string): vscode.Uri {
    return ruleDocUri(rule);
  }
}

function severityOf(s: Finding['severity']): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

/** The document range of a finding: its own end when given, else the word at its column, else the rest of the line. */
export function findingRange(doc: vscode.TextDocument, f: { line: number; column: number; endLine?: number; endColumn?: number }): vscode.Range {
  const line = clampLine(doc, f.line - 1);
  const text = doc.lineAt(line).text;
  const col = Math.max(0, Math.min(f.column - 1, text.length));
  if (f.endLine !== undefined || f.endColumn !== undefined) {
    const endLine = clampLine(doc, (f.endLine ?? f.line) - 1);
    const endText = doc.lineAt(endLine).text;
    const endCol = Math.max(0, Math.min((f.endColumn ?? endText.length + 1) - 1, endText.length));
    const r = new vscode.Range(line, col, endLine, endCol);
    if (!r.isEmpty) return r;
  }
  const word = doc.getWordRangeAtPosition(new vscode.Position(line, col), /[A-Za-z_][A-Za-z0-9_]*(?:\(\))?/);
  if (word) return word;
  const end = text.length > col ? text.length : col + 1;
  return new vscode.Range(line, col, line, end);
}

function clampLine(doc: vscode.TextDocument, l: number): number {
  return Math.max(0, Math.min(l, doc.lineCount - 1));
}

export function toDiagnostics(doc: vscode.TextDocument, a: DocAnalysis, docs: RuleDocs): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const f of a.index.findings) {
    const d = new vscode.Diagnostic(findingRange(doc, f), f.message, severityOf(f.severity));
    d.source = SOURCE;
    d.code = { value: f.rule, target: docs.uri(f.rule) };
    if (f.path?.length) {
      d.relatedInformation = f.path.map((s) => {
        const where = s.file === a.file
          ? new vscode.Location(doc.uri, findingRange(doc, { line: s.line, column: s.column }))
          : new vscode.Location(uriOf(s.file), new vscode.Position(Math.max(0, s.line - 1), Math.max(0, s.column - 1)));
        return new vscode.DiagnosticRelatedInformation(where, s.what);
      });
    }
    out.push(d);
  }
  for (const p of a.index.problems) out.push(problemDiagnostic(doc, p));
  return out;
}

function problemDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const line = clampLine(doc, p.line - 1);
  const text = doc.lineAt(line).text;
  const col = Math.max(0, Math.min(p.column - 1, text.length));
  const range = new vscode.Range(line, col, line, Math.max(col + 1, Math.min(text.length, 500)));
  const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Warning);
  d.source = SOURCE;
  d.code = p.kind;
  return d;
}

/** Keeps the diagnostics of every open patch-mail document current. */
export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('patchlens');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subs: vscode.Disposable[] = [];
  /** ms from the request to the diagnostics being set, per URI, for the benchmark. */
  readonly timings = new Map<string, number>();

  constructor(private readonly cache: AnalysisCache, private readonly docs: RuleDocs) {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.cache.forget(d.uri);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== LANGUAGE) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.refresh(doc);
    }, debounceMs()));
  }

  async refresh(doc: vscode.TextDocument): Promise<void> {
    if (doc.languageId !== LANGUAGE) {
      this.collection.delete(doc.uri);
      return;
    }
    const t0 = performance.now();
    const version = doc.version;
    const a = await this.cache.get(doc);
    if (doc.isClosed || doc.version !== version) return;
    this.collection.set(doc.uri, toDiagnostics(doc, a, this.docs));
    this.timings.set(doc.uri.toString(), performance.now() - t0);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subs) s.dispose();
    this.collection.dispose();
  }
}
