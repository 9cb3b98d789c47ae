/**
 * `patchlens lsp --stdio` seen from a plain LSP client over stdio:
 * initialize, didOpen, diagnostics, hover, didChange (diagnostics follow),
 * a malformed message the server survives, shutdown and exit.  Expected
 * values come from the seed mail and from the core run on the same text.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { review } from '../../../src/core/review.js';
import { LspClient, ROOT } from './client.js';

const SEED_003 = join(ROOT, 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt');
const URI = pathToFileURL(SEED_003).href;

test('patchlens lsp --stdio: initialize, diagnostics, hover, edit, malformed input, shutdown', { timeout: 180_000 }, async () => {
  const text = readFileSync(SEED_003, 'utf8');
  const lines = text.split('\n');
  const core = await review([{ file: SEED_003, data: text }]);
  const stale = core.findings.find((f) => f.rule === 'STALE-COMMENT-IDENT');
  assert.ok(stale, 'the core finds STALE-COMMENT-IDENT in seed 003');
  const client = new LspClient();
  try {
    const init = await client.initialize(pathToFileURL(ROOT).href);
    assert.equal(init.capabilities.hoverProvider, true);
    assert.ok(init.capabilities.textDocumentSync, 'text sync');
    assert.ok(init.capabilities.codeActionProvider && init.capabilities.documentSymbolProvider && init.capabilities.codeLensProvider);
    assert.ok(init.capabilities.executeCommandProvider.commands.includes('patchlens.lsp.summarize'));
    const configAsked: string[] = [];
    client.onServerRequest = (method, params) => {
      if (method === 'workspace/configuration') {
        configAsked.push(params.items[0].section);
        return params.items.map(() => ({ rules: { disabled: [] } }));
      }
      return null;
    };

    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'patch-mail', version: 1, text } });
    const v1 = await client.analyzed(URI, 1);
    const diags = v1.diagnostics;
    assert.equal(diags.length, core.findings.length + core.problems.length, 'one diagnostic per finding and problem');
    const d = diags.find((x: any) => x.code === 'STALE-COMMENT-IDENT');
    assert.ok(d, `STALE-COMMENT-IDENT among ${diags.map((x: any) => x.code).join(', ')}`);
    assert.equal(d.range.start.line, 375, 'on line 376');
    assert.equal(d.range.start.line, stale.line - 1);
    // The range covers the identifier the comment names, as the mail spells it.
    const covered = lines[375].slice(d.range.start.character, d.range.end.character);
    assert.equal(covered, '__vma_exit_exclusive_locked()');
    assert.equal(d.source, 'PatchLens');
    assert.equal(d.severity, 2);
    assert.match(d.codeDescription.href, /STALE-COMMENT-IDENT/);
    assert.deepEqual(configAsked.slice(0, 1), ['patchlens'], 'settings come through workspace/configuration');

    const hover = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 375, character: d.range.start.character + 3 } });
    assert.equal(hover.contents.kind, 'markdown');
    // The finding's own words, once the Markdown escapes are read back.
    const shown = hover.contents.value.replace(/\\(.)/g, '$1');
    assert.match(shown, /STALE-COMMENT-IDENT/);
    // The message itself is the diagnostic's (editors show it above the hover): the hover adds where and why.
    assert.ok(!shown.includes('(renamed to __vma_end_exclude_readers() in this series)'), shown);
    assert.match(shown, /In `include\/linux\/mm_types\.h` line \d+/);
    assert.doesNotMatch(shown, /test\/fixtures/, 'no internal path');
    assert.deepEqual(hover.range.start, { line: 375, character: 0 }, 'a finding hover covers its line');

    // A malformed message: a body that is not JSON.  The server says nothing useful, but it must go on.
    const junk = '{"jsonrpc": "2.0", "method": ';
    client.writeRaw(`Content-Length: ${Buffer.byteLength(junk)}\r\n\r\n${junk}`);
    // And a request with a method nobody knows.
    await assert.rejects(client.request('patchlens/noSuchThing', {}), /Unhandled method|not found|unknown/i);

    // The edit: the stale name on line 376 goes; its diagnostic must go too (the core then
    // reports the next line of the same comment that still names it).
    const edited = lines[375].replace('__vma_exit_exclusive_locked()', '__vma_end_exclude_readers()');
    const from = client.notifications.length;
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 375, character: 0 }, end: { line: 375, character: lines[375].length } }, text: edited }],
    });
    const v2 = await client.analyzed(URI, 2, from);
    const staleLines = (ds: any[]) => ds.filter((x: any) => x.code === 'STALE-COMMENT-IDENT').map((x: any) => x.range.start.line + 1);
    assert.ok(!staleLines(v2.diagnostics).includes(376), 'no STALE-COMMENT-IDENT on line 376 after the edit');
    const after = await review([{ file: SEED_003, data: lines.map((l, i) => (i === 375 ? edited : l)).join('\n') }]);
    assert.equal(v2.diagnostics.length, after.findings.length + after.problems.length);
    assert.deepEqual(staleLines(v2.diagnostics), after.findings.filter((f) => f.rule === 'STALE-COMMENT-IDENT').map((f) => f.line));

    // Still alive after the junk: the hover answers for the new text.
    const h2 = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 375, character: 8 } });
    assert.ok(h2 === null || !/STALE-COMMENT-IDENT/.test(h2.contents.value.replace(/\\(.)/g, '$1')));

    const code = await client.shutdown();
    assert.equal(code, 0, `clean exit after shutdown; stderr: ${client.stderr.slice(-500)}`);
  } finally {
    client.kill();
  }
});
