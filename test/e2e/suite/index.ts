/**
 * Integration tests inside a real VS Code extension host (code-server's VS
 * Code server, driven by headless Chromium: see scripts/e2e.mjs).  They open
 * the seed mails of test/fixtures/seeds/ and check what a reviewer gets:
 * diagnostics (ranges, codes), hovers, the summary, the tree, the trailers
 * file, the reply draft.  Expected values come from the mails and from the
 * core run on the same text, never from the adapter under test.
 */
import * as vscode from 'vscode';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/editor/analyze.js';
import { defaultModel } from '../../../src/core/model/index.js';
import type { PatchLensApi } from '../../../src/extension.js';
import { keep, log, runAll, test } from './harness.js';
import { benchmarks } from './bench.js';
import { reviewerTests } from './reviewer.js';

const EXT_ID = 'patchlens.patchlens';
const ws = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;

function seed(prefix: string): string {
  const dir = join(ws(), 'seeds');
  const f = readdirSync(dir).find((x) => x.startsWith(prefix));
  assert.ok(f, `seed ${prefix} in ${dir}`);
  return join(dir, f);
}

async function open(file: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

function api(): PatchLensApi {
  const ext = vscode.extensions.getExtension<PatchLensApi>(EXT_ID);
  assert.ok(ext?.isActive, 'extension is active');
  return ext.exports;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the diagnostics of this document version are published. */
async function diagnosticsOf(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  await until(`extension active for ${doc.fileName}`, () => vscode.extensions.getExtension(EXT_ID)?.isActive);
  const a = api();
  // The language server reports each analysed version once VS Code shows its diagnostics.
  await until(`analysis of ${doc.fileName}`, () => a.client.analysisOf(doc));
  return vscode.languages.getDiagnostics(doc.uri);
}

async function hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

/** Position of the first `word` on the first line containing `lineText`. */
function find(doc: vscode.TextDocument, lineText: string, word: string): vscode.Position {
  for (let i = 0; i < doc.lineCount; i++) {
    const t = doc.lineAt(i).text;
    if (t.includes(lineText)) return new vscode.Position(i, t.indexOf(word) + 1);
  }
  throw new Error(`no line with ${lineText}`);
}

const unmd = (s: string): string => s.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information };

test('activation is lazy and does not load tree-sitter', async (t) => {
  const ext = vscode.extensions.getExtension<PatchLensApi>(EXT_ID);
  assert.ok(ext, 'PatchLens is installed');
  assert.equal(ext.isActive, false, 'nothing activated PatchLens before a patch mail was opened');
  const t0 = performance.now();
  await ext.activate();
  const total = performance.now() - t0;
  const loaded = Object.keys(require.cache).filter((k) => /[\\/]tree-sitter(-c)?[\\/]/.test(k));
  assert.deepEqual(loaded, [], 'tree-sitter is not loaded by activation');
  t.data({ activateMs: total, insideActivateMs: ext.exports.activationMs, workspaceTrusted: vscode.workspace.isTrusted });
});

test('patch-mail language: by extension, by first line, by files.associations', async (t) => {
  const corpus = readdirSync(join(ws(), 'real')).filter((f) => f.endsWith('.patch'));
  const byExt = await vscode.workspace.openTextDocument(vscode.Uri.file(join(ws(), 'real', corpus[0])));
  assert.equal(byExt.languageId, 'patch-mail');
  const byFirstLine = await vscode.workspace.openTextDocument(vscode.Uri.file(join(ws(), 'firstline', 'PATCH-no-extension')));
  assert.equal(byFirstLine.languageId, 'patch-mail');
  const seedDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(seed('000')));
  assert.equal(seedDoc.languageId, 'patch-mail');
  const txt = await vscode.workspace.openTextDocument(vscode.Uri.file(join(ws(), 'firstline', 'lore-page.txt')));
  t.data({ loreTxtLanguage: txt.languageId });
});

