/**
 * What a reviewer sees of each mail shape: the right text, from the right
 * line of the file they have open.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readInput } from '../../../src/core/mail/index.js';
import type { MailMessage } from '../../../src/core/types.js';

const formats = new URL('../../fixtures/corpus/formats/', import.meta.url);
const load = (name: string): Buffer => readFileSync(new URL(name, formats));
const inputLines = (name: string): string[] => load(name).toString('latin1').split('\n');

/** Index (0-based) of the first body line equal to / starting with `text`. */
function bodyLine(m: MailMessage, text: string): number {
  const i = m.body.split('\n').findIndex((l) => l.startsWith(text));
  assert.ok(i >= 0, `body has a line starting ${JSON.stringify(text)}`);
  return i;
}

test('mboxrd: `>From ` escapes are undone one level, and the column moves past the `>`', async () => {
  const res = await readInput('git-t5100-sample.mboxrd', load('git-t5100-sample.mboxrd'));
  assert.equal(res.messages.length, 2);
  const [m0, m1] = res.messages;
  assert.equal(m0.subject, '[PATCH] a commit with escaped From lines');
  const body = m0.body.split('\n');
  assert.deepEqual(body.slice(0, 3), [
    'From the beginning, mbox should have been mboxrd',
    '>From escaped',
    'From not mangled but this line should have been escaped',
  ]);
  assert.equal(m0.bodyMap.line(0), 6);
  assert.equal(m0.bodyMap.column(0), 2);
  assert.equal(m0.bodyMap.column(2), 1);
  assert.ok(m1.body.includes(' >From unchanged\n'));
  assert.ok(m1.body.includes('\n>From\n'), 'a bare ">From" is not an escape');
  assert.equal(m1.startLine, 10);
});

test('mboxo (the default for other names): `>From ` is kept as git mailsplit keeps it', async () => {
  const res = await readInput('sample.mbox', load('git-t5100-sample.mboxrd'), { mboxrd: false });
  assert.ok(res.messages[0].body.startsWith('>From the beginning'));
});

test('a body line "From the ..." is not a message separator (git is_from_line)', async () => {
  const text = 'From a@b Mon Sep 17 00:00:00 2001\nFrom: A <a@b.c>\nSubject: x\n\nFrom the start\nFrom here on\n';
  const res = await readInput('x.mbox', text);
  assert.equal(res.messages.length, 1);
  assert.equal(res.messages[0].body, 'From the start\nFrom here on\n');
});

test('CRLF mail: no CR in headers or body, body line i is input line start+i', async () => {
  const res = await readInput('crlf.patch', load('crlf-maple-tree-mas-empty-area.patch'));
  const m = res.messages[0];
  assert.equal(m.shape, 'rfc2822');
  assert.equal(m.date, 'Fri, 5 May 2023 22:58:29 +0800');
  assert.ok(!m.body.includes('\r'));
  assert.ok(!m.headers.some((h) => h.value.includes('\r')));
  const lines = inputLines('crlf-maple-tree-mas-empty-area.patch');
  const i = bodyLine(m, 'diff --git');
  assert.equal(lines[m.bodyMap.line(i) - 1].replace(/\r$/, ''), m.body.split('\n')[i]);
  assert.ok(m.bodyMap.exact(i));
  assert.equal(m.cc.length, 9);
  assert.deepEqual(m.cc[0], { name: '', email: 'akpm@linux-foundation.org' });
  assert.deepEqual(m.cc[5], { name: 'Edgecombe, Rick P', email: 'rick.p.edgecombe@intel.com' });
});

test('a file that is not an mbox is one message (git mailsplit -b)', async () => {
  const res = await readInput('reply.patch', load('reply-with-fixlet-mglru-no-mbox-from.patch'));
  assert.equal(res.messages.length, 1);
  assert.equal(res.messages[0].startLine, 1);
  assert.ok(res.messages[0].from);
});

test('RFC 2047: gb2312 base64 words joined across folds; To list parsed', async () => {
  const res = await readInput('gb.eml', load('gb2312-base64-rfc2047-reply.eml'));
  const m = res.messages[0];
  assert.deepEqual(m.from, { name: '韩大鹏(Han Dapeng)', email: 'handapeng@oppo.com' });
  assert.match(m.subject, /^答复: \[PATCH\] symbol : Make the size of the c/);
  assert.ok(!m.subject.includes('=?'));
  assert.deepEqual(m.to[0], { name: 'Daniel Axtens', email: 'dja@axtens.net' });
});

