/**
 * readInput on hostile input: it must answer (never throw, never hang) and
 * what it answers must be consistent: every body line mapped inside the
 * input, every problem at a real line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { readInput } from '../../../src/core/mail/index.js';
import { corpusMbox } from './corpus-mbox.js';
import type { ReadResult } from '../../../src/core/types.js';

const corpus = new URL('../../fixtures/corpus/', import.meta.url);

function lineCount(data: string | Uint8Array): number {
  const s = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  // With no LF at all, CR ends lines (old Mac files), as in an editor.
  const eol = s.includes('\n') ? '\n' : '\r';
  let n = 1;
  for (let i = s.indexOf(eol); i !== -1; i = s.indexOf(eol, i + 1)) n++;
  return n;
}

/** The invariants every answer keeps. */
function assertConsistent(res: ReadResult, data: string | Uint8Array): void {
  const max = lineCount(data);
  for (const p of res.problems) assert.ok(p.line >= 1 && p.line <= max && p.column >= 1, `problem at ${p.line}`);
  res.messages.forEach((m, k) => {
    assert.equal(m.index, k);
    assert.ok(m.startLine >= 1 && m.startLine <= m.endLine && m.endLine <= max, `message ${k} span ${m.startLine}-${m.endLine} of ${max}`);
    const bodyLines = m.body === '' ? 0 : m.body.split('\n').length - 1;
    assert.equal(m.bodyMap.length, bodyLines, `message ${k}: one map entry per body line`);
    assert.ok(m.body === '' || m.body.endsWith('\n'));
    assert.ok(!m.body.includes('\r\n'));
    for (let i = 0; i < m.bodyMap.length; i++) {
      const l = m.bodyMap.line(i);
      assert.ok(l >= 1 && l <= max && m.bodyMap.column(i) >= 1, `message ${k} body line ${i} -> ${l}`);
    }
    for (const d of m.quotedDiffs) {
      assert.equal(d.map.length, d.text.split('\n').length - 1);
      for (let i = 0; i < d.map.length; i++) assert.ok(d.map.line(i) >= 1 && d.map.line(i) <= max);
    }
    for (const p of m.problems) assert.ok(p.line >= 1 && p.line <= max && p.column >= 1);
  });
}

async function readTimed(name: string, data: string | Uint8Array, budgetMs: number): Promise<ReadResult> {
  const t0 = performance.now();
  const res = await readInput(name, data);
  const ms = performance.now() - t0;
  assert.ok(ms < budgetMs, `${name}: ${ms.toFixed(0)} ms (budget ${budgetMs} ms)`);
  assertConsistent(res, data);
  return res;
}

// Pieces that steer the reader into each of its paths.
const mailPiece = fc.constantFrom(
  'From nobody Mon Sep 17 00:00:00 2001\n',
  'From: A U Thor <a.u.thor@example.com>\n',
  'Subject: =?UTF-8?B?w6k=?= =?gb2312?B?uqu0?= [PATCH 1/2] x\n',
  'Date: Mon,  9 Jan 2006 00:44:16 -0700\n',
  'Content-Type: multipart/mixed; boundary="b"\n',
  'Content-Type: text/plain; charset=gbk; format=flowed\n',
  'Content-Transfer-Encoding: quoted-printable\n',
  'Content-Transfer-Encoding: base64\n',
  '--b\n',
  '--b--\n',
  '\n',
  '\r\n',
  ' folded\n',
  '=E2=80=99 soft=\n',
  'w6k=\n',
  '> > diff --git a/x b/x\n',
  '> > @@ -1,2 +1,2 @@\n',
  '> On Mon, 1 Jan 2024, Some One wrote:\n',
  '>From escaped\n',
  '>>From escaped twice\n',
  'Posted by Some One 2 days ago\n',
  'Re: [PATCH] x\n',
  'Message-Id: <a@b>\n',
  'diff --git a/x b/x\n',
  '--- a/x\n',
  '+++ b/x\n',
  '@@ -1 +1 @@\n',
  '-a\n',
  '+b\n',
  'From: In Body <in@body.example>\n',
  ' Subject: x Date: y From: z Message-ID: <q@r> To: s ',
  'Signed-off-by: A <a@b>\n',
  '<p>html</p>\n',
);

test('arbitrary bytes: an answer, consistent, never a throw', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
      await readTimed('random.bin', bytes, 2000);
    }),
    { numRuns: 300 },
  );
});

test('arbitrary mail-like text (headers, MIME, quotes, pages, damage): consistent answers', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(mailPiece, fc.string({ maxLength: 40 })), { maxLength: 120 }), async (pieces) => {
      const text = pieces.join('');
      await readTimed('mail.txt', text, 2000);
      await readTimed('mail.bin', Buffer.from(text, 'utf8'), 2000);
    }),
    { numRuns: 400 },
  );
});