for (const n of ['000', '001', '002', '003', '004']) {
  test(`seed ${n}: every core finding and problem is a diagnostic at its place, with its rule as code`, async (t) => {
    const doc = await open(seed(n));
    const diags = await diagnosticsOf(doc);
    const core = await analyze([{ file: doc.uri.fsPath, data: doc.getText() }]);
    const findings = core.findings.filter((f) => f.file === doc.uri.fsPath);
    const problems = core.problems.filter((p) => p.file === doc.uri.fsPath);
    assert.equal(diags.length, findings.length + problems.length, 'one diagnostic per finding and problem');
    for (const f of findings) {
      const d = diags.find((x) => x.message === f.message && x.range.start.line === f.line - 1);
      assert.ok(d, `diagnostic for ${f.rule} at line ${f.line}`);
      assert.equal(d.range.start.character, Math.min(f.column - 1, doc.lineAt(f.line - 1).text.length), `${f.rule} column`);
      if (f.endLine !== undefined) assert.equal(d.range.end.line, f.endLine - 1, `${f.rule} end line`);
      if (f.endColumn !== undefined) assert.equal(d.range.end.character, f.endColumn - 1, `${f.rule} end column`);
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      assert.equal(code, f.rule);
      assert.equal(d.severity, SEVERITY[f.severity]);
      assert.equal(d.source, 'PatchLens');
      if (f.path?.length) assert.ok(d.relatedInformation?.length, `${f.rule} has the path as related information`);
    }
    t.data({ diagnostics: diags.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${typeof d.code === 'object' ? d.code.value : d.code}`) });
  });
}

test('seed 003: the stale comment naming a renamed helper is a STALE-COMMENT-IDENT squiggle on the identifier', async () => {
  const doc = await open(seed('003'));
  const diags = await diagnosticsOf(doc);
  const stale = diags.filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'STALE-COMMENT-IDENT');
  assert.ok(stale.length > 0, `STALE-COMMENT-IDENT among ${diags.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)).join(', ') || 'no diagnostics'}`);
  for (const d of stale) {
    const text = doc.getText(d.range);
    assert.match(text, /[A-Za-z_]\w*/, 'the range covers an identifier');
    assert.match(doc.lineAt(d.range.start.line).text, /\/\*|\*|\/\//, 'on a comment line');
  }
});

test('settings: a disabled rule disappears, a severity override applies, both undo', async () => {
  const doc = await open(seed('003'));
  const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
  const before = (await diagnosticsOf(doc)).filter((d) => codeOf(d) === 'STALE-COMMENT-IDENT');
  assert.ok(before.length > 0, 'STALE-COMMENT-IDENT before');
  const cfg = () => vscode.workspace.getConfiguration('patchlens');
  // Settings apply asynchronously: wait for the diagnostics to show what they must.
  const stale = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => codeOf(d) === 'STALE-COMMENT-IDENT');
  try {
    await cfg().update('rules.severity', { 'STALE-COMMENT-IDENT': 'error' }, vscode.ConfigurationTarget.Workspace);
    await until('STALE-COMMENT-IDENT as errors', () => stale().length === before.length && stale().every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    await cfg().update('rules.disabled', ['STALE-COMMENT-IDENT'], vscode.ConfigurationTarget.Workspace);
    await until('STALE-COMMENT-IDENT gone', () => stale().length === 0 && api().client.analysisOf(doc));
  } finally {
    await cfg().update('rules.disabled', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('rules.severity', undefined, vscode.ConfigurationTarget.Workspace);
  }
  await until('STALE-COMMENT-IDENT back as warnings', () => stale().length === before.length && stale().every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
});

test('settings: patchlens.modelFile adds a helper that hovers then describe; restricted mode takes it only from user settings', async () => {
  const file = join(ws(), 'model-overrides.json');
  writeFileSync(file, JSON.stringify({ helpers: [{ name: 'my_lock_vma', kind: 'acquire', acquires: [{ lock: 'vma_lock', mode: 'read', instance: 'return' }],
    success: 'nonnull', source: [{ file: 'mm/my.c', kernel: 'v6.18' }] }] }));
  const doc = await vscode.workspace.openTextDocument({ language: 'patch-mail', content: readFileSync(seed('000'), 'utf8').replace('static inline void vma_flag_set_atomic(', 'static inline void my_lock_vma(') });
  await vscode.window.showTextDocument(doc);
  const cfg = () => vscode.workspace.getConfiguration('patchlens');
  const line = doc.getText().split('\n').findIndex((l) => l.includes('my_lock_vma('));
  assert.ok(line >= 0, 'the test text names my_lock_vma');
  const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('my_lock_vma') + 2);
  try {
    // In an untrusted workspace the model file may come only from the user's settings.
    await cfg().update('modelFile', 'model-overrides.json', vscode.ConfigurationTarget.Workspace);
    await until('analysis', () => api().client.analysisOf(doc));
    if (!vscode.workspace.isTrusted) assert.doesNotMatch(unmd(await hoverText(doc, pos)), /my_lock_vma\(\)/, 'a workspace model file is ignored in restricted mode');
    await cfg().update('modelFile', file, vscode.ConfigurationTarget.Global);
    // The server reads the setting when VS Code tells it the configuration changed: ask until it has.
    let text = '';
    for (let i = 0; i < 100 && !/my_lock_vma\(\)\*\* — acquire/.test(text); i++) {
      text = unmd(await hoverText(doc, pos));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(text, /my_lock_vma\(\)\*\* — acquire/);
    assert.match(text, /acquires: vma_lock \(read, on the returned object\)/);
    assert.ok(text.includes('mm/my.c'), text);
  } finally {
    await cfg().update('modelFile', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('modelFile', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
});

test('a diagnostic code links to the rule page, served offline', async () => {
  const doc = await open(seed('003'));
  const diags = await diagnosticsOf(doc);
  const d = diags.find((x) => typeof x.code === 'object');
  assert.ok(d && typeof d.code === 'object', 'a finding with a code');
  const code = d.code as { value: string | number; target: vscode.Uri };
  assert.equal(code.target.scheme, 'patchlens-rule');
  await vscode.commands.executeCommand('vscode.open', code.target);
  // The page is shown rendered (reviewer.ts checks that); its text comes from the provider.
  const page = await vscode.workspace.openTextDocument(code.target);
  assert.match(page.getText(), new RegExp(`^# ${code.value}\\n`));
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
});

test('hover on vma_flag_set_atomic shows what the model says', async () => {
  const doc = await open(seed('000'));
  await diagnosticsOf(doc);
  const text = unmd(await hoverText(doc, find(doc, 'static inline void vma_flag_set_atomic(', 'vma_flag_set_atomic')));
  const spec = defaultModel().helpers.get('vma_flag_set_atomic');
  assert.ok(spec, 'the model knows vma_flag_set_atomic');
  assert.match(text, /vma_flag_set_atomic\(\)/);
  assert.match(text, new RegExp(spec.kind));
  for (const r of spec.requires ?? []) assert.ok(text.includes(r.lock), `requires ${r.lock}`);
  for (const s of spec.source) assert.ok(text.includes(s.file), `source ${s.file}`);
  const flagText = unmd(await hoverText(doc, find(doc, 'VM_MAYBE_GUARD', 'VM_MAYBE_GUARD')));
  const flag = defaultModel().flags.get('VM_MAYBE_GUARD')!;
  assert.ok(flagText.includes(`bit ${flag.bit} = 0x${(1 << flag.bit).toString(16)}`), flagText);
});

test('hover on a trailer: who gave it, on which version, in which message', async () => {
  const doc = await open(seed('000'));
  await diagnosticsOf(doc);
  const text = unmd(await hoverText(doc, find(doc, 'Reviewed-by: Lance Yang', 'Lance')));
  assert.match(text, /Reviewed-by/);
  assert.match(text, /Lance Yang <lance\.yang@linux\.dev>/);
  assert.match(text, /v4 2\/9/);
  assert.match(text, /reply/);
  const own = unmd(await hoverText(doc, find(doc, 'Reviewed-by: Pedro Falcato', 'Pedro')));
  assert.match(own, /Pedro Falcato/);
  assert.match(own, /in the patch/);
});

test('code lens over the patch subject: version, index, tag counts, findings', async () => {
  const doc = await open(seed('000'));
  await diagnosticsOf(doc);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
  const titles = lenses.map((l) => l.command?.title ?? '');
  const n = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'PatchLens' && typeof d.code === 'object').length;
  assert.ok(titles.some((t) => t.startsWith('v4 2/9 · R-b 3 · A-b 1 · ')), titles.join(' | '));
  assert.ok(titles.some((t) => t.endsWith(n === 1 ? '1 finding' : `${n} findings`)), titles.join(' | '));
});

