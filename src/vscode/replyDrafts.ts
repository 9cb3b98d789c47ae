/**
 * Review reply drafts in the editor: one untitled draft per patch mail,
 * in the `patch-mail-reply` language (coloured like patch mail, never
 * analysed: a reviewer's own draft must not raise problems), and who the
 * reviewer is for the tag line.
 */
import * as vscode from 'vscode';
import { gitIdentity } from './identity.js';
import { parseIdentity } from '../editor/reply.js';

export const REPLY_LANGUAGE = 'patch-mail-reply';

export type Identity = { name: string; email: string };

/** The open drafts, by draftKey (the Message-ID they answer); a closed draft leaves. */
export class ReplyDrafts implements vscode.Disposable {
  private readonly drafts = new Map<string, vscode.TextDocument>();
  private readonly sub = vscode.workspace.onDidCloseTextDocument((d) => {
    for (const [k, v] of this.drafts) if (v === d) this.drafts.delete(k);
  });

  get(key: string): vscode.TextDocument | undefined {
    const d = this.drafts.get(key);
    return d && !d.isClosed ? d : undefined;
  }

  /** Opens `text` as the draft for `key`, or replaces the open draft's text. */
  async show(key: string, text: string): Promise<vscode.TextDocument> {
    const open = this.get(key);
    if (open) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(open.uri, new vscode.Range(0, 0, open.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
      await vscode.window.showTextDocument(open, { viewColumn: vscode.ViewColumn.Beside, preview: false });
      return open;
    }
    const draft = await vscode.workspace.openTextDocument({ language: REPLY_LANGUAGE, content: text });
    this.drafts.set(key, draft);
    await vscode.window.showTextDocument(draft, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return draft;
  }

  dispose(): void {
    this.sub.dispose();
    this.drafts.clear();
  }
}

/**
 * The reviewer's name and address for a tag: the `patchlens.reply.identity`
 * setting, else git's user.name/user.email, else (when `ask`) asked once and
 * kept in the user's settings.  Null when none is known.
 */
export async function reviewerIdentity(doc: vscode.TextDocument, ask: boolean): Promise<Identity | null> {
  const cfg = vscode.workspace.getConfiguration('patchlens');
  const fromSetting = parseIdentity(cfg.get<string>('reply.identity', '') ?? '');
  if (fromSetting) return fromSetting;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
  const git = await gitIdentity(folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined);
  if (git || !ask) return git;
  const answer = await vscode.window.showInputBox({
    title: 'PatchLens: your name and address for the tag',
    prompt: 'git config has no user.name / user.email. The answer is kept in the setting patchlens.reply.identity.',
    placeHolder: 'Jane Doe <jane@example.org>',
    ignoreFocusOut: true,
    validateInput: (v) => (parseIdentity(v) ? null : 'Write it as: Name <address>'),
  });
  const id = answer ? parseIdentity(answer) : null;
  if (id && answer) await cfg.update('reply.identity', answer.trim(), vscode.ConfigurationTarget.Global);
  return id;
}
