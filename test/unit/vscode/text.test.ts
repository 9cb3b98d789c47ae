/** Hover, code lens, lock model and reply texts, on seeds and corpus mail. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { analyze, filterFindings } from '../../../src/editor/analyze.js';
import { DocumentIndex } from '../../../src/editor/locate.js';
import { codeLensTitle, findingHover, flagHover, helperHover, md, sourceLine, trailerHover } from '../../../src/editor/hoverText.js';
import { lockModelMarkdown } from '../../../src/vscode/lockModelText.js';
import { composeReply, parseGitIdentity } from '../../../src/editor/reply.js';
import { defaultModel } from '../../../src/core/model/index.js';
import type { Finding } from '../../../src/core/findings.js';

const SEED_000 = 'test/fixtures/seeds/000_dbfa3d816e84323d.txt';
const unmd = (s: string): string => s.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

test('md escapes Markdown and HTML from mail', () => {
  const s = md('<img src=x onerror=alert(1)> [x](javascript:alert(1)) **b**');
  assert.doesNotMatch(s, /<img|\]\(|\*\*/);
  assert.equal(unmd(s), '<img src=x onerror=alert(1)> [x](javascript:alert(1)) **b**');
});

test('seed 000: code lens reads v4 2/9 with 3 R-b and 1 A-b; trailer hovers name giver, version, message', async () => {
  const a = await analyze([{ file: SEED_000, data: readFileSync(SEED_000) }]);
  const idx = new DocumentIndex(a, SEED_000);
  assert.equal(idx.patches.length, 1);
  const at = idx.patches[0];
  assert.equal(codeLensTitle(at, a.trailersOf(at.patch), 2), 'v4 2/9 · R-b 3 · A-b 1 · 2 findings');
  const lines = readFileSync(SEED_000, 'utf8').split('\n');
  const lance = lines.findIndex((l) => l.startsWith('Reviewed-by: Lance Yang')) + 1;
  const tags = idx.trailersByLine.get(lance) ?? [];
  assert.equal(tags.length, 1, `one tag at line ${lance}`);
  const h = unmd(trailerHover(tags[0]));
  assert.match(h, /Reviewed-by\*\* from Lance Yang <lance\.yang@linux\.dev>/);
  assert.match(h, /given on v4 2\/9/);
  assert.match(h, /given in a reply/);
  const msg = idx.messageAt(lance)!;
  assert.ok(msg.startLine <= lance && lance <= msg.endLine);
  assert.notEqual(msg, idx.messageAt(1), 'the reply is another message than the patch');
});

