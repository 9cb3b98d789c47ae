/**
 * The quick fixes' text and data (src/vscode/quickFixes.ts, reply.ts): what
 * "Add to review reply" writes, what "Use the recovered address" changes in
 * the am-ready mbox, and the reply's tag and kernel places.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../src/editor/analyze.js';
import { addToReplyDraft, isAddToReplyArgs, isRecoveredAddressArgs, withRecovered, withRuleDisabled } from '../../../src/vscode/quickFixes.js';
import { composeReply, findingComment, IDENTITY_PLACEHOLDER, kernelPlaces, parseIdentity } from '../../../src/editor/reply.js';
import { writeAmMbox } from '../../../src/core/trailers/am.js';

const SEED_003 = 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt';
const SINGLE = 'test/fixtures/corpus/threads/b4-trailers-followup-single.mbox';
const PATCH_007 = 'test/fixtures/corpus/real/007-mm-replace-vma-start-write-with-vma-start-write-killable.patch';

test('Add to review reply: a new draft quotes the line with the finding under it; a second finding is appended, a repeat is not', async () => {
  const text = readFileSync(SEED_003, 'utf8');
  const a = await analyze([{ file: SEED_003, data: text }]);
  const stale = a.findings.filter((f) => f.rule === 'STALE-COMMENT-IDENT');
  assert.ok(stale.length >= 1, 'seed 003 has a STALE-COMMENT-IDENT finding');
  const lines = text.split('\n');
  const f = stale[0];
  const args = { uri: 'file:///seed-003.txt', line: f.line - 1, rule: f.rule, message: f.message };
  assert.ok(isAddToReplyArgs(args));
  const none = () => null;
  const first = await addToReplyDraft(args, { file: SEED_003, text }, none, async () => ({ name: 'R. Viewer', email: 'r@example.org' }));
  assert.ok(!('error' in first));
  const d = first.text.split('\n');
  const q = d.indexOf('> ' + lines[f.line - 1]);
  assert.ok(q > 0, 'the finding\'s line is quoted');
  assert.equal(d[q + 1], '');
  assert.ok(d.slice(q + 2).join(' ').includes(`[${f.rule}]`), 'the finding follows as an inline comment');
  assert.match(first.text, /^Subject: Re: /m);
  // Another finding in the same message goes to the same draft, after what is there.
  const other = { ...args, line: f.line - 3, message: 'A second remark.', rule: 'STALE-COMMENT-IDENT' };
  const second = await addToReplyDraft(other, { file: SEED_003, text }, (key) => (key === first.key ? first.text : null), async () => null);
  assert.ok(!('error' in second));
  assert.equal(second.key, first.key);
  assert.equal(second.appended, true);
  assert.ok(second.text.startsWith(first.text.trimEnd()), 'the draft is kept as it was');
  assert.match(second.text, /\[\.\.\.\]\n\n(> .*\n)+\nA second remark\. \[STALE-COMMENT-IDENT\]\n$/);
  const again = await addToReplyDraft(other, { file: SEED_003, text }, () => second.text, async () => null);
  assert.ok(!('error' in again));
  assert.equal(again.text, second.text, 'the same finding is not added twice');
  assert.equal(isAddToReplyArgs({ ...args, rule: '<script>' }), false);
  assert.equal(isAddToReplyArgs({ ...args, line: -1 }), false);
});

test('appended comments go above the closing tag line', async () => {
  const text = readFileSync(SINGLE, 'utf8');
  const a = await analyze([{ file: SINGLE, data: text }]);
  const lines = text.split('\n');
  const m = a.reads[0].messages[0];
  const draft = composeReply({ message: m, lines, findings: [], notes: [], tag: 'Reviewed-by', identity: { name: 'R', email: 'r@example.org' } });
  const plus = lines.findIndex((l) => /^\+(?!\+\+ )/.test(l));
  const r = await addToReplyDraft({ uri: 'file:///single.mbox', line: plus, rule: 'X-RULE', message: 'Why?' }, { file: SINGLE, text }, () => draft, async () => null);
  assert.ok(!('error' in r));
  const out = r.text.trimEnd().split('\n');
  assert.equal(out[out.length - 1], 'Reviewed-by: R <r@example.org>');
  assert.equal(out[out.length - 3], 'Why? [X-RULE]');
});

test('the reply keeps the chosen tag without an identity, as a placeholder to fill', async () => {
  const text = readFileSync(SINGLE, 'utf8');
  const a = await analyze([{ file: SINGLE, data: text }]);
  const out = composeReply({ message: a.reads[0].messages[0], lines: text.split('\n'), findings: [], notes: [], tag: 'Reviewed-by', identity: null });
  assert.ok(out.split('\n').includes(`Reviewed-by: ${IDENTITY_PLACEHOLDER}`), out);
  assert.deepEqual(parseIdentity('Jane Doe <jane@example.org>'), { name: 'Jane Doe', email: 'jane@example.org' });
  assert.deepEqual(parseIdentity('"Doe, Jane" <jane@example.org>'), { name: 'Doe, Jane', email: 'jane@example.org' });
  assert.deepEqual(parseIdentity('jane@example.org'), { name: '', email: 'jane@example.org' });
  assert.equal(parseIdentity('Jane Doe'), null);
});

test('a finding\'s "line N" in the reply is the kernel file and line, not the mbox line', async () => {
  const text = readFileSync(PATCH_007, 'utf8');
  const lines = text.split('\n');
  const a = await analyze([{ file: PATCH_007, data: text }]);
  const m = a.reads[0].messages[0];
  const places = kernelPlaces(lines, m);
  // The first hunk: its first added line, by the @@ header's new-side start.
  const at = lines.findIndex((l) => l.startsWith('@@ '));
  const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(lines[at])!;
  const file = lines.slice(0, at).reverse().find((l) => l.startsWith('+++ '))!.slice(6);
  let n = Number(hunk[1]);
  let i = at + 1;
  for (; !lines[i].startsWith('+'); i++) if (!lines[i].startsWith('-')) n++;
  assert.equal(places.get(i + 1), `${file}:${n}`);
  const c = findingComment({ rule: 'LOCK-REQUIRES', message: `vma_start_write() taken at line ${i + 1}; see line 1.` }, places);
  assert.equal(c, `vma_start_write() taken at ${file}:${n}; see line 1. [LOCK-REQUIRES]`);
});

test('Use the recovered address: the obfuscated tag goes into the am-ready mbox with the address found', async () => {
  const lines = readFileSync(SINGLE, 'utf8').split('\n');
  const at = lines.findIndex((l) => l === 'Tested-by: Followup Reviewer2 <followup-reviewer2@example.com>');
  assert.ok(at > 0);
  lines[at] = 'Tested-by: Followup Reviewer2 <[email\u00a0protected]>';
  const text = lines.join('\n');
  const a = await analyze([{ file: SINGLE, data: text }]);
  const obf = a.findings.find((f) => f.rule === 'TAG-OBFUSCATED');
  assert.ok(obf, a.findings.map((f) => f.rule).join(', '));
  assert.equal(obf.line, at + 1);
  const series = a.series[0];
  const before = writeAmMbox(a.collected!, series);
  assert.doesNotMatch(before, /^Tested-by: Followup Reviewer2/m, 'b4 does not apply an obfuscated tag');
  const args = { uri: 'file:///x', line: at, recovered: 'followup-reviewer2@example.com' };
  assert.ok(isRecoveredAddressArgs(args));
  assert.equal(isRecoveredAddressArgs({ ...args, recovered: 'a b@c' }), false);
  const after = writeAmMbox(withRecovered(a.collected!, [{ file: SINGLE, line: at + 1, email: args.recovered }]), series);
  assert.match(after, /^Tested-by: Followup Reviewer2 <followup-reviewer2@example\.com>$/m);
  assert.equal(after.replace(/^Tested-by: Followup Reviewer2 .*\n/m, ''), before, 'nothing else changes');
});

test('Disable RULE adds it once', () => {
  assert.deepEqual(withRuleDisabled(undefined, 'A'), ['A']);
  assert.deepEqual(withRuleDisabled(['B', 3, 'A'], 'A'), ['B', 'A']);
  assert.deepEqual(withRuleDisabled(['B'], 'A'), ['B', 'A']);
});
