/**
 * What a reviewer gets from the server besides diagnostics, over stdio:
 * quick fixes on findings (with the arguments the VS Code extension's
 * commands take), the outline of a mail, the code lens over a patch, the
 * PatchLens requests and executeCommand for editors without the extension.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { review } from '../../../src/core/review.js';
import { LspClient, ROOT } from './client.js';
// @ts-expect-error: a plain .mjs script without types; benchSeries(lines) returns the series text.
import { benchSeries } from '../../../scripts/e2e.mjs';

const SEED = (n: string) => join(ROOT, 'test/fixtures/seeds', n);
const SEED_000 = SEED('000_dbfa3d816e84323d.txt');
const SEED_003 = SEED('003_6bc468803e1b8b4d.txt');

async function openDoc(c: LspClient, uri: string, text: string): Promise<any[]> {
  const from = c.notifications.length;
  c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'patch-mail', version: 1, text } });
  return (await c.analyzed(uri, 1, from)).diagnostics;
}

/** A patch, a reply whose tag hides the address as archives do, and another mail of the same person that shows it. */
function obfuscatedThread(): string {
  const mail = (from: string, subject: string, id: string, irt: string | null, body: string) => [
    'From mboxrd@z Thu Jan  1 00:00:00 1970', `From: ${from}`, `Subject: ${subject}`, 'Date: Mon, 10 Nov 2025 10:00:00 +0000', `Message-Id: <${id}>`,
    ...(irt ? [`In-Reply-To: <${irt}>`, `References: <${irt}>`] : []), '', body, '',
  ].join('\n');
  const patch = ['mm: make the thing lock the VMA first.', '', 'Signed-off-by: Ann Author <ann@example.org>', '---',
    ' mm/x.c | 2 +-', ' 1 file changed, 1 insertion(+), 1 deletion(-)', '',
    'diff --git a/mm/x.c b/mm/x.c', 'index 1111111..2222222 100644', '--- a/mm/x.c', '+++ b/mm/x.c',
    '@@ -1,3 +1,3 @@', ' int f(void)', '-{ return 0; }', '+{ return 1; }', ' ', '-- ', '2.43.0'].join('\n');
  return mail('Ann Author <ann@example.org>', '[PATCH] mm: thing', 'p1@x', null, patch)
    + mail('Andrew Morton <akpm@...ux-foundation.org>', 'Re: [PATCH] mm: thing', 'r3@x', 'p1@x', 'Acked-by: Andrew Morton <akpm@...ux-foundation.org>')
    + mail('Andrew Morton <akpm@linux-foundation.org>', 'Re: [PATCH] mm: other', 'r4@x', null, 'Unrelated.');
}