test('Date whitespace is collapsed as git mailinfo does; Message-ID has no brackets', async () => {
  const res = await readInput('quoted-cr.mbox', load('git-t5100-quoted-cr.mbox'));
  const m = res.messages[0];
  assert.equal(m.date, 'Mon, 3 Aug 2020 22:40:55 +0700');
  assert.equal(m.messageId, 'msg-id@example.com');
});

test('References keep order, without brackets, across folded lines', async () => {
  const res = await readInput('sample.mbox', load('git-t5100-sample.mbox'));
  const m = res.messages.find((x) => x.references.length > 0);
  assert.ok(m);
  assert.equal(m.references.length, 50);
  assert.equal(m.references[0], 'Pine.LNX.4.640.0001@woody.linux-foundation.org');
  assert.equal(m.references[49], 'Pine.LNX.4.640.0050@woody.linux-foundation.org');
});

test('quoted-printable: soft breaks joined; a decoded line maps to the line it starts on', async () => {
  const name = 'qp-windows-1252-mm-has-unmovable-pages.eml';
  const m = (await readInput(name, load(name))).messages[0];
  const i = bodyLine(m, 'diff --git a/include/linux/page-isolation.h');
  assert.equal(m.body.split('\n')[i], 'diff --git a/include/linux/page-isolation.h b/include/linux/page-isolation.h');
  assert.equal(m.bodyMap.line(i), 117);
  assert.equal(m.bodyMap.exact(i), false, 'joined from two input lines');
  const j = bodyLine(m, '--- a/include/linux/page-isolation.h');
  assert.equal(m.bodyMap.line(j), 120);
  assert.ok(m.bodyMap.exact(j));
});

test('quoted-printable in a legacy charset (gbk bytes, no charset label) never throws and keeps the lines', async () => {
  const name = 'qp-mm-madv-demote-promote.eml';
  const m = (await readInput(name, load(name))).messages[0];
  const i = bodyLine(m, '--- a/mm/madvise.c');
  assert.equal(m.bodyMap.line(i), 195);
});

test('multipart/signed: the text part with its in-body From, not the signature', async () => {
  const name = 'multipart-qp-plus-base64-attachment-hvc-xen.eml';
  const m = (await readInput(name, load(name))).messages[0];
  assert.deepEqual(m.from, { name: 'David Woodhouse', email: 'dwmw2@infradead.org' });
  assert.deepEqual(m.inBody, [{ name: 'From', value: 'David Woodhouse <dwmw@amazon.co.uk>', line: 69 }]);
  assert.ok(m.body.includes('special — the toolstack allocates the guest event channel and the guest\n'));
  assert.ok(!m.body.includes('MIAGCSqGSIb3DQEHAqCAMIACAQEx'), 'signature not in body');
  assert.equal(m.bodyMap.line(bodyLine(m, '--- a/drivers/tty/hvc/hvc_xen.c')), 126);
});

test('multipart with a text/x-patch part: joined to the body', async () => {
  const mail = [
    'From: A <a@example.com>',
    'Subject: [PATCH] x',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Please apply.',
    '--b1',
    'Content-Type: text/x-patch; name="0001-x.patch"',
    'Content-Disposition: attachment; filename="0001-x.patch"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n').toString('base64'),
    '--b1',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    'AAECAwQ=',
    '--b1--',
    '',
  ].join('\n');
  const m = (await readInput('x.eml', mail)).messages[0];
  assert.equal(m.body, 'Please apply.\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n');
  assert.equal(m.bodyMap.line(0), 8);
  assert.ok(m.bodyMap.exact(0));
  assert.equal(m.bodyMap.line(1), 14);
  assert.equal(m.bodyMap.exact(1), false);
  assert.deepEqual(m.problems, []);
});

test('base64 body: decoded, mapped near the encoded line, never exact', async () => {
  const name = 'base64-body-div64.eml';
  const m = (await readInput(name, load(name))).messages[0];
  const i = bodyLine(m, 'diff --git');
  assert.equal(m.bodyMap.exact(i), false);
  assert.ok(m.bodyMap.line(i) > 33 && m.bodyMap.line(i) <= inputLines(name).length);
});

