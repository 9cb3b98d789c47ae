/**
 * Collect Trailers' output file, NAME.am.mbox next to the input.  PatchLens
 * remembers what it wrote (a hash per path, in the workspace state), so it
 * rewrites its own file freely but asks before overwriting any other file,
 * or its own after someone edited it.  It says where it wrote.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

const STATE_KEY = 'patchlens.amWritten';

/** `ask`: a modal question; `never`/`always`: no question (scripts and tests). */
export type Overwrite = 'ask' | 'never' | 'always';

const hash = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** Where the am-ready mbox of `doc` goes. */
export function amPathFor(doc: vscode.TextDocument): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const base = doc.uri.scheme === 'file' ? doc.uri.fsPath : join(folder, basename(doc.uri.path) || 'untitled');
  return join(dirname(base), basename(base).replace(/\.(patch|mbox|mbx|eml|txt)$/i, '') + '.am.mbox');
}

/**
 * Writes `text` to `path` unless the file is someone else's and the user
 * (or `overwrite`) says no.  Returns whether it wrote, and why not.
 */
export async function writeAmFile(state: vscode.Memento, path: string, text: string, overwrite: Overwrite):
  Promise<{ written: boolean; reason?: 'exists' | 'cancelled' }> {
  const uri = vscode.Uri.file(path);
  const ours = state.get<Record<string, string>>(STATE_KEY, {});
  let existing: Uint8Array | null = null;
  try {
    existing = await vscode.workspace.fs.readFile(uri);
  } catch {
    existing = null;
  }
  if (existing && ours[path] !== hash(existing) && overwrite !== 'always') {
    if (overwrite === 'never') return { written: false, reason: 'exists' };
    const why = ours[path] ? 'was changed since PatchLens wrote it' : 'was not written by PatchLens';
    const pick = await vscode.window.showWarningMessage(`${basename(path)} already exists and ${why}. Overwrite it?`,
      { modal: true, detail: path }, 'Overwrite');
    if (pick !== 'Overwrite') return { written: false, reason: 'cancelled' };
  }
  const data = new TextEncoder().encode(text);
  await vscode.workspace.fs.writeFile(uri, data);
  await state.update(STATE_KEY, { ...ours, [path]: hash(data) });
  return { written: true };
}