test('quick fixes, outline, lens, requests and commands over stdio', { timeout: 180_000 }, async () => {
  const c = new LspClient();
  try {
    const init = await c.initialize(pathToFileURL(ROOT).href);
    const commands: string[] = init.capabilities.executeCommandProvider.commands;
    for (const id of ['patchlens.addToReply', 'patchlens.disableRule', 'patchlens.lsp.collectTrailers', 'patchlens.lsp.composeReply']) assert.ok(commands.includes(id), id);

    // Seed 003: the stale comment gets "add to the reply" and "disable the rule", with the extension's arguments.
    const uri3 = pathToFileURL(SEED_003).href;
    const text3 = readFileSync(SEED_003, 'utf8');
    await openDoc(c, uri3, text3);
    const actions = await c.request('textDocument/codeAction', { textDocument: { uri: uri3 }, range: { start: { line: 375, character: 8 }, end: { line: 375, character: 8 } }, context: { diagnostics: [] } });
    const add = actions.find((a: any) => a.command.command === 'patchlens.addToReply');
    assert.ok(add, JSON.stringify(actions.map((a: any) => a.title)));
    assert.equal(add.kind, 'quickfix');
    assert.deepEqual(Object.keys(add.command.arguments[0]).sort(), ['line', 'message', 'rule', 'uri']);
    assert.equal(add.command.arguments[0].line, 375);
    assert.equal(add.command.arguments[0].rule, 'STALE-COMMENT-IDENT');
    assert.equal(add.command.arguments[0].uri, uri3);
    const disable = actions.find((a: any) => a.command.command === 'patchlens.disableRule');
    assert.deepEqual(disable.command.arguments, ['STALE-COMMENT-IDENT']);
    assert.equal(actions.some((a: any) => a.command.command === 'patchlens.useRecoveredAddress'), false, 'no recovered address on a lock finding');
    // A line with nothing on it: no fixes.
    const none = await c.request('textDocument/codeAction', { textDocument: { uri: uri3 }, range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, context: { diagnostics: [] } });
    assert.deepEqual(none, []);
    // executeCommand for editors without the extension: the quoted line and the finding, as text.
    const pasted = await c.request('workspace/executeCommand', { command: 'patchlens.addToReply', arguments: add.command.arguments });
    assert.ok(pasted.text.startsWith('> ' + text3.split('\n')[375]), pasted.text);
    assert.match(pasted.text, /STALE-COMMENT-IDENT: The comment names __vma_exit_exclusive_locked\(\)/);

    // Outline of seed 003 (a reply carrying a diff): the message, its file, hunks naming their functions.
    const symbols = await c.request('textDocument/documentSymbol', { textDocument: { uri: uri3 } });
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'Re: [PATCH v4 00/10] mm: add and use vma_assert_stabilised() helper');
    const files = symbols[0].children.map((s: any) => s.name);
    assert.ok(files.includes('include/linux/mmap_lock.h'), files.join(', '));
    const hunks = symbols[0].children.flatMap((f: any) => f.children.map((h: any) => h.name));
    assert.ok(hunks.some((h: string) => h.startsWith('@@ ') && h.includes('vma_start_write')), hunks.join(' | '));
    for (const f of symbols[0].children) for (const h of f.children) {
      // A hunk symbol starts on its @@ line.
      assert.match(text3.split('\n')[h.selectionRange.start.line], /^@@ -\d+/);
    }

    // Seed 000: a patch with tags; the lens over its subject, the outline names the patch, the requests.
    const uri0 = pathToFileURL(SEED_000).href;
    const text0 = readFileSync(SEED_000, 'utf8');
    await openDoc(c, uri0, text0);
    const lenses = await c.request('textDocument/codeLens', { textDocument: { uri: uri0 } });
    assert.deepEqual(lenses.map((l: any) => l.command.title), ['v4 2/9 · R-b 3 · A-b 1 · 0 findings']);
    assert.match(text0.split("\n")[lenses[0].range.start.line], /^(Subject: )?.*\[PATCH v4 2\/9\]/, "over the subject line");
    const outline0 = await c.request('textDocument/documentSymbol', { textDocument: { uri: uri0 } });
    assert.equal(outline0[0].name, 'v4 2/9 mm: add atomic VMA flags and set VM_MAYBE_GUARD as such');
    assert.deepEqual(outline0[0].children.map((s: any) => s.name), ['include/linux/mm.h']);
    const series = await c.request('patchlens/series', { uri: uri0 });
    assert.equal(series.series[0].title, 'mm: add atomic VMA flags and set VM_MAYBE_GUARD as such');
    assert.deepEqual(series.series[0].versions[0].missing.map((m: any) => m.index), [1, 3, 4, 5, 6, 7, 8, 9]);
    const summary = await c.request('patchlens/summary', { uri: uri0 });
    const p2 = summary.summary.series[0].patches.find((p: any) => p.label === '2/9');
    assert.ok(p2.tags.some(([who]: [string]) => who.includes('lance.yang')), 'the tag matrix travels as entries');
    const am = await c.request('workspace/executeCommand', { command: 'patchlens.lsp.collectTrailers', arguments: [uri0] });
    assert.match(am.text, /^Reviewed-by: Lance Yang <lance\.yang@linux\.dev>$/m);
    const reply = await c.request('workspace/executeCommand', { command: 'patchlens.lsp.composeReply', arguments: [uri0, { line: 10, tag: 'Reviewed-by', identity: { name: 'Rev Iewer', email: 'rev@example.org' } }] });
    assert.match(reply.text, /^Subject: Re: \[PATCH v4 2\/9\]/m);
    assert.match(reply.text, /^Reviewed-by: Rev Iewer <rev@example\.org>$/m);

    // An obfuscated tag whose address another mail shows: "Use the recovered address".
    const uriT = pathToFileURL(join(ROOT, '.lsp-test/obfuscated.mbox')).href;
    const thread = obfuscatedThread();
    const core = await review([{ file: join(ROOT, '.lsp-test/obfuscated.mbox'), data: thread }]);
    const obf = core.findings.find((f) => f.rule === 'TAG-OBFUSCATED');
    assert.ok(obf, `the core finds TAG-OBFUSCATED: ${core.findings.map((f) => f.rule).join(', ')}`);
    const diags = await openDoc(c, uriT, thread);
    assert.ok(diags.some((d: any) => d.code === 'TAG-OBFUSCATED' && d.range.start.line === obf.line - 1));
    const fixes = await c.request('textDocument/codeAction', { textDocument: { uri: uriT }, range: { start: { line: obf.line - 1, character: 0 }, end: { line: obf.line - 1, character: 0 } }, context: { diagnostics: [] } });
    const use = fixes.find((a: any) => a.command.command === 'patchlens.useRecoveredAddress');
    assert.ok(use, JSON.stringify(fixes.map((a: any) => a.title)));
    assert.deepEqual(use.command.arguments, [{ uri: uriT, line: obf.line - 1, recovered: 'akpm@linux-foundation.org' }]);

    assert.equal(await c.shutdown(), 0);
  } finally {
    c.kill();
  }
});

