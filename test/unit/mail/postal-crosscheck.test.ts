/**
 * Our MIME decoding (which keeps line positions) against postal-mime's on
 * every single-message file of corpus/formats: the decoded text must be the
 * same, line for line (trailing blanks and empty lines aside).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import PostalMime from 'postal-mime';
import { readInput } from '../../../src/core/mail/index.js';

const formats = new URL('../../fixtures/corpus/formats/', import.meta.url);
const norm = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '')
    .join('\n');

// Declares no charset but carries GBK bytes: postal-mime decodes them as
// UTF-8 (replacement characters), we fall back to windows-1252 so no byte is
// lost.  Compared without that disclaimer.
const LEGACY_BYTES = 'qp-mm-madv-demote-promote.eml';

for (const name of readdirSync(formats).sort()) {
  test(`${name}: same text as postal-mime`, async () => {
    const data = readFileSync(new URL(name, formats));
    const ours = await readInput(name, data);
    if (ours.messages.length !== 1) return; // mbox files: postal-mime reads one message
    const pm = await PostalMime.parse(data);
    let text = pm.text ?? '';
    for (const a of pm.attachments) {
      if (/patch|diff/.test(a.mimeType)) text += '\n' + new TextDecoder().decode(a.content as ArrayBuffer);
    }
    let a = norm(ours.messages[0].body);
    let b = norm(text);
    if (name === LEGACY_BYTES) {
      a = a.replace(/[^\x00-\x7f]/g, '?');
      b = b.replace(/[^\x00-\x7f]/g, '?');
      a = a.split('\n').filter((l) => !l.includes('?')).join('\n');
      b = b.split('\n').filter((l) => !l.includes('?')).join('\n');
    }
    assert.equal(a, b);
  });
}
