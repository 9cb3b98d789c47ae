/**
 * review(): text in, findings out, across stages.  What a reviewer sees when
 * a patch comes twice, when the C cannot be analysed, and on the seeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { review } from '../../../src/core/review.js';

const seeds = join(import.meta.dirname, '../../fixtures/seeds');

function mail(id: string, subject: string, added: string): string {
  return [
    'From mboxrd@z Thu Jan  1 00:00:00 1970',
    'From: A Developer <dev@example.org>',
    `Subject: ${subject}`,
    'Date: Mon, 1 Jan 2024 00:00:00 +0000',
    `Message-ID: <${id}@example.org>`,
    '',
    'mm: tidy the thing',
    '',
    'Signed-off-by: A Developer <dev@example.org>',
    '---',
    'diff --git a/mm/thing.c b/mm/thing.c',
    '--- a/mm/thing.c',
    '+++ b/mm/thing.c',
    '@@ -10,4 +10,5 @@ static int other;',
    ' static void thing(struct vm_area_struct *vma)',
    ' {',
    `+\t${added}`,
    ' \tdo_thing(vma);',
    ' }',
    '',
  ].join('\n');
}

test('a patch sent twice with a different diff: the second copy is checked too', async () => {
  const mbox = mail('a', '[PATCH] mm: tidy the thing', 'tidy(vma);') + mail('b', '[PATCH RESEND] mm: tidy the thing', 'BUG_ON(!vma);');
  const result = await review([{ file: 'resend.mbox', data: mbox }]);
  const bugOn = result.findings.filter((f) => f.rule === 'BUG-ON-ADDED');
  assert.equal(bugOn.length, 1);
  // the BUG_ON line of the second mail, 12 lines below its Message-ID
  const secondStart = mbox.split('\n').findIndex((l) => l.includes('<b@example.org>')) + 1;
  assert.equal(bugOn[0].line, secondStart + 12);
  assert.ok(result.facts.some((a) => a.label.endsWith('(sent again)')));
});

test('seeds: 001 and 003 flag the stale comments at their lines; 000 has nothing at warning or above; 002 says its diff was not read', async () => {
  const byPrefix = (p: string) => join(seeds, readdirSync(seeds).find((n) => n.startsWith(p))!);
  const run = async (p: string) => review([{ file: byPrefix(p), data: readFileSync(byPrefix(p)) }]);
  const s001 = await run('001_');
  const stale001 = s001.findings.filter((f) => f.rule === 'STALE-COMMENT-IDENT');
  assert.equal(stale001.length, 1);
  const text001 = readFileSync(byPrefix('001_'), 'utf8').split('\n');
  assert.match(text001[stale001[0].line - 1], /userfaultfd_wp\(\)/);
  const s003 = await run('003_');
  const stale003 = s003.findings.filter((f) => f.rule === 'STALE-COMMENT-IDENT');
  assert.ok(stale003.length >= 1);
  const text003 = readFileSync(byPrefix('003_'), 'utf8').split('\n');
  assert.match(text003[stale003[0].line - 1], /__vma_exit_exclusive_locked\(\)/);
  assert.equal(stale003[0].patchFile, 'include/linux/mm_types.h');
  const s000 = await run('000_');
  assert.deepEqual(s000.findings.filter((f) => f.severity !== 'info' && /^(LOCK|FLAG|VMA|BUG|WARN|STALE)/.test(f.rule)), []);
  const s002 = await run('002_');
  assert.ok(s002.problems.some((p) => p.kind === 'damaged-diff'));
});
