/**
 * PatchLens for VS Code: wiring only.  The work is in src/vscode/ (thin
 * adapters) and src/core/ (the analysis).  Activation stays cheap: the core
 * and tree-sitter load when the first patch mail is analysed, not here.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { applyModelJson, defaultModel } from './core/model/index.js';
import type { Model } from './core/model/types.js';
import { AnalysisCache } from './vscode/cache.js';
import { registerCommands, revealLocation } from './vscode/commands.js';
import { DiagnosticsController, LANGUAGE, RuleDocs } from './vscode/diagnostics.js';
import { PatchCodeLensProvider, PatchHoverProvider } from './vscode/providers.js';
import { RULE_SCHEME, RuleDocProvider, renderRulePages } from './vscode/ruleDocs.js';
import { SeriesTreeProvider } from './vscode/seriesTree.js';
import { inputName, reviewOptions } from './vscode/settings.js';
import { SummaryPanel } from './vscode/summaryPanel.js';

export interface PatchLensApi {
  cache: AnalysisCache;
  diagnostics: DiagnosticsController;
  hover: PatchHoverProvider;
  tree: SeriesTreeProvider;
  /** ms spent in activate(). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PatchLensApi {
  const t0 = performance.now();
  const selector: vscode.DocumentSelector = { language: LANGUAGE };
  const cache = new AnalysisCache();
  const tree = new SeriesTreeProvider();

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

  const diagnostics = new DiagnosticsController(cache, new RuleDocs());
  const hover = new PatchHoverProvider(cache, getModel);
  const panel = new SummaryPanel(context.extensionUri, revealLocation);
  context.subscriptions.push(
    cache,
    diagnostics,
    vscode.languages.registerHoverProvider(selector, hover),
    vscode.languages.registerCodeLensProvider(selector, new PatchCodeLensProvider(cache)),
    vscode.window.registerTreeDataProvider('patchlens.series', tree),
    vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, new RuleDocProvider()),
    renderRulePages(),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('patchlens')) return;
      model = undefined;
      cache.clear();
      diagnostics.refreshAll();
    }),
    // The tree follows the active patch mail (until a workspace check replaces it).
    vscode.window.onDidChangeActiveTextEditor((ed) => {
      if (ed?.document.languageId === LANGUAGE) void cache.get(ed.document).then((a) => tree.show(a.analysis));
    }),
    vscode.workspace.onDidCloseTextDocument((d) => tree.closed(inputName(d.uri))),
    cache.onDidAnalyze((a) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === a.uri) tree.show(a.analysis);
    }),
  );
  registerCommands(context, { cache, tree, panel, model: getModel });
  void vscode.commands.executeCommand('setContext', 'patchlens.activated', true);
  return { cache, diagnostics, hover, tree, activationMs: performance.now() - t0 };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