test('format=flowed: diff context lines survive unstuffing', async () => {
  const name = 'gbk-flowed-s390-protvirt.eml';
  const m = (await readInput(name, load(name))).messages[0];
  assert.ok(m.body.includes('\n--- a/arch/s390/kernel/uv.c\n'));
  assert.match(m.body, /\n@@ -\d+,\d+ \+\d+,\d+ @@/);
});

test('charset labels git and mailers use: ANSI_X3.4-1968, ascii', async () => {
  for (const name of ['stable-notice-ansi-x3.4-1968.eml', 'charset-ascii-mm-account-locked-vm.eml']) {
    const m = (await readInput(name, load(name))).messages[0];
    assert.deepEqual(m.problems, [], name);
    assert.ok(m.body.includes('\ndiff --git '), name);
  }
});

test('unknown charset: a problem at the part, text still read', async () => {
  const mail = 'From: A <a@b.c>\nSubject: x\nContent-Type: text/plain; charset=x-klingon\nContent-Transfer-Encoding: quoted-printable\n\nhello=20world\n';
  const m = (await readInput('k.eml', mail)).messages[0];
  assert.equal(m.body, 'hello world\n');
  assert.equal(m.problems.length, 1);
  assert.equal(m.problems[0].kind, 'mime-decode');
  assert.equal(m.problems[0].line, 6);
});

test('latin-1 8bit bytes in an mbox are decoded with the declared charset', async () => {
  const head = 'From x Mon Sep 17 00:00:00 2001\nFrom: A <a@b.c>\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n';
  const bytes = Buffer.concat([Buffer.from(head), Buffer.from([0x4b, 0xe5, 0x67, 0x65, 0x64, 0x61, 0x6c, 0x0a])]);
  const m = (await readInput('l.mbox', bytes)).messages[0];
  assert.equal(m.body, 'Kågedal\n');
  assert.equal(m.bodyMap.line(0), 7);
});

test('postal-mime is never needed for plain mail but reads HTML-only mail', async () => {
  const mail = 'From: A <a@b.c>\nSubject: x\nContent-Type: text/html\n\n<p>Looks good</p><p>Reviewed-by: A &lt;a@b.c&gt;</p>\n';
  const m = (await readInput('h.eml', mail)).messages[0];
  assert.match(m.body, /Reviewed-by: A <a@b\.c>/);
  assert.equal(m.bodyMap.exact(0), false);
});

test('multipart/alternative: the text/plain part, not the HTML', async () => {
  const mail = [
    'From: A <a@example.com>',
    'Subject: Re: x',
    'Content-Type: multipart/alternative; boundary=alt',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Reviewed-by: A <a@example.com>=',
    '',
    '--alt',
    'Content-Type: text/html',
    '',
    '<p>Reviewed-by: A</p>',
    '--alt--',
  ].join('\r\n');
  const m = (await readInput('alt.eml', mail)).messages[0];
  assert.equal(m.body, 'Reviewed-by: A <a@example.com>\n');
  assert.equal(m.bodyMap.line(0), 9);
});

test('unknown charset in an encoded word: a problem at the header line, text kept', async () => {
  const mail = 'From: =?x-klingon?Q?Worf?= <worf@example.com>\nSubject: =?utf-8?Q?caf=C3=A9?=\n\nx\n';
  const m = (await readInput('k.eml', mail)).messages[0];
  assert.equal(m.subject, 'café');
  assert.equal(m.from?.name, 'Worf');
  assert.deepEqual(
    m.problems.map((p) => [p.kind, p.line]),
    [['mime-decode', 1]],
  );
});

test('mboxrd detected from content: a `>>From ` line', async () => {
  const text = 'From x Mon Sep 17 00:00:00 2001\nFrom: A <a@b.c>\nSubject: s\n\n>From a\n>>From b\n';
  const m = (await readInput('any-name.txt', text)).messages[0];
  assert.equal(m.body, 'From a\n>From b\n');
});

test('nothing to read: no messages, no throw', async () => {
  for (const data of ['', '\n\n  \n', new Uint8Array(0)]) {
    const res = await readInput('empty', data);
    assert.deepEqual(res.messages, []);
    assert.deepEqual(res.problems, []);
  }
});
