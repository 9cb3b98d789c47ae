/**
 * Issue 12 in the real extension host: what a reviewer sees of the grammar,
 * the hovers, the reply draft, the quick-fix commands, Collect Trailers and
 * the series view.  Registered after the suite of index.ts (the workspace
 * check here changes what the series view holds for the rest of the run).
 */
import * as vscode from 'vscode';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PatchLensApi } from '../../../src/extension.js';

type TestFn = (name: string, fn: (t: { data(d: unknown): void }) => Promise<void>) => void;

export interface Helpers {
  open(file: string): Promise<vscode.TextDocument>;
  seed(prefix: string): string;
  diagnosticsOf(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]>;
  hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string>;
  api(): PatchLensApi;
  ws(): string;
  until<T>(what: string, fn: () => T | undefined | false, ms?: number): Promise<T>;
}

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);
const unmd = (s: string): string => s.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` with HOME and XDG_CONFIG_HOME in an empty folder: no git identity anywhere. */
async function withoutGitIdentity<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
  const empty = mkdtempSync(join(tmpdir(), 'no-git-identity-'));
  process.env.HOME = empty;
  process.env.XDG_CONFIG_HOME = join(empty, '.config');
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export function reviewerTests(test: TestFn, h: Helpers): void {
  test('grammar: a TextMate tokenizer is registered for patch mail and for reply drafts', async (t) => {
    const doc = await h.open(h.seed('003'));
    // The workbench's own command: it throws "Cannot resolve tokenizer" when no grammar is bound to the language.
    const r = await vscode.commands.executeCommand<{ tokenizeTime: number }>('_workbench.colorizeTextMateTokens', doc.uri);
    assert.equal(typeof r?.tokenizeTime, 'number');
    const file = join(h.ws(), 'draft-reply.txt');
    writeFileSync(file, '> +\tint x;\n\nReviewed-by: A <a@example.org>\n');
    const draft = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(vscode.Uri.file(file)), 'patch-mail-reply');
    await vscode.window.showTextDocument(draft);
    const d = await vscode.commands.executeCommand<{ tokenizeTime: number }>('_workbench.colorizeTextMateTokens', draft.uri);
    assert.equal(typeof d?.tokenizeTime, 'number');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    t.data({ seed003TokenizeMs: r.tokenizeTime });
  });

  test('hovers on findings: no message said twice, no internal path in rule sources', async (t) => {
    const seen: string[] = [];
    for (const n of ['001', '003']) {
      const doc = await h.open(h.seed(n));
      const diags = (await h.diagnosticsOf(doc)).filter((d) => d.source === 'PatchLens' && typeof d.code === 'object');
      assert.ok(diags.length, `findings in seed ${n}`);
      for (const d of diags) {
        const text = unmd(await h.hoverText(doc, d.range.start));
        assert.ok(text.includes(codeOf(d)), `the hover names ${codeOf(d)}`);
        assert.ok(!text.includes(d.message), `seed ${n}: the hover repeats the diagnostic's message:\n${text}`);
        assert.doesNotMatch(text, /test\/fixtures|seeds\/|\.txt\b|\.e2e|node_modules/, `seed ${n}: internal path in\n${text}`);
        assert.ok(!text.includes(h.ws()), `seed ${n}: workspace path in\n${text}`);
        seen.push(`${n}:${d.range.start.line + 1} ${codeOf(d)}`);
      }
    }
    t.data({ hovers: seen });
  });

  test('Compose Review Reply without a git identity keeps the tag: from the setting, else a placeholder; the draft is not analysed', async (t) => {
    const doc = await h.open(join(h.ws(), 'threads', 'single.mbox'));
    await h.diagnosticsOf(doc);
    const cfg = () => vscode.workspace.getConfiguration('patchlens');
    const r = await withoutGitIdentity(async () => {
      try {
        await cfg().update('reply.identity', 'Jane Doe <jane@example.org>', vscode.ConfigurationTarget.Global);
        const withSetting = await vscode.commands.executeCommand<any>('patchlens.composeReply', doc.uri, { line: 3, tag: 'Reviewed-by' });
        await cfg().update('reply.identity', undefined, vscode.ConfigurationTarget.Global);
        const bare = await vscode.commands.executeCommand<any>('patchlens.composeReply', doc.uri, { line: 3, tag: 'Acked-by' });
        return { withSetting, bare };
      } finally {
        await cfg().update('reply.identity', undefined, vscode.ConfigurationTarget.Global);
      }
    });
    assert.match(r.withSetting.text, /^From: Jane Doe <jane@example\.org>$/m);
    assert.match(r.withSetting.text, /^Reviewed-by: Jane Doe <jane@example\.org>$/m);
    assert.match(r.bare.text, /^Acked-by: Your Name <you@example\.org>$/m, 'the chosen tag stays, to be filled in');
    assert.equal(r.bare.identity, null);
    const draft = vscode.window.activeTextEditor!.document;
    assert.equal(draft.getText(), r.bare.text);
    assert.equal(draft.languageId, 'patch-mail-reply');
    // Give the extension time to (wrongly) analyse it.
    await sleep(800);
    assert.deepEqual(vscode.languages.getDiagnostics(draft.uri), []);
    t.data({ bareTagLine: r.bare.text.split('\n').find((l: string) => l.startsWith('Acked-by')) });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('quick fix commands: Add to review reply creates then extends one draft; Disable rule turns the rule off', async () => {
    const doc = await h.open(h.seed('003'));
    const diags = (await h.diagnosticsOf(doc)).filter((d) => codeOf(d) === 'STALE-COMMENT-IDENT');
    assert.ok(diags.length, 'STALE-COMMENT-IDENT in seed 003');
    const d = diags[0];
    const args = { uri: doc.uri.toString(), line: d.range.start.line, rule: codeOf(d), message: d.message };
    const first = await vscode.commands.executeCommand<any>('patchlens.addToReply', args);
    assert.equal(first.appended, false);
    assert.equal(first.language, 'patch-mail-reply');
    const quoted = '> ' + doc.lineAt(d.range.start.line).text;
    assert.ok(first.text.split('\n').includes(quoted), `the finding's line is quoted: ${quoted}`);
    assert.ok(first.text.includes('[STALE-COMMENT-IDENT]'));
    const draft = vscode.window.activeTextEditor!.document;
    const second = await vscode.commands.executeCommand<any>('patchlens.addToReply', { ...args, line: Math.max(0, d.range.start.line - 2), message: 'Is this still right?' });
    assert.equal(second.appended, true);
    assert.equal(vscode.window.activeTextEditor!.document, draft, 'the same draft');
    assert.ok(draft.getText().startsWith(first.text.trimEnd()) && draft.getText().includes('Is this still right? [STALE-COMMENT-IDENT]'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const cfg = () => vscode.workspace.getConfiguration('patchlens');
    try {
      const r = await vscode.commands.executeCommand<any>('patchlens.disableRule', 'STALE-COMMENT-IDENT');
      assert.ok(r.disabled.includes('STALE-COMMENT-IDENT'));
      assert.deepEqual(cfg().inspect('rules.disabled')?.workspaceValue, ['STALE-COMMENT-IDENT']);
      await h.until('STALE-COMMENT-IDENT gone', () => !vscode.languages.getDiagnostics(doc.uri).some((x) => codeOf(x) === 'STALE-COMMENT-IDENT'));
    } finally {
      await cfg().update('rules.disabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Collect Trailers leaves a file it did not write alone, rewrites its own; Use the recovered address adds the tag', async () => {
    const src = readFileSync(join(h.ws(), 'threads', 'single.mbox'), 'utf8');
    const tagLine = 'Tested-by: Followup Reviewer2 <followup-reviewer2@example.com>';
    const lines = src.split('\n');
    const at = lines.indexOf(tagLine);
    assert.ok(at > 0);
    lines[at] = 'Tested-by: Followup Reviewer2 <[email\u00a0protected]>';
    const file = join(h.ws(), 'threads', 'obfuscated.mbox');
    writeFileSync(file, lines.join('\n'));
    const out = join(h.ws(), 'threads', 'obfuscated.am.mbox');
    writeFileSync(out, 'my own notes\n');
    const doc = await h.open(file);
    const diags = await h.diagnosticsOf(doc);
    assert.ok(diags.some((d) => codeOf(d) === 'TAG-OBFUSCATED' && d.range.start.line === at), diags.map(codeOf).join(', '));
    const kept = await vscode.commands.executeCommand<any>('patchlens.collectTrailers', doc.uri, { overwrite: 'never' });
    assert.equal(kept.written, null);
    assert.equal(kept.reason, 'exists');
    assert.equal(readFileSync(out, 'utf8'), 'my own notes\n', 'the foreign file is untouched');
    const forced = await vscode.commands.executeCommand<any>('patchlens.collectTrailers', doc.uri, { overwrite: 'always' });
    assert.equal(forced.written, out);
    assert.doesNotMatch(readFileSync(out, 'utf8'), /^Tested-by: Followup Reviewer2/m, 'an obfuscated tag is not applied by default');
    // Now the file is PatchLens's own: rewritten without a question.
    const r = await vscode.commands.executeCommand<any>('patchlens.useRecoveredAddress', { uri: doc.uri.toString(), line: at, recovered: 'followup-reviewer2@example.com' }, { overwrite: 'never' });
    assert.equal(r.written, out);
    assert.ok(readFileSync(out, 'utf8').split('\n').includes(tagLine), 'the tag with the recovered address is in the am-ready mbox');
  });

  test('a rule link opens the rule page rendered, not as Markdown source', async () => {
    const doc = await h.open(h.seed('003'));
    const d = (await h.diagnosticsOf(doc)).find((x) => typeof x.code === 'object');
    assert.ok(d && typeof d.code === 'object');
    const target = (d.code as { target: vscode.Uri }).target;
    await vscode.commands.executeCommand('vscode.open', target);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const preview = await h.until('a Markdown preview of the rule page', () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType)
      && t.label.includes(codeOf(d))));
    await h.until('the Markdown source closed', () => !tabs().some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === target.scheme));
    await vscode.window.tabGroups.close(preview);
  });

  test('Patch Series view: a cover letter without a subject shows as (no subject), not a blank row', async () => {
    const patch = readFileSync(join(h.ws(), 'threads', 'single.mbox'), 'utf8').split('\n\n\nFrom ')[0]
      .replace(/^Subject: \[PATCH\] /m, 'Subject: [PATCH 1/1] ').replace(/^(Message-I[dD]: .*)$/m, '$1\nIn-Reply-To: <blank-cover@example.org>');
    const cover = ['From foo@z Thu Jan  1 00:00:00 1970', 'From: Test Test <test@example.com>', 'Subject: [PATCH 0/1] ',
      'Date: Thu, 1 Jan 1970 00:00:00 +0000', 'Message-Id: <blank-cover@example.org>', '', 'A cover letter whose subject was left empty.', '', ''].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'patch-mail', content: cover + patch });
    await vscode.window.showTextDocument(doc);
    await h.diagnosticsOf(doc);
    await vscode.commands.executeCommand('patchlens.summarizeSeries', doc.uri);
    const walk = (ns: { label: string; children?: unknown[] }[]): string[] => ns.flatMap((n) => [n.label, ...walk((n.children ?? []) as { label: string }[])]);
    const labels = walk(h.api().tree.plain());
    assert.ok(labels.length > 1, labels.join(' | '));
    assert.ok(labels.every((l) => l.trim() !== ''), `no blank row: ${labels.join(' | ')}`);
    assert.ok(labels.some((l) => l.endsWith('(no subject)')), labels.join(' | '));
    assert.ok(labels.some((l) => l.includes('1/1 Simple test')), labels.join(' | '));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // Closed, the document leaves the view (which then follows the next active patch mail, if any).
    await h.until('the closed document leaves the Patch Series view', () => !walk(h.api().tree.plain()).some((l) => l.endsWith('(no subject)')), 10_000);
  });

  test('Patch Series view: a workspace check stays across editor switches; reply drafts never join it', async (t) => {
    const r = await vscode.commands.executeCommand<any>('patchlens.checkWorkspaceSeries');
    const labels = (): string[] => h.api().tree.plain().map((n) => n.label);
    const after = labels();
    assert.equal(after.length, r.series.length);
    assert.ok(after.length > 1, `several series: ${after.join(' | ')}`);
    for (const n of ['000', '003', '000']) {
      const doc = await h.open(h.seed(n));
      await h.diagnosticsOf(doc);
      await sleep(100);
      assert.deepEqual(labels(), after, `after switching to seed ${n}`);
    }
    const single = await h.open(join(h.ws(), 'threads', 'single.mbox'));
    await h.diagnosticsOf(single);
    await vscode.commands.executeCommand('patchlens.composeReply', single.uri, { line: 3, tag: null });
    await sleep(500);
    assert.deepEqual(labels(), after, 'after a reply draft opened');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.deepEqual(labels(), after, 'after the draft closed');
    assert.ok(!existsSync(join(h.ws(), 'Untitled-1')));
    t.data({ series: after.length });
  });
}
