/**
 * The documentation a diagnostic's code links to: a read-only Markdown
 * page per rule (`patchlens-rule:/RULE-ID.md`), written from the rule
 * catalogue of src/core/checks (id, default severity, description,
 * sources).  Served by the extension, so the link works offline, and shown
 * rendered: a rule page opened as text is swapped for its Markdown preview.
 */
import * as vscode from 'vscode';
import type { SourceRef } from '../core/findings.js';
import { sourceText } from '../editor/hoverText.js';

export const RULE_SCHEME = 'patchlens-rule';

export function ruleDocUri(rule: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${rule}.md` });
}

interface RuleEntry {
  id: string;
  severity: string;
  description: string;
  source: SourceRef[];
}

export class RuleDocProvider implements vscode.TextDocumentContentProvider {
  private rules: Promise<RuleEntry[]> | undefined;

  private catalogue(): Promise<RuleEntry[]> {
    // The checks load lazily: only when someone opens a rule's page.
    this.rules ??= import('../core/checks/index.js').then((m) => m.RULES.map((r): RuleEntry => ({ id: r.id, severity: r.severity, description: r.description, source: r.source }))).catch(() => []);
    return this.rules;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const rule = (await this.catalogue()).find((r) => r.id === id);
    if (!rule) return `# ${id}\n\nA finding of the PatchLens core (mail, series or trailer collection). No description is catalogued for this rule yet.\n`;
    const src = rule.source.map((s) => {
      const t = sourceText(s);
      return `- ${[...(t.where ? ['`' + t.where + '`'] : []), ...t.rest].join(' — ')}`;
    });
    return [`# ${rule.id}`, '', `Default severity: ${rule.severity}`, '', rule.description, '', ...(src.length ? ['## Sources', '', ...src] : []),
      '', 'Change its severity with `patchlens.rules.severity`, or turn it off with `patchlens.rules.disabled`.', ''].join('\n');
  }
}

/**
 * Diagnostic code links open their target as a text document; a rule page
 * is for reading, so show it rendered (the built-in Markdown preview, which
 * reads the page through RuleDocProvider) and close the raw text.
 */
export function renderRulePages(): vscode.Disposable {
  return vscode.window.onDidChangeActiveTextEditor(async (ed) => {
    const uri = ed?.document.uri;
    if (uri?.scheme !== RULE_SCHEME) return;
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      return; // No Markdown preview in this editor: the text stays.
    }
    const raw = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    if (raw.length) await vscode.window.tabGroups.close(raw);
  });
}
