/**
 * The PatchLens settings the extension itself reads (the lock model page
 * follows patchlens.modelFile); the language server reads its own through
 * workspace/configuration (src/lsp/settings.ts).  Reading a setting or
 * testing two paths is all this does: safe in an untrusted workspace.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Severity } from '../core/findings.js';
import type { ReviewOptions } from '../core/review.js';

const SEVERITIES = new Set<Severity>(['error', 'warning', 'info']);

/** A folder is a Linux tree when it has both of these. */
export function isLinuxTree(dir: string): boolean {
  return existsSync(join(dir, 'MAINTAINERS')) && existsSync(join(dir, 'include', 'linux', 'mm.h'));
}

export function reviewOptions(folder: vscode.WorkspaceFolder | undefined): ReviewOptions {
  const cfg = vscode.workspace.getConfiguration('patchlens', folder?.uri);
  const base = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  const resolve = (p: string): string => (isAbsolute(p) || !base ? p : join(base, p));
  const options: ReviewOptions = {};
  const tree = cfg.get<string>('kernelTree', '').trim();
  if (tree) options.kernelTree = resolve(tree);
  else if (base && isLinuxTree(base)) options.kernelTree = base;
  const model = cfg.get<string>('modelFile', '').trim();
  if (model) options.modelFile = resolve(model);
  const disabled = cfg.get<unknown>('rules.disabled', []);
  if (Array.isArray(disabled)) options.disabledRules = disabled.filter((x): x is string => typeof x === 'string');
  const sev = cfg.get<Record<string, unknown>>('rules.severity', {});
  const severity: Record<string, Severity> = {};
  for (const [rule, s] of Object.entries(sev ?? {})) if (SEVERITIES.has(s as Severity)) severity[rule] = s as Severity;
  options.severity = severity;
  return options;
}

/** The name a document goes by in findings: its path, or its URI when it has none. */
export function inputName(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}
