/**
 * The "Patch Series" view in the explorer: series -> version -> patch ->
 * findings.  It shows the series of the active patch-mail editor until
 * "Check Workspace Series" runs; from then on it keeps that check's result
 * (switching editors does not throw it away) until the next check.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/findings.js';
import type { Patch, Series, SeriesVersion } from '../core/series/types.js';
import type { Analysis } from './analyze.js';

export type Node =
  | { kind: 'series'; series: Series; analysis: Analysis }
  | { kind: 'version'; series: Series; version: SeriesVersion; analysis: Analysis }
  | { kind: 'patch'; patch: Patch; version: SeriesVersion; analysis: Analysis }
  | { kind: 'missing'; index: number; version: SeriesVersion; title: string }
  | { kind: 'finding'; finding: Finding };

/** A plain copy of the tree, for tests and the command's return value. */
export interface PlainNode {
  label: string;
  description?: string;
  children?: PlainNode[];
}

export class SeriesTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private analysis: Analysis | undefined;
  /** The view holds a workspace check: editor switches leave it alone. */
  private workspace = false;

  /** The series of the active editor's document; ignored while a workspace check is shown. */
  show(analysis: Analysis | undefined): void {
    if (this.workspace || analysis === this.analysis) return;
    this.analysis = analysis;
    this.emitter.fire(undefined);
  }

  /** A document's series asked for by name (Summarize Series): shown, and editor switches follow again. */
  showDocument(analysis: Analysis): void {
    this.workspace = false;
    this.show(analysis);
  }

  /** The result of Check Workspace Series: kept until the next check or Summarize Series. */
  showWorkspace(analysis: Analysis): void {
    this.workspace = true;
    this.analysis = analysis;
    this.emitter.fire(undefined);
  }

  /** A document was closed: the view lets go of a document's series when that was all it showed. */
  closed(file: string): void {
    const a = this.analysis;
    if (this.workspace || !a || !a.reads.length || !a.reads.every((r) => r.file === file)) return;
    this.analysis = undefined;
    this.emitter.fire(undefined);
  }

  get holdsWorkspace(): boolean {
    return this.workspace;
  }

  get current(): Analysis | undefined {
    return this.analysis;
  }

  getChildren(node?: Node): Node[] {
    const a = this.analysis;
    if (!node) return a ? a.series.map((series) => ({ kind: 'series', series, analysis: a })) : [];
    switch (node.kind) {
      case 'series':
        return node.series.versions.map((version) => ({ kind: 'version', series: node.series, version, analysis: node.analysis }));
      case 'version': {
        const v = node.version;
        const items: Node[] = [];
        if (v.cover) items.push({ kind: 'patch', patch: v.cover, version: v, analysis: node.analysis });
        for (const p of v.patches) items.push({ kind: 'patch', patch: p, version: v, analysis: node.analysis });
        for (const i of v.missing) items.push({ kind: 'missing', index: i, version: v, title: node.series.shortlogTitles[i - 1] ?? '' });
        const idx = (n: Node): number => (n.kind === 'patch' ? n.patch.subject.index ?? 0 : n.kind === 'missing' ? n.index : 0);
        return items.sort((x, y) => idx(x) - idx(y));
      }
      case 'patch':
        return findingsOf(node.patch, node.analysis).map((finding) => ({ kind: 'finding', finding }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const p = plainItem(node, this.analysis);
    const collapsible = node.kind === 'series' || node.kind === 'version' || (node.kind === 'patch' && findingsOf(node.patch, node.analysis).length > 0);
    const item = new vscode.TreeItem(p.label, collapsible
      ? (node.kind === 'patch' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded)
      : vscode.TreeItemCollapsibleState.None);
    item.description = p.description;
    switch (node.kind) {
      case 'series': item.iconPath = new vscode.ThemeIcon('list-tree'); break;
      case 'version': item.iconPath = new vscode.ThemeIcon('versions'); break;
      case 'patch': {
        const m = node.patch.message;
        item.iconPath = new vscode.ThemeIcon(node.patch === node.version.cover ? 'mail' : 'diff');
        item.command = { command: 'patchlens.revealLocation', title: 'Open', arguments: [m.file, m.startLine, 1] };
        item.tooltip = m.subject;
        break;
      }
      case 'missing': item.iconPath = new vscode.ThemeIcon('circle-slash'); break;
      case 'finding': {
        const f = node.finding;
        item.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info');
        item.command = { command: 'patchlens.revealLocation', title: 'Open', arguments: [f.file, f.line, f.column] };
        item.tooltip = f.message;
        break;
      }
    }
    return item;
  }

  /** The whole tree as plain data. */
  plain(): PlainNode[] {
    const walk = (n: Node): PlainNode => {
      const p = plainItem(n, this.analysis);
      const kids = this.getChildren(n);
      return kids.length ? { ...p, children: kids.map(walk) } : p;
    };
    return this.getChildren().map(walk);
  }
}

export function findingsOf(p: Patch, a: Analysis): Finding[] {
  const m = p.message;
  return a.findings.filter((f) => f.file === m.file && f.line >= m.startLine && f.line <= m.endLine);
}

function plainItem(node: Node, a: Analysis | undefined): PlainNode {
  switch (node.kind) {
    case 'series': return { label: node.series.title.trim() || '(no subject)', description: node.series.versions.map((v) => `v${v.version}`).join(', ') };
    case 'version': {
      const v = node.version;
      return { label: `v${v.version}`, description: `${v.patches.length}/${v.total} patches${v.missing.length ? `, ${v.missing.length} missing` : ''}` };
    }
    case 'patch': {
      const s = node.patch.subject;
      const n = a ? findingsOf(node.patch, a).length : 0;
      const title = s.title.trim() || '(no subject)';
      const label = `${s.index === null ? '' : `${s.index}/${s.total ?? node.version.total} `}${title}`;
      return { label, description: n ? `${n} finding${n === 1 ? '' : 's'}` : undefined };
    }
    case 'missing': return { label: `${node.index}/${node.version.total} ${node.title}`.trim(), description: 'missing' };
    case 'finding': return { label: `${node.finding.rule}: ${node.finding.message}`, description: `line ${node.finding.line}` };
  }
}
