/**
 * Charset decoding.  Mail declares charsets with many spellings
 * (`ANSI_X3.4-1968`, `ISO8859-1`, `ascii`, `gb2312`); the WHATWG TextDecoder
 * labels in Node cover nearly all of them, and we add the few that mailers
 * use but WHATWG does not know.
 */

import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder | null>();

/** Spellings seen in list mail that TextDecoder does not accept as labels. */
const ALIASES: Record<string, string> = {
  'ansi_x3.4-1968': 'windows-1252',
  'iso-8859-8-i': 'iso-8859-8',
  'x-gbk': 'gbk',
  'cp936': 'gbk',
  'utf8': 'utf-8',
  'unicode-1-1-utf-7': 'utf-8',
  'iso8859-15': 'iso-8859-15',
  'iso8859-2': 'iso-8859-2',
  '8bit': 'utf-8',
  'x-user-defined': 'windows-1252',
};

function decoderFor(charset: string): TextDecoder | null {
  const key = charset.trim().toLowerCase().replace(/^"|"$/g, '');
  let d = decoders.get(key);
  if (d !== undefined) return d;
  const label = ALIASES[key] ?? key;
  try {
    d = new TextDecoder(label);
  } catch {
    d = null;
  }
  decoders.set(key, d);
  return d;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/** Whether the charset name is one we can decode. */
export function knownCharset(charset: string): boolean {
  return decoderFor(charset) !== null;
}

/**
 * Decodes bytes in the given charset.  An unknown charset falls back to
 * UTF-8 if the bytes are valid UTF-8, else windows-1252 (never throws);
 * `ok` tells the caller whether the charset was understood.
 */
export function decodeBytes(bytes: Uint8Array, charset: string | null): { text: string; ok: boolean } {
  if (!charset) return { text: decodeUnlabelled(bytes), ok: true };
  const d = decoderFor(charset);
  if (!d) return { text: decodeUnlabelled(bytes), ok: false };
  // A declared UTF-8 that is not valid UTF-8 is usually latin-1 sent by a
  // mailer that lied; git mailinfo would also keep going.
  if (d.encoding === 'utf-8') return { text: decodeUnlabelled(bytes), ok: true };
  return { text: d.decode(bytes), ok: true };
}

/** UTF-8 when the bytes are valid UTF-8, windows-1252 otherwise. */
export function decodeUnlabelled(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return cp1252.decode(bytes);
  }
}

/** Bytes of a "binary string" (one char per byte, as latin1 decoding gives). */
export function binaryToBytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** True if the string holds only 7-bit characters (nothing to decode). */
export function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[^\x00-\x7f]/.test(s);
}
