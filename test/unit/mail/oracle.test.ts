/**
 * Every mail of corpus/real and corpus/formats against what git mailsplit +
 * git mailinfo (2.39) made of it: message count, author and date.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { commitIdentity, readInput } from '../../../src/core/mail/index.js';

const corpus = new URL('../../fixtures/corpus/', import.meta.url);

interface OracleMessage {
  subject: string;
  author: { name: string; email: string };
  date: string;
}

for (const dir of ['real', 'formats']) {
  for (const name of readdirSync(new URL(dir + '/', corpus)).sort()) {
    test(`${dir}/${name} agrees with git mailsplit + mailinfo`, async () => {
      const oracle = JSON.parse(readFileSync(new URL(`oracle/${name}.json`, corpus), 'utf8'));
      const res = await readInput(name, readFileSync(new URL(`${dir}/${name}`, corpus)));
      assert.equal(res.messages.length, oracle.message_count, 'message count');
      assert.deepEqual(res.problems, []);
      const expected: OracleMessage[] = oracle.messages ?? [oracle];
      expected.forEach((o, i) => {
        const id = commitIdentity(res.messages[i]);
        assert.equal(id.from?.name ?? '', o.author.name, `message ${i} author name`);
        assert.equal(id.from?.email ?? '', o.author.email, `message ${i} author email`);
        // git keeps a trailing blank of an in-body `Date: bogus ` value; we trim.
        assert.equal(id.date ?? '', o.date.trim(), `message ${i} date`);
        // mailinfo strips `[PATCH ...]` / `Re:`; ours keeps them, so the
        // stripped subject must be a tail of ours.
        assert.ok(
          normaliseForSubject(id.subject).endsWith(normaliseForSubject(o.subject)),
          `message ${i} subject ${JSON.stringify(id.subject)} vs ${JSON.stringify(o.subject)}`,
        );
      });
    });
  }
}

function normaliseForSubject(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
