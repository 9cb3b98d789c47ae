/**
 * One analysis per document version, shared by every provider (diagnostics,
 * hovers, code lenses, the tree, the commands): nothing parses a document
 * twice for the same version.
 */
import * as vscode from 'vscode';
import { analyze, type Analysis } from './analyze.js';
import { DocumentIndex } from './locate.js';
import { inputName, reviewOptions } from './settings.js';

export interface DocAnalysis {
  uri: string;
  version: number;
  file: string;
  analysis: Analysis;
  index: DocumentIndex;
}

interface Slot {
  version: number;
  promise: Promise<DocAnalysis>;
  value?: DocAnalysis;
}

export class AnalysisCache implements vscode.Disposable {
  private readonly slots = new Map<string, Slot>();
  private readonly emitter = new vscode.EventEmitter<DocAnalysis>();
  /** Fires when a document's analysis for its current version is ready. */
  readonly onDidAnalyze = this.emitter.event;
  /** Number of analyses run, for tests: one per document version. */
  runs = 0;

  /** The analysis of this exact version, when it is ready. */
  peek(doc: vscode.TextDocument): DocAnalysis | undefined {
    const s = this.slots.get(doc.uri.toString());
    return s && s.version === doc.version ? s.value : undefined;
  }

  get(doc: vscode.TextDocument): Promise<DocAnalysis> {
    const key = doc.uri.toString();
    const s = this.slots.get(key);
    if (s && s.version === doc.version) return s.promise;
    const version = doc.version;
    const file = inputName(doc.uri);
    const text = doc.getText();
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
    this.runs++;
    const slot: Slot = {
      version,
      promise: analyze([{ file, data: text }], reviewOptions(folder)).then((analysis) => {
        const value: DocAnalysis = { uri: key, version, file, analysis, index: new DocumentIndex(analysis, file) };
        slot.value = value;
        if (this.slots.get(key) === slot) this.emitter.fire(value);
        return value;
      }),
    };
    this.slots.set(key, slot);
    return slot.promise;
  }

  /** The latest ready analysis of a document, whatever its version. */
  latest(uri: vscode.Uri): DocAnalysis | undefined {
    return this.slots.get(uri.toString())?.value;
  }

  forget(uri: vscode.Uri): void {
    this.slots.delete(uri.toString());
  }

  /** Settings changed: every analysis must be redone. */
  clear(): void {
    this.slots.clear();
  }

  dispose(): void {
    this.emitter.dispose();
    this.slots.clear();
  }
}
