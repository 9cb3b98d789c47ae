/**
 * One RFC 2822 message (from an mbox or a single file) into a MailMessage.
 */
import PostalMime from 'postal-mime';
import type { MailMessage, MessageShape, Problem } from '../types.js';
import { binaryToBytes } from './charset.js';
import { decodeHeaders, readHeaderBlock } from './headers.js';
import { readInBodyHeaders } from './inbody.js';
import { eachLine, PointLineMap } from './lines.js';
import { decodeBody, joinLines, problemAt, stripLineEndCRs } from './mime.js';
import { isGtFrom } from './mbox.js';
import type { Source } from './source.js';

/**
 * Reads lines [first, end) (0-based) as one message.  `hasFromLine`: the
 * first line is an mbox separator, not a header.
 */
export async function readMessage(
  src: Source,
  first: number,
  end: number,
  index: number,
  shape: MessageShape,
  hasFromLine: boolean,
): Promise<MailMessage> {
  const problems: Problem[] = [];
  let headerStart = hasFromLine ? first + 1 : first;
  // Some archives keep an escaped separator (`>From ...`) on top as well.
  while (headerStart < end && isGtFrom(src.idx.line(headerStart)) && !src.idx.line(headerStart).includes(':', 6)) {
    headerStart++;
  }
  const block = readHeaderBlock(src.idx, headerStart, end, src.binary);
  const h = decodeHeaders(block.headers);
  for (const u of h.unknownCharsets) {
    problems.push({ file: src.file, line: u.line, column: 1, kind: 'mime-decode', message: `unknown charset "${u.charset}" in an encoded word` });
  }
  const body = decodeBody(src, block.bodyStart, end, h.contentType, h.transferEncoding);
  problems.push(...body.problems);
  let text = body.text;
  let map = body.map;
  if (body.needsFallback) {
    // HTML-only or unusual MIME: let postal-mime turn it into text; we can
    // only say it comes from somewhere in the body.
    const fallback = await postalText(src, headerStart, end);
    if (fallback !== null) {
      const lines = stripLineEndCRs(fallback.replace(/\n$/, '')).split('\n');
      text = joinLines(lines);
      map = new PointLineMap(lines.length, Math.min(block.bodyStart, end - 1) + 1);
    } else {
      problems.push(problemAt(src, block.bodyStart, 'mime-decode', 'no readable text part in this message'));
    }
  }
  const inBody = readInBodyHeaders(eachLine(text), map);
  const msg: MailMessage = {
    file: src.file,
    index,
    shape,
    startLine: first + 1,
    endLine: Math.max(first + 1, end),
    headers: h.headers,
    subject: h.subject,
    from: h.from,
    to: h.to,
    cc: h.cc,
    date: h.date,
    messageId: h.messageId,
    inReplyTo: h.inReplyTo,
    references: h.references,
    body: text,
    bodyMap: map,
    quotedDiffs: [],
    problems,
  };
  if (inBody.length > 0) msg.inBody = inBody;
  return msg;
}

/** A message with nothing read yet, spanning lines [first, end) (0-based). */
export function emptyMessage(src: Source, first: number, end: number, index: number): MailMessage {
  return {
    file: src.file,
    index,
    shape: 'rfc2822',
    startLine: first + 1,
    endLine: Math.max(first + 1, end),
    headers: [],
    subject: '',
    from: null,
    to: [],
    cc: [],
    date: null,
    messageId: null,
    inReplyTo: null,
    references: [],
    body: '',
    bodyMap: { length: 0, line: () => first + 1, column: () => 1, exact: () => false },
    quotedDiffs: [],
    problems: [],
  };
}

async function postalText(src: Source, first: number, end: number): Promise<string | null> {
  const raw = src.idx.text.slice(src.idx.start(first), src.idx.start(end));
  const bytes = src.binary ? binaryToBytes(raw) : Buffer.from(raw, 'utf8');
  try {
    const email = await PostalMime.parse(bytes, { maxNestingDepth: 32 });
    if (email.text !== undefined) return email.text;
    return email.html !== undefined ? htmlToText(email.html) : null;
  } catch {
    return null;
  }
}

/** Rough HTML to text for HTML-only mail: tags out, common entities decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^<>]{0,2000}>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d{1,6});/g, (_m, d: string) => String.fromCodePoint(Math.min(0x10ffff, parseInt(d, 10))))
    .replace(/&amp;/g, '&');
}
