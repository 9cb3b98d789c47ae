/**
 * The webview of "Summarize Series".  Scripts are on (for click-to-line)
 * but only the extension's own media/summary.js runs, by nonce; command
 * URIs are off; the page can reach nothing but media/.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderSummary } from './summaryHtml.js';
import type { Summary } from '../editor/summaryModel.js';

export class SummaryPanel {
  private panel: vscode.WebviewPanel | undefined;
  private summary: Summary | undefined;
  /** The last HTML set, for tests. */
  html = '';

  constructor(private readonly extensionUri: vscode.Uri, private readonly reveal: (file: string, line: number, column: number) => unknown) {}

  show(summary: Summary, inputName: string): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('patchlens.summary', 'Series Summary', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [media],
        retainContextWhenHidden: false,
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg));
    }
    this.summary = summary;
    const w = this.panel.webview;
    const title = summary.series[0]?.title;
    this.panel.title = title ? `Summary: ${title.slice(0, 40)}` : 'Series Summary';
    this.html = renderSummary(summary, {
      cspSource: w.cspSource,
      nonce: randomBytes(18).toString('base64url'),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'summary.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'summary.css')).toString(),
      inputName,
    });
    w.html = this.html;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    return this.panel;
  }

  /** Only `{ type: 'reveal', loc: <index> }` is understood; the index picks a place the extension listed. */
  private onMessage(msg: unknown): void {
    if (!msg || typeof msg !== 'object') return;
    const m = msg as { type?: unknown; loc?: unknown };
    if (m.type !== 'reveal' || typeof m.loc !== 'number' || !Number.isInteger(m.loc)) return;
    const loc = this.summary?.locations[m.loc];
    if (loc) this.reveal(loc.file, loc.line, loc.column);
  }
}
