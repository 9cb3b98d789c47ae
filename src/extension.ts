/**
 * PatchLens for VS Code: wiring only.  The analysis runs in the PatchLens
 * language server (src/lsp/, its own process), which this extension starts
 * as a `vscode-languageclient` client with the first patch mail: diagnostics,
 * hovers, code lenses, quick fixes and the outline come from there.  The
 * summary webview, the series tree and the commands stay here, fed by the
 * server's PatchLens requests.  Activation stays cheap: no core, no
 * tree-sitter, no server until a patch mail is open.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { applyModelJson, defaultModel } from './core/model/index.js';
import type { Model } from './core/model/types.js';
import { REQUESTS, type SeriesResult } from './lsp/protocol.js';
import { LANGUAGE, PatchLensClient } from './vscode/client.js';
import { registerCommands, revealLocation } from './vscode/commands.js';
import { RULE_SCHEME, RuleDocProvider, renderRulePages } from './vscode/ruleDocs.js';
import { SeriesTreeProvider } from './vscode/seriesTree.js';
import { inputName, reviewOptions } from './vscode/settings.js';
import { SummaryPanel } from './vscode/summaryPanel.js';

export interface PatchLensApi {
  client: PatchLensClient;
  tree: SeriesTreeProvider;
  /** ms spent in activate(). */
  activationMs: number;
}

let client: PatchLensClient | undefined;

export function activate(context: vscode.ExtensionContext): PatchLensApi {
  const t0 = performance.now();
  client = new PatchLensClient(context.asAbsolutePath('dist/server.cjs'), context.asAbsolutePath('dist/languageclient.cjs'));
  const c = client;
  const tree = new SeriesTreeProvider();

  // The lock model page (Show Lock Model) reads the model here, built on first use.
  let model: Model | undefined;
  const getModel = (): Model => {
    if (model) return model;
    model = defaultModel();
    const file = reviewOptions(vscode.workspace.workspaceFolders?.[0]).modelFile;
    if (file) {
      try {
        const problems = applyModelJson(model, readFileSync(file, 'utf8'), file);
        for (const p of problems.slice(0, 3)) void vscode.window.showWarningMessage(`PatchLens model file: ${p.message}`);
      } catch (e) {
        void vscode.window.showWarningMessage(`PatchLens: cannot read the model file ${file}: ${e instanceof Error ? e.message : e}`);
      }
    }
    return model;
  };

  /** The tree follows the active patch mail (until a workspace check replaces it). */
  const follow = async (doc: vscode.TextDocument | undefined): Promise<void> => {
    if (doc?.languageId !== LANGUAGE || !c.started) return;
    try {
      tree.show((await c.request<SeriesResult>(REQUESTS.series, { uri: doc.uri.toString() })).series, inputName(doc.uri));
    } catch {
      // Closed before the server answered: the tree keeps what it shows.
    }
  };

  const panel = new SummaryPanel(context.extensionUri, revealLocation);
  context.subscriptions.push(
    c,
    vscode.window.registerTreeDataProvider('patchlens.series', tree),
    vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, new RuleDocProvider()),
    renderRulePages(),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('patchlens')) model = undefined;
    }),
    vscode.window.onDidChangeActiveTextEditor((ed) => void follow(ed?.document)),
    vscode.workspace.onDidCloseTextDocument((d) => tree.closed(inputName(d.uri))),
    c.onDidAnalyze((p) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === p.uri) void follow(vscode.window.activeTextEditor.document);
    }),
  );
  registerCommands(context, { client: c, tree, panel, model: getModel });
  void vscode.commands.executeCommand('setContext', 'patchlens.activated', true);
  return { client: c, tree, activationMs: performance.now() - t0 };
}

export function deactivate(): Thenable<void> | undefined {
  const c = client;
  client = undefined;
  return c?.ready().then((lc) => lc.stop()).catch(() => undefined);
}
