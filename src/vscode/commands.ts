/**
 * The PatchLens commands.  Each returns plain data about what it did, so
 * the integration tests can check it without scraping the UI.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Model } from '../core/model/types.js';
import { analyze, type Analysis } from './analyze.js';
import { amPathFor, writeAmFile, type Overwrite } from './amFile.js';
import type { AnalysisCache, DocAnalysis } from './cache.js';
import { LANGUAGE } from './diagnostics.js';
import { writeAmMbox } from '../core/trailers/am.js';
import { lockModelMarkdown } from './lockModelText.js';
import {
  addToReplyDraft, draftKey, isAddToReplyArgs, isRecoveredAddressArgs, isRuleId, withRecovered, withRuleDisabled, type RecoveredChoice,
} from './quickFixes.js';
import { composeReply, IDENTITY_PLACEHOLDER, type ReplyNote } from './reply.js';
import { ReplyDrafts, reviewerIdentity } from './replyDrafts.js';
import type { SeriesTreeProvider } from './seriesTree.js';
import { inputName, reviewOptions } from './settings.js';
import { uriOf } from './uri.js';
import { summarize, type Summary } from './summaryModel.js';
import type { SummaryPanel } from './summaryPanel.js';

export interface CommandDeps {
  cache: AnalysisCache;
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
    const a = await deps.cache.get(doc);
    deps.tree.showDocument(a.analysis);
    const summary = summarize(a.analysis);
    deps.panel.show(summary, basename(a.file));
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
  const recovered = new Map<string, RecoveredChoice[]>();
  const collect = async (doc: vscode.TextDocument, overwrite: Overwrite): Promise<unknown> => {
    const a = await deps.cache.get(doc);
    return writeAmMboxFor(ctx.workspaceState, doc, a, recovered.get(doc.uri.toString()) ?? [], overwrite);
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
    const a = await deps.cache.get(doc);
    const key = doc.uri.toString();
    const list = (recovered.get(key) ?? []).filter((c) => c.line !== arg.line + 1);
    recovered.set(key, [...list, { file: a.file, line: arg.line + 1, email: arg.recovered }]);
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
    const a = await deps.cache.get(doc);
    const o = (opts ?? {}) as { line?: number; tag?: string | null; notes?: ReplyNote[] };
    const ed = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
    const line = o.line ?? (ed ? ed.selection.active.line + 1 : 1);
    const message = a.index.messageAt(line) ?? a.analysis.reads.find((r) => r.file === a.file)?.messages[0];
    if (!message) {
      void vscode.window.showWarningMessage('PatchLens: no mail message found at the cursor.');
      return undefined;
    }
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
    const findings = a.index.findings.filter((f) => f.line >= message.startLine && f.line <= message.endLine);
    const text = composeReply({ message, lines: doc.getText().split(/\r?\n/), findings, notes, tag, identity });
    const draft = await drafts.show(draftKey(doc.uri.toString(), message), text);
    return { text, identity, language: draft.languageId };
  });

  reg('patchlens.checkWorkspaceSeries', () => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'PatchLens: checking the workspace series', cancellable: true },
    (progress, token) => checkWorkspace(deps, progress, token),
  ));
}

/**
 * Reads every patch-mail file of the workspace and analyses them as one
 * input, so series spread over files come together.  Cancellable; a
 * cancelled check leaves the view as it was.
 */
type Progress = vscode.Progress<{ message?: string; increment?: number }>;

async function checkWorkspace(deps: CommandDeps, progress: Progress, token: vscode.CancellationToken): Promise<unknown> {
  progress.report({ message: 'finding patch mail' });
  const files = await vscode.workspace.findFiles('**/*.{patch,mbox,mbx,eml}', '**/{node_modules,.git,.e2e}/**', 2000, token);
  files.sort((x, y) => x.toString().localeCompare(y.toString()));
  const inputs = [];
  for (const [i, f] of files.entries()) {
    if (token.isCancellationRequested) return { cancelled: true };
    if (i % 20 === 0) progress.report({ message: `reading ${i + 1}/${files.length}`, increment: (20 * 50) / Math.max(20, files.length) });
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.toString());
    inputs.push({ file: inputName(f), data: open ? open.getText() : await vscode.workspace.fs.readFile(f) });
  }
  progress.report({ message: `analysing ${files.length} file(s)` });
  const a: Analysis = await analyze(inputs, reviewOptions(vscode.workspace.workspaceFolders?.[0]));
  if (token.isCancellationRequested) return { cancelled: true };
  deps.tree.showWorkspace(a);
  return {
    files: files.length,
    series: a.series.map((s) => ({
      title: s.title,
      versions: s.versions.map((v) => v.version),
      files: [...new Set(s.versions.flatMap((v) => v.patches.map((p) => p.message.file)))],
    })),
    findings: a.findings.length,
    tree: deps.tree.plain(),
  };
}

/**
 * Collect Trailers: the am-ready mbox (the trailers engineer's writer, b4's
 * rules) of the latest version of every series in the input, written next to
 * the input as NAME.am.mbox (asking before it overwrites a file PatchLens did
 * not write), opened, and where it went said.
 */
async function writeAmMboxFor(
  state: vscode.Memento, doc: vscode.TextDocument, a: DocAnalysis, chosen: RecoveredChoice[], overwrite: Overwrite,
): Promise<unknown> {
  const collected = a.analysis.collected;
  const series = a.analysis.series.filter((s) => s.versions.some((v) => v.patches.length));
  if (!collected || !series.length) {
    void vscode.window.showWarningMessage('PatchLens: no patches in this input, so no trailers to collect.');
    return { written: null, patches: 0 };
  }
  const applied = withRecovered(collected, chosen);
  const text = series.map((s) => writeAmMbox(applied, s)).join('');
  const out = amPathFor(doc);
  const w = await writeAmFile(state, out, text, overwrite);
  if (!w.written) {
    if (w.reason === 'exists') void vscode.window.showWarningMessage(`PatchLens: ${out} exists and was not written by PatchLens; left as it is.`);
    return { written: null, reason: w.reason, path: out };
  }
  const outDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(out));
  await vscode.window.showTextDocument(outDoc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const patches = (text.match(/^From [0-9a-f]{40} /gm) ?? []).length || (text.match(/^From /gm) ?? []).length;
  void vscode.window.showInformationMessage(`PatchLens: ${patches} patch(es) with their trailers written to ${out}`);
  return { written: out, bytes: text.length, patches, text };
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