test('the first open of a series publishes diagnostics per patch as each is parsed, then the whole version\'s', { timeout: 180_000 }, async () => {
  const c = new LspClient();
  try {
    c.onServerRequest = (method, params) => (method === 'workspace/configuration' ? params.items.map(() => ({ analysis: { debounceMs: 0 } })) : null);
    await c.initialize(pathToFileURL(ROOT).href);
    const text: string = benchSeries(4_000);
    const uri = pathToFileURL(join(ROOT, '.lsp-test', 'series.mbox')).href;
    const from = c.notifications.length;
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'patch-mail', version: 1, text } });
    const { diagnostics } = await c.analyzed(uri, 1, from);
    const published = c.notifications.slice(from).filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    // Trailers first, then patches as they come, then the version: several publications, growing.
    assert.ok(published.length >= 3, `publications: ${published.length}`);
    const counts = published.map((m) => m.params.diagnostics.length);
    assert.ok(counts[0]! < counts[counts.length - 1]!, `counts ${counts.join(',')}`);
    const lock = (m: any) => m.params.diagnostics.some((d: any) => /^(LOCK-|STALE-|VMA-|FLAG-)/.test(String(d.code)));
    const firstLock = published.findIndex(lock);
    assert.ok(firstLock >= 0 && firstLock < published.length - 1, `a check's finding is published before the last publication (${firstLock} of ${published.length})`);
    assert.deepEqual(published[published.length - 1]!.params.diagnostics, diagnostics);

    // An edit publishes once, at the end: the findings of untouched patches never blink out.
    const at = text.split('\n').findIndex((l) => /^\+\s+\S.*;$/.test(l));
    const from2 = c.notifications.length;
    c.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: at, character: 1 }, end: { line: at, character: 1 } }, text: ' ' }] });
    await c.analyzed(uri, 2, from2);
    const published2 = c.notifications.slice(from2).filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    assert.equal(published2.length, 1);
  } finally {
    await c.shutdown().catch(() => c.kill());
  }
});