test('helper and flag hovers say what the model says, with sources', () => {
  const m = defaultModel();
  const h = unmd(helperHover(m.helpers.get('vma_flag_set_atomic')!, m));
  assert.match(h, /vma_flag_set_atomic\(\)\*\* — flag-atomic/);
  assert.match(h, /requires: .*mmap_lock/);
  assert.match(h, /order: mmap_lock: /);
  for (const s of m.helpers.get('vma_flag_set_atomic')!.source) assert.ok(h.includes(s.file));
  const f = unmd(flagHover(m.flags.get('VM_MAYBE_GUARD')!));
  assert.match(f, /VM_MAYBE_GUARD\*\* — VMA flag, bit 11 = 0x800/);
  assert.match(f, /smaps: `gu`/);
  const w = unmd(helperHover(m.helpers.get('vma_start_write')!, m));
  assert.match(w, /acquires: vma_lock \(write/);
});

test('finding hover: rule, why, path', () => {
  const f: Finding = {
    file: 'x', line: 10, column: 3, rule: 'LOCK-REQUIRES', severity: 'warning', message: 'vm_flags_set() needs the VMA write lock.',
    path: [{ file: 'x', line: 4, column: 2, what: 'acquires mmap_lock (read)' }], uncertain: 'the function start is outside the hunk',
  };
  const h = unmd(findingHover(f));
  assert.match(h, /^\*\*LOCK-REQUIRES\*\* \(warning\)\n/);
  // The editor shows the diagnostic's message above the hover: it is not said twice.
  assert.ok(!h.includes(f.message), h);
  assert.match(h, /1\. line 4: acquires mmap_lock \(read\)/);
  assert.match(h, /Uncertain: the function start is outside the hunk/);
});

test('finding hover on the seeds: no message twice, no PatchLens-internal path in rule sources', async () => {
  for (const file of ['test/fixtures/seeds/001_872d036f281e0629.txt', 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt']) {
    const a = await analyze([{ file, data: readFileSync(file) }]);
    const stale = a.findings.filter((x) => x.rule === 'STALE-COMMENT-IDENT');
    assert.ok(stale.length, `${file}: a STALE-COMMENT-IDENT finding`);
    for (const f of a.findings) {
      const h = unmd(findingHover(f));
      assert.ok(!h.includes(f.message), `${f.rule}: message repeated`);
      assert.doesNotMatch(h, /test\/fixtures|seeds\/|\.txt\b|\/work\//, `${f.rule}: internal path in ${h}`);
      if (f.sources?.length) assert.match(h, /Rule source: \S/);
    }
    // What the rule cites survives: the review it came from.
    assert.match(unmd(findingHover(stale[0])), /Vlastimil Babka/);
  }
});

test('sources read as a kernel person follows them: kernel file and version, fact-sheet section', () => {
  assert.equal(unmd(sourceLine({ file: 'include/linux/mm.h', kernel: 'v6.6', note: 'commit 60081bf19b0e' })), '`include/linux/mm.h` — v6.6 — commit 60081bf19b0e');
  assert.equal(unmd(sourceLine({ file: 'docs/vma-locking-facts.md', note: 'section 3.6' })), 'PatchLens VMA locking fact sheet — section 3.6');
  assert.equal(unmd(sourceLine({ file: 'test/fixtures/seeds/001_872d036f281e0629.txt', note: 'review nit' })), 'review nit');
});

test('settings: disabled rules go, severities change', () => {
  const fs: Finding[] = [
    { file: 'x', line: 1, column: 1, rule: 'A', severity: 'warning', message: 'a' },
    { file: 'x', line: 2, column: 1, rule: 'B', severity: 'warning', message: 'b' },
  ];
  const out = filterFindings(fs, { disabledRules: ['A'], severity: { B: 'error' } });
  assert.deepEqual(out.map((f) => `${f.rule}:${f.severity}`), ['B:error']);
});

test('the lock model view lists every helper and flag', () => {
  const m = defaultModel();
  const text = lockModelMarkdown(m);
  for (const name of m.helpers.keys()) assert.ok(text.includes('`' + name + '()`'), name);
  for (const name of m.flags.keys()) assert.ok(text.includes('`' + name + '`'), name);
  assert.match(text, /- mmap_lock → vma_lock: /);
});

test('reply to a format-patch mail: threading, To/Cc, quoted hunk with the note under its line, tag', async () => {
  const file = 'test/fixtures/corpus/threads/b4-trailers-followup-single.mbox';
  const text = readFileSync(file, 'utf8');
  const a = await analyze([{ file, data: text }]);
  const lines = text.split('\n');
  const m = a.reads[0].messages[0];
  const plus = lines.findIndex((l) => /^\+(?!\+\+ )/.test(l)) + 1;
  const out = composeReply({ message: m, lines, findings: [], notes: [{ line: plus, text: 'Why junk2?' }], tag: 'Acked-by', identity: { name: 'R. Viewer', email: 'r@example.org' } });
  const o = out.split('\n');
  assert.equal(o[0], 'From: "R. Viewer" <r@example.org>');
  assert.ok(o.includes('To: Test Test <test@example.com>'));
  assert.ok(o.includes('Subject: Re: [PATCH] Simple test'));
  assert.ok(o.includes('In-Reply-To: <orig-message@example.com>'));
  const q = o.indexOf('> ' + lines[plus - 1]);
  assert.ok(q > 0);
  assert.equal(o[q + 1], '');
  assert.equal(o[q + 2], 'Why junk2?');
  assert.ok(o.some((l) => l.startsWith('> diff --git ') || l.startsWith('> --- a/')), 'file header quoted');
  assert.ok(o.includes('Acked-by: "R. Viewer" <r@example.org>'));
  assert.equal(out.indexOf('\n\n') < out.indexOf('On '), true, 'headers, blank line, body');
});

test('reply to a mail without Message-ID has no threading headers', async () => {
  const a = await analyze([{ file: SEED_000, data: readFileSync(SEED_000) }]);
  const m = a.reads[0].messages[0];
  const out = composeReply({ message: m, lines: readFileSync(SEED_000, 'utf8').split('\n'), findings: [], notes: [], tag: null, identity: null });
  assert.match(out, /^Subject: Re: \[PATCH v4 2\/9\] mm: add atomic VMA flags/m);
  assert.doesNotMatch(out, /In-Reply-To|References/);
});

test('git identity: later files and values win, quotes and comments handled', () => {
  const id = parseGitIdentity('[core]\n\tname = no\n[user]\n\tname = "Jane Q. Dev" # me\n\temail = jane@example.org\n[user "x"]\n\temail = later@example.org\n');
  assert.deepEqual(id, { name: 'Jane Q. Dev', email: 'later@example.org' });
});

test('a partial re-roll: the line of a v2 reply tag that v3 dropped hovers with both facts', async () => {
  const file = 'test/fixtures/corpus/threads/b4-trailers-followup-partial-reroll.mbox';
  const a = await analyze([{ file, data: readFileSync(file) }]);
  const idx = new DocumentIndex(a, file);
  const both = [...idx.trailersByLine.values()].find((ts) => ts.length > 1);
  assert.ok(both, 'a line holding a tag and its later fate');
  const text = both.map((t) => unmd(trailerHover(t))).join('\n---\n');
  assert.match(text, /given in a reply/);
  assert.match(text, /dropped from v3/);
  assert.match(text, /given on v2 /);
});
