/**
 * Quoted hunks that a reviewer trimmed, or that run on into the quoted `-- `
 * signature, are how review mail is written: no hunk-count problem for them.
 * A hunk cut short in the patch itself still reports one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recountQuoted } from '../../../src/core/diff/recover.js';
import { review } from '../../../src/core/review.js';

const fixture = (p: string): string => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));
const THREAD = fixture('corpus/threads/real-mm-vm-flags-modifier-functions-v4.mbox');
const PATCH = fixture('corpus/real/007-mm-replace-vma-start-write-with-vma-start-write-killable.patch');

const hunkCount = (problems: { kind: string; line: number }[]) => problems.filter((p) => p.kind === 'hunk-count');

/** `@@` headers quoted in the thread whose counts are more than the quote holds. */
function trimmedQuotedHunks(text: string): number {
  const lines = text.split('\n');
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^> @@ -\d+,(\d+) \+\d+,(\d+) @@/.exec(lines[i]);
    if (!m) continue;
    let old = 0;
    let j = i + 1;
    while (j < lines.length && /^> [ -]/.test(lines[j]) && !lines[j].startsWith('> @@') && !lines[j].startsWith('> -- ')) {
      old++;
      j++;
    }
    while (j < lines.length && /^> \+/.test(lines[j])) j++;
    if (old < Number(m[1])) n++;
  }
  return n;
}

test('v4 vm_flags thread: replies that trim quoted hunks or quote the signature give no hunk-count problem', async () => {
  const text = readFileSync(THREAD, 'utf8');
  // The thread does hold quoted hunks cut short by reviewers (the case under test).
  assert.ok(trimmedQuotedHunks(text) >= 3, `trimmed quoted hunks: ${trimmedQuotedHunks(text)}`);
  assert.ok(text.split('\n').some((l) => l === '> -- '), 'a reply quotes the patch signature');
  const r = await review([{ file: THREAD, data: text }]);
  const lines = text.split('\n');
  const onQuoted = hunkCount(r.problems).filter((p) => lines[p.line - 1]?.startsWith('>'));
  assert.deepEqual(onQuoted.map((p) => `${p.line}: ${lines[p.line - 1]}`), []);
  assert.deepEqual(hunkCount(r.problems), []);
  // The replies' quoted diffs are still read: findings on quoted lines remain possible,
  // and the reviewer's own tags are still collected.
  assert.ok(r.read.reads[0].messages.length > 10);
});

test('a hunk cut short in the patch itself still reports at its place', async () => {
  const text = readFileSync(PATCH, 'utf8');
  const lines = text.split('\n');
  // Drop the last two lines of the first hunk that is followed by another hunk of the same file.
  const second = lines.findIndex((l, i) => l.startsWith('@@ ') && i > 0 && /^[ +-]/.test(lines[i - 1]) && !/^(\+\+\+|---) /.test(lines[i - 1]));
  assert.ok(second > 0, 'the patch has two hunks in one file');
  const cut = [...lines.slice(0, second - 2), ...lines.slice(second)].join('\n');
  const r = await review([{ file: 'cut.patch', data: cut }]);
  const problems = hunkCount(r.problems);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match((r.problems.find((p) => p.kind === 'hunk-count') as { message: string }).message, /short of its @@ counts/);
  // The same cut hunk, quoted in a reply, is a reviewer's trim: no problem.
  const reply = [
    'From reviewer@example.org Mon Jan  1 01:00:00 2024', 'From: Reviewer <reviewer@example.org>', 'Subject: Re: [PATCH] cut',
    'Message-Id: <cut-reply@example.org>', '', 'On Mon, Author wrote:', ...cut.split('\n').filter((l) => !/^(From |Subject:|Message-I[dD]:)/.test(l)).map((l) => (l ? `> ${l}` : '>')), '',
    'A comment.', '',
  ].join('\n');
  const q = await review([{ file: 'reply.mbox', data: reply }]);
  assert.deepEqual(hunkCount(q.problems), []);
});

test('recountQuoted: counts what the quote holds, stops at the signature, keeps the line count', () => {
  const quoted = ['diff --git a/mm/x.c b/mm/x.c', '--- a/mm/x.c', '+++ b/mm/x.c', '@@ -10,12 +10,13 @@ int f(void)', ' \ta();', '-\tb();', '+\tc();', '+\td();', '', ' \te();', '', '-- ', '2.39.1'].join('\n');
  const out = recountQuoted(quoted);
  assert.equal(out.split('\n').length, quoted.split('\n').length);
  assert.equal(out.split('\n')[3], '@@ -10,4 +10,5 @@ int f(void)');
  // A removed line reading `- ` followed by more diff is part of the hunk.
  const dash = ['@@ -1,3 +1,2 @@', ' a', '-- ', ' b'].join('\n');
  assert.equal(recountQuoted(dash), dash);
});
