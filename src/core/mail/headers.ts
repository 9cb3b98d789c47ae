/**
 * RFC 2822 header blocks: unfolding, encoded words, and the few fields a
 * reviewer needs (From, To, Cc, Date, Subject, Message-ID, In-Reply-To,
 * References).
 */
import type { Header, MailMessage } from '../types.js';
import { parseAddressList, parseAuthor } from './address.js';
import { binaryToBytes, decodeUnlabelled, isAscii } from './charset.js';
import type { LineIndex } from './lines.js';
import { decodeEncodedWords } from './rfc2047.js';

/** A header as read, before decoding: `raw` is unfolded but not RFC 2047-decoded. */
export interface RawHeader {
  name: string;
  raw: string;
  /** Input line (1-based). */
  line: number;
}

// Field name: printable ASCII except colon (RFC 5322 3.6.8); bounded length.
const FIELD = /^([\x21-\x39\x3b-\x7e]{1,100}):/;

export function isHeaderLine(text: string): boolean {
  return FIELD.test(text);
}

export interface HeaderBlock {
  headers: RawHeader[];
  /** 0-based line index of the first body line (after the blank separator). */
  bodyStart: number;
  /** Whether a blank line ended the block (else a non-header line did). */
  blankEnded: boolean;
}

/**
 * Reads headers from line `from` (0-based) up to `to` (exclusive).  Like
 * git mailinfo, the block ends at a blank line (consumed) or at the first
 * line that is neither a header nor a continuation (it starts the body).
 */
export function readHeaderBlock(idx: LineIndex, from: number, to: number, binary: boolean): HeaderBlock {
  const headers: RawHeader[] = [];
  let i = from;
  let cur: { name: string; parts: string[]; line: number } | null = null;
  const flush = (): void => {
    if (!cur) return;
    let raw = cur.parts.join('');
    if (binary && !isAscii(raw)) raw = decodeUnlabelled(binaryToBytes(raw));
    headers.push({ name: cur.name, raw: raw.trim(), line: cur.line });
    cur = null;
  };
  for (; i < to; i++) {
    const text = idx.line(i);
    if (text.length === 0 || (!cur && /^[ \t]*$/.test(text))) {
      flush();
      return { headers, bodyStart: i + 1, blankEnded: true };
    }
    const c = text.charCodeAt(0);
    if ((c === 32 || c === 9) && cur) {
      if (/^[ \t]+$/.test(text)) {
        flush();
        return { headers, bodyStart: i + 1, blankEnded: true };
      }
      // Unfold: the line break goes, the leading white space stays.
      (cur as { parts: string[] }).parts.push(text);
      continue;
    }
    const m = FIELD.exec(text);
    if (!m) break;
    flush();
    cur = { name: m[1], parts: [text.slice(m[0].length)], line: i + 1 };
  }
  flush();
  return { headers, bodyStart: i, blankEnded: false };
}

/** What the message-level fields hold, decoded (the MailMessage fields, plus MIME). */
export interface DecodedHeaders
  extends Pick<MailMessage, 'headers' | 'subject' | 'from' | 'to' | 'cc' | 'date' | 'messageId' | 'inReplyTo' | 'references'> {
  contentType: string | null;
  transferEncoding: string | null;
  unknownCharsets: { charset: string; line: number }[];
}

/** Collapses runs of white space to one space, as git mailinfo's cleanup_space() does. */
export function normaliseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Message-IDs in a header value, without angle brackets. */
export function messageIds(value: string): string[] {
  const out: string[] = [];
  const re = /<([^<>\s]{1,998})>/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) out.push(m[1]);
  if (out.length === 0) {
    for (const w of value.split(/\s+/)) if (w.includes('@')) out.push(w.replace(/^<|>$/g, ''));
  }
  return out;
}

export function decodeHeaders(raw: RawHeader[]): DecodedHeaders {
  const unknownCharsets: { charset: string; line: number }[] = [];
  const decode = (h: RawHeader, s: string): string => {
    const d = decodeEncodedWords(s);
    for (const c of d.unknownCharsets) unknownCharsets.push({ charset: c, line: h.line });
    return d.text;
  };
  const headers: Header[] = [];
  const out: DecodedHeaders = {
    headers,
    subject: '',
    from: null,
    to: [],
    cc: [],
    date: null,
    messageId: null,
    inReplyTo: null,
    references: [],
    contentType: null,
    transferEncoding: null,
    unknownCharsets,
  };
  let seenSubject = false;
  let seenFrom = false;
  let seenDate = false;
  for (const h of raw) {
    const value = decode(h, h.raw);
    headers.push({ name: h.name, value, line: h.line });
    switch (h.name.toLowerCase()) {
      case 'subject':
        if (!seenSubject) out.subject = normaliseSpace(value);
        seenSubject = true;
        break;
      case 'from':
        if (!seenFrom) out.from = parseAuthor(value);
        seenFrom = true;
        break;
      case 'to':
        out.to.push(...parseAddressList(h.raw, (s) => decode(h, s)));
        break;
      case 'cc':
        out.cc.push(...parseAddressList(h.raw, (s) => decode(h, s)));
        break;
      case 'date':
        if (!seenDate) out.date = normaliseSpace(value);
        seenDate = true;
        break;
      case 'message-id':
        out.messageId ??= messageIds(h.raw)[0] ?? (normaliseSpace(h.raw) || null);
        break;
      case 'in-reply-to':
        out.inReplyTo ??= messageIds(h.raw)[0] ?? null;
        break;
      case 'references':
        out.references.push(...messageIds(h.raw));
        break;
      case 'content-type':
        out.contentType ??= h.raw;
        break;
      case 'content-transfer-encoding':
        out.transferEncoding ??= h.raw.trim().toLowerCase();
        break;
    }
  }
  return out;
}

/** Splits `text/plain; charset="x"; format=flowed` into type and lower-cased parameters. */
export function parseContentType(value: string | null): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const parts = splitParams(value);
  const type = (parts.shift() ?? '').trim().toLowerCase() || 'text/plain';
  const params: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq === -1) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let val = p.slice(eq + 1).trim();
    if (val.startsWith('"')) val = val.slice(1, val.endsWith('"') && val.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1');
    params[key] = val;
  }
  return { type, params };
}

/** Splits at `;` outside double quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === '\\' && inQuote) i++;
    else if (c === ';' && !inQuote) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}
