/**
 * The PatchLens commands.  Each returns plain data about what it did, so
 * the integration tests can check it without scraping the UI.  The data
 * comes from the language server (PatchLens's own requests); the commands
 * show it, write files and open editors.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Model } from '../core/model/types.js';
import { summaryFromWire, type WireSummary } from '../editor/summaryWire.js';
import { REQUESTS, type ComposeReplyParams, type SeriesResult, type TrailersParams, type TrailersResult } from '../lsp/protocol.js';
import { amPathFor, writeAmFile, type Overwrite } from './amFile.js';
import { LANGUAGE, type PatchLensClient } from './client.js';
import { lockModelMarkdown } from './lockModelText.js';
import {
  addToReplyDraft, draftKey, isAddToReplyArgs, isRecoveredAddressArgs, isRuleId, messageAtLine, withRuleDisabled,
} from './quickFixes.js';
import { IDENTITY_PLACEHOLDER, type ReplyNote } from '../editor/reply.js';
import { ReplyDrafts, reviewerIdentity } from './replyDrafts.js';
import type { SeriesTreeProvider } from './seriesTree.js';
import { uriOf } from './uri.js';
import type { Summary } from '../editor/summaryModel.js';
import type { SummaryPanel } from './summaryPanel.js';

export interface CommandDeps {
  client: PatchLensClient;
  tree: SeriesTreeProvider;
  panel: SummaryPanel;
  model: () => Model;
}


export async function revealLocation(file: string, line: number, column: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uriOf(file));
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
}

/** The patch-mail document a command is about: its argument, else the active editor. */
async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  // A code lens of the server names its document by URI string.
  if (typeof arg === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(arg)) return vscode.workspace.openTextDocument(vscode.Uri.parse(arg));
  const ed = vscode.window.activeTextEditor;
  if (ed && ed.document.languageId === LANGUAGE) return ed.document;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.languageId === LANGUAGE);
  if (visible) return visible.document;
  void vscode.window.showInformationMessage('PatchLens: open a patch mail (.patch, .mbox, .eml) first.');
  return undefined;
}

/** Summary as plain JSON-able data, for tests and scripts. */
export function plainSummary(s: Summary): unknown {
  return {
    series: s.series.map((x) => ({
      title: x.title,
      versions: x.versions,
      reviewers: x.reviewers,
      patches: x.patches.map((p) => ({
        label: p.label, title: p.title, state: p.state, version: p.version, findings: p.findings,
        tags: [...p.tags.entries()].flatMap(([reviewer, cells]) => cells.map((c) => ({ reviewer, kind: c.kind, state: c.state, version: c.version }))),
      })),
      changelog: x.changelog.map((c) => ({ version: c.version, lines: c.lines.length })),
    })),
    findingsByRule: s.findingsByRule.map((g) => ({ rule: g.rule, severity: g.severity, count: g.items.length, lines: g.items.map((i) => i.finding.line) })),
    problems: s.problems,
  };
}

