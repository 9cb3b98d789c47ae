/**
 * The documentation a diagnostic's code links to: a read-only Markdown
 * page per rule (`patchlens-rule:/RULE-ID.md`), written from the rule
 * catalogue of src/core/checks (id, default severity, description,
 * sources).  Served by the extension, so the link works offline.
 */
import * as vscode from 'vscode';
import type { SourceRef } from '../core/findings.js';

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
    const src = rule.source.map((s) => `- \`${s.file}\`${s.kernel ? ` (${s.kernel})` : ''}${s.note ? `: ${s.note}` : ''}`);
    return [`# ${rule.id}`, '', `Default severity: ${rule.severity}`, '', rule.description, '', ...(src.length ? ['## Sources', '', ...src] : []),
      '', 'Change its severity with `patchlens.rules.severity`, or turn it off with `patchlens.rules.disabled`.', ''].join('\n');
  }
}