test('a truncated mbox: every cut point gives a consistent answer', async () => {
  const thread = readFileSync(new URL('threads/real-mm-lock-newly-mapped-vma-corrected-ordering.mbox', corpus));
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: thread.length }), async (cut) => {
      const res = await readTimed('cut.mbox', thread.subarray(0, cut), 2000);
      if (cut === thread.length) assert.equal(res.messages.length, 3);
    }),
    { numRuns: 200 },
  );
});

test('100,000-character lines in every place the reader looks', async () => {
  const long = (s: string): string => s.repeat(Math.ceil(100_000 / s.length)).slice(0, 100_000);
  const cases: Record<string, string> = {
    header: `From: ${long('a')}\nSubject: ${long('=?x?')}\n\nbody\n`,
    encodedWords: `Subject: ${long('=?utf-8?q?a?= ')}\n\nx\n`,
    body: `From: a <a@b>\n\n${long('x')}\n`,
    quoted: `${long('>')}\n${long('> ')}diff --git a/x b/x\n`,
    htmlish: `Content-Type: text/html\n\n${long('<')}\n`,
    qp: `Content-Transfer-Encoding: quoted-printable\n\n${long('=3D')}\n${long('=')}\n`,
    base64: `Content-Transfer-Encoding: base64\n\n${long('QUJD')}\n`,
    fromLine: `From ${long(':0')}\n`,
    postedBy: `Posted by ${long('a ')} ago\nx\n`,
    damaged: `From x ${long(' Subject: a Date: b From: c Message-ID: <d> ')}`,
    damagedStat: `Subject: a Date: b From: c To: d ${long('x ')} --- ${long('f | 1 + ')} diff --git a/x b/x`,
    attribution: `${long('On a, ')} wrote:\n> x\n`,
    addresses: `To: ${long('a <b@c>, ')}\nCc: ${long('"')}\n\nx\n`,
    boundary: `Content-Type: multipart/mixed; boundary="${long('b')}"\n\n--${long('b')}\n\nx\n`,
  };
  for (const [name, text] of Object.entries(cases)) await readTimed(name, text, 3000);
});

test('quoting 20 levels deep: the diff is found at depth 20, columns past all markers', async () => {
  const q = '> '.repeat(20);
  const text = [
    'On Mon, 1 Jan 2024, Deep Writer wrote:',
    `${q}diff --git a/mm/x.c b/mm/x.c`,
    `${q}--- a/mm/x.c`,
    `${q}+++ b/mm/x.c`,
    `${q}@@ -1,2 +1,2 @@`,
    `${q} ctx`,
    `${q}-old`,
    `${q}+new`,
    '',
  ].join('\n');
  const res = await readTimed('deep.txt', text, 2000);
  const m = res.messages[0];
  assert.equal(m.shape, 'quoted-reply');
  assert.equal(m.quotedDiffs.length, 1);
  assert.equal(m.quotedDiffs[0].depth, 20);
  assert.equal(m.quotedDiffs[0].text, 'diff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n ctx\n-old\n+new\n');
  assert.equal(m.quotedDiffs[0].map.column(0), 41);
  assert.equal(m.quotedDiffs[0].map.line(6), 8);
});

test('MIME nested 40 deep: read up to the limit, a problem beyond it', async () => {
  let text = 'From: a <a@b>\nSubject: deep\nContent-Type: multipart/mixed; boundary="b0"\n\n';
  for (let d = 1; d < 40; d++) text += `--b${d - 1}\nContent-Type: multipart/mixed; boundary="b${d}"\n\n`;
  text += '--b39\nContent-Type: text/plain\n\ninnermost\n';
  const res = await readTimed('nested.eml', text, 2000);
  assert.ok(res.messages[0].problems.some((p) => p.kind === 'mime-decode'));
});

test('a 50 MB mbox built from the corpus is read in bounded time', async () => {
  const one = corpusMbox({ threads: false });
  const copies = Math.ceil((50 * 1024 * 1024) / one.length);
  const big = Buffer.concat(Array.from({ length: copies }, () => one));
  const perCopy = (await readInput('one.mbox', one)).messages.length;
  const t0 = performance.now();
  const res = await readInput('big.mbox', big);
  const ms = performance.now() - t0;
  assert.ok(ms < 20_000, `50 MB in ${ms.toFixed(0)} ms`);
  assert.equal(res.messages.length, perCopy * copies);
  assert.deepEqual(res.problems, []);
  const last = res.messages[res.messages.length - 1];
  assert.ok(last.endLine <= lineCount(big));
});