export function registerCommands(ctx: vscode.ExtensionContext, deps: CommandDeps): void {
  const reg = (id: string, fn: (...args: unknown[]) => unknown): void => {
    ctx.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };

  reg('patchlens.revealLocation', (file, line, column) => revealLocation(String(file), Number(line) || 1, Number(column) || 1));

  reg('patchlens.summarizeSeries', async (arg) => {
    const doc = await targetDocument(arg);
    if (!doc) return undefined;
    const uri = doc.uri.toString();
    const [wire, series] = await Promise.all([
      deps.client.request<{ summary: WireSummary; file: string }>(REQUESTS.summary, { uri }),
      deps.client.request<SeriesResult>(REQUESTS.series, { uri }),
    ]);
    deps.tree.showDocument(series.series, wire.file);
    const summary = summaryFromWire(wire.summary);
    deps.panel.show(summary, basename(wire.file));
    return { ...(plainSummary(summary) as object), html: deps.panel.html };
  });

  // The model as a read-only page (no untitled buffer to save), shown as a Markdown preview.
  const modelPages = new ModelPageProvider(deps.model);
  ctx.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(MODEL_SCHEME, modelPages));
  reg('patchlens.showLockModel', async () => {
    const uri = vscode.Uri.from({ scheme: MODEL_SCHEME, path: '/PatchLens lock model.md' });
    modelPages.changed(uri);
    const text = lockModelMarkdown(deps.model());
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      // No Markdown preview in this editor: show the source.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
    return { helpers: deps.model().helpers.size, flags: deps.model().flags.size, text };
  });

  // Addresses the reviewer chose for obfuscated tags, per document (Use the recovered address).
  const recovered = new Map<string, TrailersParams['recovered'] & object>();
  const collect = async (doc: vscode.TextDocument, overwrite: Overwrite): Promise<unknown> => {
    const params: TrailersParams = { uri: doc.uri.toString(), recovered: recovered.get(doc.uri.toString()) ?? [] };
    const r = await deps.client.request<TrailersResult>(REQUESTS.trailers, params);
    return writeAmMboxFor(ctx.workspaceState, doc, r, overwrite);
  };
  reg('patchlens.collectTrailers', async (arg, opts) => {
    const doc = await targetDocument(arg);
    if (!doc) return undefined;
    const o = (opts ?? {}) as { overwrite?: Overwrite };
    return collect(doc, o.overwrite ?? 'ask');
  });

  reg('patchlens.useRecoveredAddress', async (arg, opts) => {
    if (!isRecoveredAddressArgs(arg)) return undefined;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
    const key = doc.uri.toString();
    const list = (recovered.get(key) ?? []).filter((c) => c.line !== arg.line + 1);
    recovered.set(key, [...list, { line: arg.line + 1, email: arg.recovered }]);
    return collect(doc, ((opts ?? {}) as { overwrite?: Overwrite }).overwrite ?? 'ask');
  });

  reg('patchlens.disableRule', async (rule) => {
    if (!isRuleId(rule)) return undefined;
    const cfg = vscode.workspace.getConfiguration('patchlens');
    const disabled = withRuleDisabled(cfg.get<unknown[]>('rules.disabled', []), rule);
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await cfg.update('rules.disabled', disabled, target);
    void vscode.window.showInformationMessage(`PatchLens: ${rule} is disabled in this workspace (patchlens.rules.disabled).`);
    return { disabled };
  });

  const drafts = new ReplyDrafts();
  ctx.subscriptions.push(drafts);
  reg('patchlens.addToReply', async (arg) => {
    if (!isAddToReplyArgs(arg)) return undefined;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
    // The draft is found by the message it answers, then written or added to.
    const r = await addToReplyDraft(arg, { file: doc.uri.toString(), text: doc.getText() },
      (key) => drafts.get(key)?.getText() ?? null, () => reviewerIdentity(doc, false));
    if ('error' in r) {
      void vscode.window.showWarningMessage(`PatchLens: ${r.error}.`);
      return undefined;
    }
    const draft = await drafts.show(r.key, r.text);
    return { text: draft.getText(), key: r.key, appended: r.appended, language: draft.languageId };
  });

  reg('patchlens.composeReply', async (arg, opts) => {
    const doc = await targetDocument(arg);
    if (!doc) return undefined;
    const o = (opts ?? {}) as { line?: number; tag?: string | null; notes?: ReplyNote[] };
    const ed = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
    const line = o.line ?? (ed ? ed.selection.active.line + 1 : 1);
    const notes: ReplyNote[] = o.notes ? [...o.notes] : [];
    if (!opts && ed && !ed.selection.isEmpty) {
      const text = await vscode.window.showInputBox({ prompt: 'Your comment on the selected lines (empty: none)' });
      if (text) notes.push({ line: ed.selection.end.line + (ed.selection.end.character === 0 && ed.selection.end.line > ed.selection.start.line ? 0 : 1), text });
    }
    let tag: string | null = o.tag === undefined ? null : o.tag;
    if (!opts) {
      const pick = await vscode.window.showQuickPick(['No tag', 'Reviewed-by', 'Acked-by'], { placeHolder: 'Add a tag to the reply?' });
      tag = pick && pick !== 'No tag' ? pick : null;
    }
    // A chosen tag needs a person: asked for when neither the setting nor git config names one.
    const identity = await reviewerIdentity(doc, !!tag && !opts);
    if (tag && !identity) {
      const fill = `replace "${IDENTITY_PLACEHOLDER}" in the draft, or set patchlens.reply.identity`;
      void vscode.window.showWarningMessage(`PatchLens: no name and address known for ${tag}: ${fill}.`);
    }
    const params: ComposeReplyParams = { uri: doc.uri.toString(), line, tag, notes, identity };
    const { text } = await deps.client.request<{ text: string | null }>(REQUESTS.composeReply, params);
    if (text === null) {
      void vscode.window.showWarningMessage('PatchLens: no mail message found at the cursor.');
      return undefined;
    }
    const message = await messageAtLine(doc.uri.toString(), doc.getText(), line);
    const draft = await drafts.show(message ? draftKey(doc.uri.toString(), message) : `${doc.uri.toString()}#${line}`, text);
    return { text, identity, language: draft.languageId };
  });

  reg('patchlens.checkWorkspaceSeries', () => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'PatchLens: checking the workspace series', cancellable: true },
    (progress, token) => checkWorkspace(deps, progress, token),
  ));
}