test('Summarize Series: title, versions, patches present/missing, tags by origin, findings by rule', async () => {
  const doc = await open(seed('000'));
  await diagnosticsOf(doc);
  const r = await vscode.commands.executeCommand<any>('patchlens.summarizeSeries', doc.uri);
  assert.equal(r.series.length, 1);
  const s = r.series[0];
  assert.equal(s.title, 'mm: add atomic VMA flags and set VM_MAYBE_GUARD as such');
  assert.deepEqual(s.versions.map((v: any) => [v.version, v.total]), [[4, 9]]);
  const p2 = s.patches.find((p: any) => p.label === '2/9');
  assert.equal(p2.state, 'present');
  assert.deepEqual(s.patches.filter((p: any) => p.state === 'missing').map((p: any) => p.label), ['1/9', '3\u20139/9']);
  const tag = (who: string, kind: string) => p2.tags.find((t: any) => t.reviewer.includes(who) && t.kind === kind);
  assert.equal(tag('lance.yang', 'Reviewed-by')?.state, 'reply');
  assert.equal(tag('david@kernel.org', 'Acked-by')?.state, 'reply');
  assert.equal(tag('pfalcato', 'Reviewed-by')?.state, 'patch');
  const diags = vscode.languages.getDiagnostics(doc.uri).filter((d) => typeof d.code === 'object' || typeof d.code === 'string');
  const total = r.findingsByRule.reduce((n: number, g: any) => n + g.count, 0);
  assert.equal(total, diags.filter((d) => !/^[a-z-]+$/.test(String(typeof d.code === 'object' ? d.code.value : d.code))).length);
  assert.match(r.html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
  assert.equal((r.html.match(/<script/g) ?? []).length, 1, 'one script, ours');
});

test('Series tree: series -> version -> patch (present and missing)', async () => {
  const doc = await open(seed('000'));
  await diagnosticsOf(doc);
  await vscode.commands.executeCommand('patchlens.summarizeSeries', doc.uri);
  const tree = api().tree.plain();
  const series = tree.find((n) => n.label === 'mm: add atomic VMA flags and set VM_MAYBE_GUARD as such');
  assert.ok(series, JSON.stringify(tree.map((n) => n.label)));
  assert.equal(series.children?.[0].label, 'v4');
  const patches = series.children![0].children!.map((c) => `${c.label}|${c.description ?? ''}`);
  assert.ok(patches.includes('1/9|missing'), patches.join(', '));
  assert.ok(patches.some((p) => p.startsWith('2/9 mm: add atomic VMA flags and set VM_MAYBE_GUARD as such')), patches.join(', '));
});

test('Collect Trailers writes the am-ready mbox next to the input, with the reply tags', async () => {
  const doc = await open(seed('000'));
  await diagnosticsOf(doc);
  const r = await vscode.commands.executeCommand<any>('patchlens.collectTrailers', doc.uri);
  assert.ok(r?.written, 'a file was written');
  assert.equal(r.written, doc.uri.fsPath.replace(/\.txt$/, '.am.mbox'));
  const text = readFileSync(r.written, 'utf8');
  assert.match(text, /^Reviewed-by: Lance Yang <lance\.yang@linux\.dev>$/m);
  assert.match(text, /^Acked-by: David Hildenbrand \(Red Hat\) <david@kernel\.org>$/m);
  assert.match(text, /^Reviewed-by: Pedro Falcato <pfalcato@suse\.de>$/m);
  assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === r.written), 'the mbox is opened');
});

