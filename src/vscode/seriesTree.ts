/**
 * The "Patch Series" view in the explorer: series -> version -> patch ->
 * findings.  It shows the series of the active patch-mail editor, as the
 * language server lists them (`patchlens/series`), until "Check Workspace
 * Series" runs; from then on it keeps that check's result (switching
 * editors does not throw it away) until the next check.
 */
import * as vscode from 'vscode';
import type { WireFinding, WireSeries } from '../lsp/protocol.js';

type Version = WireSeries['versions'][number];
type PatchItem = Version['patches'][number];

export type Node =
  | { kind: 'series'; series: WireSeries }
  | { kind: 'version'; series: WireSeries; version: Version }
  | { kind: 'patch'; patch: PatchItem; version: Version }
  | { kind: 'missing'; index: number; version: Version; title: string }
  | { kind: 'finding'; finding: WireFinding };

/** A plain copy of the tree, for tests and the command's return value. */
export interface PlainNode {
  label: string;
  description?: string;
  children?: PlainNode[];
}

export class SeriesTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private series: WireSeries[] = [];
  /** The input the shown series came from, when they are one document's. */
  private file: string | undefined;
  /** The view holds a workspace check: editor switches leave it alone. */
  private workspace = false;

  /** The series of the active editor's document; ignored while a workspace check is shown. */
  show(series: WireSeries[], file?: string): void {
    if (this.workspace) return;
    this.series = series;
    this.file = file;
    this.emitter.fire(undefined);
  }

  /** A document's series asked for by name (Summarize Series): shown, and editor switches follow again. */
  showDocument(series: WireSeries[], file: string): void {
    this.workspace = false;
    this.show(series, file);
  }

  /** The result of Check Workspace Series: kept until the next check or Summarize Series. */
  showWorkspace(series: WireSeries[]): void {
    this.workspace = true;
    this.series = series;
    this.file = undefined;
    this.emitter.fire(undefined);
  }

  /** A document was closed: the view lets go of a document's series when that was all it showed. */
  closed(file: string): void {
    if (this.workspace || this.file === undefined || this.file !== file) return;
    this.series = [];
    this.file = undefined;
    this.emitter.fire(undefined);
  }

  get holdsWorkspace(): boolean {
    return this.workspace;
  }

  get current(): WireSeries[] {
    return this.series;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.series.map((series) => ({ kind: 'series', series }));
    switch (node.kind) {
      case 'series':
        return node.series.versions.map((version) => ({ kind: 'version', series: node.series, version }));
      case 'version': {
        const v = node.version;
        const items: Node[] = v.patches.map((patch) => ({ kind: 'patch', patch, version: v }));
        for (const m of v.missing) items.push({ kind: 'missing', index: m.index, version: v, title: m.title });
        const idx = (n: Node): number => (n.kind === 'patch' ? n.patch.index ?? 0 : n.kind === 'missing' ? n.index : 0);
        return items.sort((x, y) => idx(x) - idx(y));
      }
      case 'patch':
        return node.patch.findings.map((finding) => ({ kind: 'finding', finding }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const p = plainItem(node);
    const collapsible = node.kind === 'series' || node.kind === 'version' || (node.kind === 'patch' && node.patch.findings.length > 0);
    const item = new vscode.TreeItem(p.label, collapsible
      ? (node.kind === 'patch' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded)
      : vscode.TreeItemCollapsibleState.None);
    item.description = p.description;
    switch (node.kind) {
      case 'series': item.iconPath = new vscode.ThemeIcon('list-tree'); break;
      case 'version': item.iconPath = new vscode.ThemeIcon('versions'); break;
      case 'patch': {
        item.iconPath = new vscode.ThemeIcon(node.patch.cover ? 'mail' : 'diff');
        item.command = { command: 'patchlens.revealLocation', title: 'Open', arguments: [node.patch.file, node.patch.line, 1] };
        item.tooltip = node.patch.subject;
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
      const p = plainItem(n);
      const kids = this.getChildren(n);
      return kids.length ? { ...p, children: kids.map(walk) } : p;
    };
    return this.getChildren().map(walk);
  }
}

function plainItem(node: Node): PlainNode {
  switch (node.kind) {
    case 'series': return { label: node.series.title.trim() || '(no subject)', description: node.series.versions.map((v) => `v${v.version}`).join(', ') };
    case 'version': {
      const v = node.version;
      const present = v.patches.filter((p) => !p.cover).length;
      return { label: `v${v.version}`, description: `${present}/${v.total} patches${v.missing.length ? `, ${v.missing.length} missing` : ''}` };
    }
    case 'patch': {
      const p = node.patch;
      const n = p.findings.length;
      // A cover letter's empty subject is said, not shown as its bare prefix.
      const title = p.title.trim() || (p.cover ? '' : p.subject.trim()) || '(no subject)';
      const label = `${p.index === null ? '' : `${p.index}/${p.total ?? node.version.total} `}${title}`;
      return { label, description: n ? `${n} finding${n === 1 ? '' : 's'}` : undefined };
    }
    case 'missing': return { label: `${node.index}/${node.version.total} ${node.title}`.trim(), description: 'missing' };
    case 'finding': return { label: `${node.finding.rule}: ${node.finding.message}`, description: `line ${node.finding.line}` };
  }
}
