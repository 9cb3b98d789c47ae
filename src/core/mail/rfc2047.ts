/**
 * RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?gb2312?B?...?=`) in headers.
 *
 * Like git mailinfo's decode_header(): whitespace between two adjacent
 * encoded words is dropped, and the bytes of adjacent words in the same
 * charset are joined before decoding, so a multi-byte character split over
 * two words survives.
 */
import { decodeBytes } from './charset.js';

// Bounded classes only: no nested quantifiers, so no backtracking blowup on
// long header lines.
const ENCODED_WORD = /=\?([^?\s]{1,80})\?([bBqQ])\?([^?\s]*)\?=/g;

interface Word {
  start: number;
  end: number;
  charset: string;
  bytes: Uint8Array;
}

export interface Decoded2047 {
  text: string;
  /** Charsets that could not be decoded (the word is decoded as UTF-8 / latin-1). */
  unknownCharsets: string[];
}

export function decodeEncodedWords(value: string): Decoded2047 {
  if (value.indexOf('=?') === -1) return { text: value, unknownCharsets: [] };
  const words: Word[] = [];
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(value); m !== null; m = ENCODED_WORD.exec(value)) {
    // RFC 2231 language suffix: `=?utf-8*en?Q?...?=`
    const charset = m[1].split('*')[0];
    const bytes = m[2] === 'b' || m[2] === 'B' ? decodeB(m[3]) : decodeQ(m[3]);
    words.push({ start: m.index, end: m.index + m[0].length, charset, bytes });
  }
  if (words.length === 0) return { text: value, unknownCharsets: [] };

  const unknown: string[] = [];
  let out = '';
  let pos = 0;
  let i = 0;
  while (i < words.length) {
    out += value.slice(pos, words[i].start);
    // Gather a run of words separated only by whitespace, in one charset.
    let j = i;
    let total = words[i].bytes.length;
    while (
      j + 1 < words.length &&
      /^\s*$/.test(value.slice(words[j].end, words[j + 1].start)) &&
      words[j + 1].charset.toLowerCase() === words[i].charset.toLowerCase()
    ) {
      j++;
      total += words[j].bytes.length;
    }
    const joined = new Uint8Array(total);
    let off = 0;
    for (let k = i; k <= j; k++) {
      joined.set(words[k].bytes, off);
      off += words[k].bytes.length;
    }
    const dec = decodeBytes(joined, words[i].charset);
    if (!dec.ok) unknown.push(words[i].charset);
    out += dec.text;
    pos = words[j].end;
    // Whitespace between this run and a following encoded word (other charset) is dropped too.
    if (j + 1 < words.length && /^\s*$/.test(value.slice(pos, words[j + 1].start))) pos = words[j + 1].start;
    i = j + 1;
  }
  out += value.slice(pos);
  return { text: out, unknownCharsets: unknown };
}

function decodeB(s: string): Uint8Array {
  return Buffer.from(s, 'base64');
}

function decodeQ(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5f) out.push(0x20); // '_' is a space in Q encoding
    else if (c === 0x3d && i + 2 < s.length + 0 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out.push(parseInt(s.substr(i + 1, 2), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Uint8Array.from(out);
}

export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
