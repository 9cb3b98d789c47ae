/**
 * Differential test against git: for every mail of corpus/real and
 * corpus/formats, what a reviewer reads in the summary (subject, author,
 * date, per-file +/- counts) agrees with `git mailinfo` + `git apply
 * --numstat` (oracle/<file>.json, made by corpus/make-oracles.sh), or the
 * difference is one of DELIBERATE below, each with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readInput } from '../../../src/core/mail/index.js';
import { readPatch } from '../../../src/core/series/index.js';

const corpus = join(import.meta.dirname, '../../fixtures/corpus');

interface OracleMail {
  subject: string | null;
  author: { name: string; email: string } | null;
  date: string | null;
  files: { path: string; added: number | null; deleted: number | null }[];
  exit_codes: { apply_numstat?: number };
}
interface Oracle extends OracleMail {
  message_count: number;
  messages?: OracleMail[];
}

/** `file#message field`: why we differ from git on purpose. */
export const DELIBERATE: Record<string, string> = {
  'formats/gb2312-base64-rfc2047-reply.eml#0 subject':
    'mailinfo strips only ASCII reply markers; we also strip 答复: so the reply groups with its patch',
  'formats/git-t5100-sample.mbox#14 author':
    'an in-body From: with no address ("bogosity"): git prints an empty author, we keep the header From',
};

function fieldsOf(file: string, index: number, mail: OracleMail, ours: ReturnType<typeof readPatch> | undefined) {
  const id = `${file}#${index}`;
  const got = {
    subject: ours?.subject.title || null,
    author: ours?.author && (ours.author.name || ours.author.email) ? `${ours.author.name} <${ours.author.email}>` : null,
    date: ours?.date || null,
    files: ours ? JSON.stringify(ours.files.map((f) => [f.path, f.added, f.deleted])) : '[]',
  };
  // numstat fails (exit 128) on whitespace-damaged diffs: git then gives no files.
  const gitFiles = mail.exit_codes.apply_numstat === 0 ? mail.files : null;
  const want = {
    // git prints '' for a missing field; we say null.
    subject: mail.subject || null,
    author: mail.author && (mail.author.name || mail.author.email) ? `${mail.author.name} <${mail.author.email}>` : null,
    date: mail.date?.trim() || null,
    files: gitFiles ? JSON.stringify(gitFiles.map((f) => [f.path, f.added, f.deleted])) : null,
  };
  return { id, got, want };
}

test('summary fields agree with git mailinfo + git apply --numstat over the corpus', async () => {
  let compared = 0;
  let agreed = 0;
  const unexpected: string[] = [];
  const deliberateSeen = new Set<string>();
  for (const dir of ['real', 'formats']) {
    for (const name of readdirSync(join(corpus, dir)).sort()) {
      const file = `${dir}/${name}`;
      const oracle = JSON.parse(readFileSync(join(corpus, 'oracle', `${name}.json`), 'utf8')) as Oracle;
      const mails = oracle.messages ?? [oracle];
      const read = await readInput(file, readFileSync(join(corpus, file)));
      assert.equal(read.messages.length, oracle.message_count, `${file}: message count`);
      mails.forEach((mail, i) => {
        const message = read.messages[i];
        const { id, got, want } = fieldsOf(file, i, mail, message ? readPatch(message) : undefined);
        for (const field of ['subject', 'author', 'date', 'files'] as const) {
          if (want[field] === null && field === 'files') continue; // git could not read it either
          compared++;
          if (got[field] === want[field]) {
            agreed++;
            continue;
          }
          const key = `${id} ${field}`;
          if (DELIBERATE[key]) deliberateSeen.add(key);
          else unexpected.push(`${key}: got ${got[field]} want ${want[field]}`);
        }
      });
    }
  }
  // The figure for the closing note: printed, and the test fails on any unexplained difference.
  console.log(`git agreement: ${agreed}/${compared} fields (${((100 * agreed) / compared).toFixed(1)}%), ${deliberateSeen.size} deliberate differences`);
  assert.deepEqual(unexpected, []);
  assert.deepEqual([...deliberateSeen].sort(), Object.keys(DELIBERATE).sort(), 'every listed deliberate difference still occurs');
});
