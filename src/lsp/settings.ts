/**
 * The PatchLens settings, as the client sends them through
 * `workspace/configuration` (section `patchlens`, the names of the VS Code
 * settings: `patchlens.rules.disabled`, ...), turned into the core's
 * ReviewOptions.  Reading a value and testing two paths is all this does.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Severity } from '../core/findings.js';
import type { ReviewOptions } from '../core/review.js';

const SEVERITIES = new Set<Severity>(['error', 'warning', 'info']);
export const DEFAULT_DEBOUNCE_MS = 300;

export interface Settings {
  options: ReviewOptions;
  /** Delay after an edit before the document is analysed again. */
  debounceMs: number;
}

/** A folder is a Linux tree when it has both of these. */
export function isLinuxTree(dir: string): boolean {
  return existsSync(join(dir, 'MAINTAINERS')) && existsSync(join(dir, 'include', 'linux', 'mm.h'));
}

/**
 * A value of the section by its dotted name: nested (`{ rules: { disabled } }`,
 * as VS Code and Neovim send it) or flat (`{ 'rules.disabled': ... }`).
 */
function get(section: unknown, name: string): unknown {
  if (!section || typeof section !== 'object') return undefined;
  const o = section as Record<string, unknown>;
  if (name in o) return o[name];
  let cur: unknown = o;
  for (const part of name.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** `section` is what the client returned for `patchlens`; `folder` the workspace folder path of the document, if any. */
export function readSettings(section: unknown, folder: string | undefined): Settings {
  const resolve = (p: string): string => (isAbsolute(p) || !folder ? p : join(folder, p));
  const options: ReviewOptions = {};
  const tree = get(section, 'kernelTree');
  if (typeof tree === 'string' && tree.trim()) options.kernelTree = resolve(tree.trim());
  else if (folder && isLinuxTree(folder)) options.kernelTree = folder;
  const model = get(section, 'modelFile');
  if (typeof model === 'string' && model.trim()) options.modelFile = resolve(model.trim());
  const disabled = get(section, 'rules.disabled');
  if (Array.isArray(disabled)) options.disabledRules = disabled.filter((x): x is string => typeof x === 'string');
  const sev = get(section, 'rules.severity');
  const severity: Record<string, Severity> = {};
  if (sev && typeof sev === 'object') for (const [rule, s] of Object.entries(sev)) if (SEVERITIES.has(s as Severity)) severity[rule] = s as Severity;
  options.severity = severity;
  const d = get(section, 'analysis.debounceMs');
  const debounceMs = typeof d === 'number' && d >= 0 ? Math.min(d, 5000) : DEFAULT_DEBOUNCE_MS;
  return { options, debounceMs };
}