/**
 * Lists every patch-mail file of the workspace and has the server read them
 * as one input (open editors' text where they are open), so series spread
 * over files come together.  Cancellable; a cancelled check leaves the view
 * as it was.
 */
type Progress = vscode.Progress<{ message?: string; increment?: number }>;

async function checkWorkspace(deps: CommandDeps, progress: Progress, token: vscode.CancellationToken): Promise<unknown> {
  progress.report({ message: 'finding patch mail' });
  const files = await vscode.workspace.findFiles('**/*.{patch,mbox,mbx,eml}', '**/{node_modules,.git,.e2e}/**', 2000, token);
  files.sort((x, y) => x.toString().localeCompare(y.toString()));
  if (token.isCancellationRequested) return { cancelled: true };
  progress.report({ message: `analysing ${files.length} file(s)` });
  const r = await deps.client.request<SeriesResult>(REQUESTS.series, { uris: files.map((f) => f.toString()) });
  if (token.isCancellationRequested) return { cancelled: true };
  deps.tree.showWorkspace(r.series);
  await vscode.commands.executeCommand('setContext', 'patchlens.activated', true);
  return {
    files: files.length,
    series: r.series.map((s) => ({ title: s.title, versions: s.versions.map((v) => v.version), files: [...new Set(s.versions.flatMap((v) => v.patches.filter((p) => !p.cover).map((p) => p.file)))] })),
    findings: r.findings,
    tree: deps.tree.plain(),
  };
}

/**
 * Collect Trailers: the am-ready mbox (the trailers engineer's writer, b4's
 * rules) of the latest version of every series in the input, written next to
 * the input as NAME.am.mbox (asking before it overwrites a file PatchLens did
 * not write), opened, and where it went said.
 */
async function writeAmMboxFor(state: vscode.Memento, doc: vscode.TextDocument, r: TrailersResult, overwrite: Overwrite): Promise<unknown> {
  if (!r.text) {
    void vscode.window.showWarningMessage('PatchLens: no patches in this input, so no trailers to collect.');
    return { written: null, patches: 0 };
  }
  const text = r.text;
  const out = amPathFor(doc);
  const w = await writeAmFile(state, out, text, overwrite);
  if (!w.written) {
    if (w.reason === 'exists') void vscode.window.showWarningMessage(`PatchLens: ${out} exists and was not written by PatchLens; left as it is.`);
    return { written: null, reason: w.reason, path: out };
  }
  const outDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(out));
  await vscode.window.showTextDocument(outDoc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  void vscode.window.showInformationMessage(`PatchLens: ${r.patches} patch(es) with their trailers written to ${out}`);
  return { written: out, bytes: text.length, patches: r.patches, text };
}

const MODEL_SCHEME = 'patchlens-model';

/** Serves the lock model page; fires a change so a settings change (model file) shows. */
class ModelPageProvider implements vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  constructor(private readonly model: () => Model) {}
  changed(uri: vscode.Uri): void {
    this.emitter.fire(uri);
  }
  provideTextDocumentContent(): string {
    return lockModelMarkdown(this.model());
  }
}
