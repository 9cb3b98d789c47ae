/**
 * A large mbox of real mail for the benchmarks: the corpus/real mails
 * repeated, each copy with a Message-ID of its own (format-patch files that
 * have none get one), so that no copy is the same message as another.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/cli/files.js';

// Found from the package root: this module also runs compiled, from out/bench/.
const real = join(packageRoot(), 'test/fixtures/corpus/real');

/** One mail as an mboxrd message: `From ` line, `>From` escaping, LF ends. */
function asMboxrd(text: string): string {
  const body = text.replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  return `From mboxrd@z Thu Jan  1 00:00:00 1970\n${body.endsWith('\n') ? body : body + '\n'}\n`;
}

/** Gives copy n its own Message-ID, adding one to a mail that has none. */
function withMessageId(mail: string, n: number): string {
  if (/^Message-I[Dd]:/m.test(mail)) return mail.replace(/^(Message-I[Dd]:\s*<)/m, `$1bench${n}.`);
  return mail.replace(/^(From: .*)$/m, `$1\nMessage-ID: <bench${n}@patchlens.invalid>`);
}

/** ~targetBytes of real messages. */
export function generateMbox(targetBytes: number): { text: string; messages: number } {
  const mails = readdirSync(real)
    .filter((name) => name.endsWith('.patch'))
    .sort()
    .map((name) => readFileSync(join(real, name), 'utf8').replace(/^From [0-9a-f]{40} .*\n/, ''));
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < targetBytes; n++) {
    const message = asMboxrd(withMessageId(mails[n % mails.length], n));
    parts.push(message);
    size += Buffer.byteLength(message);
  }
  return { text: parts.join(''), messages: parts.length };
}