test('Compose Review Reply: threading headers, quoted hunk, finding and note inline, tag from git config', async () => {
  const file = join(ws(), 'threads', 'single.mbox');
  const doc = await open(file);
  await diagnosticsOf(doc);
  let plus = 0;
  while (plus < doc.lineCount && !/^\+(?!\+\+ )/.test(doc.lineAt(plus).text)) plus++;
  const r = await vscode.commands.executeCommand<any>('patchlens.composeReply', doc.uri, {
    line: 3, tag: 'Reviewed-by', notes: [{ line: plus + 1, text: 'This needs a comment.' }],
  });
  const text: string = r.text;
  assert.match(text, /^From: Test Reviewer <reviewer@example\.org>$/m);
  assert.match(text, /^To: Test Test <test@example\.com>$/m);
  assert.match(text, /^Cc: Some List <list-1@lists\.example\.com>,/m);
  assert.match(text, /^Subject: Re: \[PATCH\] Simple test$/m);
  assert.match(text, /^In-Reply-To: <orig-message@example\.com>$/m);
  assert.match(text, /^References: <orig-message@example\.com>$/m);
  const quotedPlus = '> ' + doc.lineAt(plus).text;
  const lines = text.split('\n');
  const at = lines.indexOf(quotedPlus);
  assert.ok(at > 0, `the commented line is quoted: ${quotedPlus}`);
  assert.equal(lines[at + 2], 'This needs a comment.');
  assert.ok(lines.some((l) => l.startsWith('> @@')), 'the hunk header is quoted');
  assert.ok(!lines.some((l) => /^> (Message-Id|Date):/.test(l)), 'mail headers are not quoted');
  assert.match(text, /^Reviewed-by: Test Reviewer <reviewer@example\.org>$/m);
  const draft = vscode.window.activeTextEditor?.document;
  assert.equal(draft?.getText(), text, 'the draft is open in a new editor');
  assert.equal(draft?.isUntitled, true);
});

test('one analysis per document version, shared by diagnostics, hovers and lenses; edits are debounced', async () => {
  const src = readFileSync(seed('000'), 'utf8');
  const doc = await vscode.workspace.openTextDocument({ language: 'patch-mail', content: src });
  const ed = await vscode.window.showTextDocument(doc);
  await diagnosticsOf(doc);
  const a = api();
  const runs0 = (await a.client.stats()).runs;
  await hoverText(doc, find(doc, 'Reviewed-by: Lance Yang', 'Lance'));
  await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
  await hoverText(doc, find(doc, 'vma_flag_set_atomic(', 'vma_flag_set_atomic'));
  assert.equal((await a.client.stats()).runs, runs0, 'no provider re-analysed the same version');
  // Three quick edits: the diagnostics wait for the last one.
  const line = find(doc, 'Reviewed-by: Lance Yang', 'R').line;
  for (let i = 0; i < 3; i++) await ed.edit((e) => e.insert(new vscode.Position(0, 0), 'x'));
  await ed.edit((e) => e.delete(doc.lineAt(line).rangeIncludingLineBreak));
  await until('re-analysis after the edits', () => a.client.analysisOf(doc));
  const runs = (await a.client.stats()).runs - runs0;
  assert.ok(runs <= 4, `analyses: ${runs} for 4 versions`);
  const r = await vscode.commands.executeCommand<any>('patchlens.summarizeSeries', doc.uri);
  const p2 = r.series[0].patches.find((p: any) => p.label === '2/9');
  assert.equal(p2.tags.find((t: any) => t.reviewer.includes('lance.yang')), undefined, 'the deleted tag is gone');
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});

test('Show Lock Model: helpers, flags and order from the model', async () => {
  const r = await vscode.commands.executeCommand<any>('patchlens.showLockModel');
  const m = defaultModel();
  assert.equal(r.helpers, m.helpers.size);
  assert.match(r.text, /## Lock order/);
  assert.ok(r.text.includes('`vma_start_write()`'));
  assert.ok(r.text.includes('`VM_MAYBE_GUARD` | 11 | 0x800'));
});

test('Check Workspace Series groups every patch file of the folder into series', async () => {
  const r = await vscode.commands.executeCommand<any>('patchlens.checkWorkspaceSeries');
  const expected = readdirSync(join(ws(), 'real')).filter((f) => f.endsWith('.patch')).length + 1;
  assert.ok(r.files >= expected, `files: ${r.files}`);
  assert.ok(r.series.some((s: any) => s.title === 'Simple test'), r.series.map((s: any) => s.title).join(' | '));
  assert.ok(r.tree.length === r.series.length);
});

export async function run(): Promise<void> {
  if (process.env.PATCHLENS_E2E_MODE === 'bench') {
    keep((name) => name.startsWith('activation'));
    benchmarks(test, { open, hoverText, find, api, ws, until });
  } else reviewerTests(test, { open, seed, diagnosticsOf, hoverText, api, ws, until });
  log(`PatchLens e2e: VS Code ${vscode.version}, node ${process.version}`);
  const results = await runAll();
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} e2e tests failed`);
}

