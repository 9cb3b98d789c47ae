/**
 * Reading patch mail in whatever shape it arrives: an mbox (mboxo or
 * mboxrd), a single RFC 2822 / `git format-patch` file, a copy of a web
 * archive page, a reply quoting the patch, or a mail whose line breaks were
 * lost.  Every message keeps where it sits in the input.
 *
 *   const { messages, problems } = await readInput('series.mbox', bytes);
 *
 * readInput never throws: what cannot be read becomes a Problem at its line.
 */
import type { MailMessage, MessageShape, Problem, ReadResult } from '../types.js';
import { binaryToBytes, decodeUnlabelled } from './charset.js';
import { looksDamaged, readDamagedLine } from './damaged.js';
import { isHeaderLine } from './headers.js';
import { firstContentLine, looksLikeMboxrd, splitMbox } from './mbox.js';
import { emptyMessage, readMessage } from './message.js';
import { extractQuotedDiffs } from './quoted.js';
import { makeSource, type Source } from './source.js';
import { findEmbeddedHeaders, findPostedBy, readLorePage, readOpenwallPage } from './web.js';

export type { Source } from './source.js';
export { isFromLine } from './mbox.js';

export interface ReadOptions {
  /**
   * Undo mboxrd `>From ` escaping.  Default: when the file name ends in
   * `.mboxrd` or a `>>From ` line shows the writer escaped.
   */
  mboxrd?: boolean;
}

export async function readInput(file: string, data: string | Uint8Array, options: ReadOptions = {}): Promise<ReadResult> {
  const problems: Problem[] = [];
  let src: Source;
  try {
    src = makeSource(file, data);
  } catch (e) {
    problems.push({ file, line: 1, column: 1, kind: 'unreadable', message: `input could not be read: ${errText(e)}` });
    return { file, messages: [], problems };
  }
  const nul = firstNul(src);
  if (nul) {
    problems.push({ file, ...nul, kind: 'binary', message: 'binary data, not mail: a NUL byte here (no mail or patch text holds one)' });
    return { file, messages: [], problems };
  }
  const html = htmlStart(src);
  if (html) {
    problems.push({
      file,
      line: html,
      column: 1,
      kind: 'html',
      message: "an HTML page, not a mail: its headers and quoting are markup and may be lost; save the raw message instead (lore: the 'raw' link)",
    });
  }
  try {
    const messages = await readMessages(src, options, problems);
    return { file, messages, problems };
  } catch (e) {
    // A bug of ours must not take the reviewer's whole session down.
    problems.push({ file, line: 1, column: 1, kind: 'internal', message: `mail reader failed: ${errText(e)}` });
    return { file, messages: [], problems };
  }
}

/** Line (1-based) of a `<!DOCTYPE html>` / `<html>` opening the input, or 0. */
function htmlStart(src: Source): number {
  const first = firstContentLine(src.idx);
  if (first >= src.idx.count) return 0;
  return /^\s*<(?:!doctype\s+html|html)[\s>]/i.test(src.idx.line(first)) ? first + 1 : 0;
}

/** Where git's binary test looks: a NUL in the first 8000 bytes. */
const BINARY_PROBE = 8000;

/** Line and column of a NUL near the start of the input, if any. */
function firstNul(src: Source): { line: number; column: number } | null {
  const text = src.idx.text;
  const at = text.slice(0, BINARY_PROBE).indexOf('\0');
  if (at < 0) return null;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function readMessages(src: Source, options: ReadOptions, problems: Problem[]): Promise<MailMessage[]> {
  const first = firstContentLine(src.idx);
  if (first >= src.idx.count) return [];
  const spans = splitMbox(src.idx, first);
  if (spans.length === 1 && !spans[0].hasFromLine) {
    const damaged = findDamagedLines(src, first, src.idx.count);
    if (damaged.length > 0) return readDamaged(src, damaged, 0);
  } else {
    src.mboxrd = options.mboxrd ?? looksLikeMboxrd(src.file, src.idx.text);
    const out: MailMessage[] = [];
    for (let k = 0; k < spans.length; k++) {
      const s = spans[k];
      // One message of the mbox may have lost its line breaks on its own.
      const broken = findDamagedLines(src, s.first + 1, s.end);
      if (broken.length > 0) out.push(...readDamaged(src, broken, out.length));
      else out.push(await readSafely(src, s.first, s.end, out.length, 'mbox', s.hasFromLine, problems));
    }
    return out;
  }
  // Not an mbox: a single mail, or a copy of one in another shape.
  if (isHeaderLine(src.idx.line(first))) {
    return [await readSafely(src, first, src.idx.count, 0, 'rfc2822', false, problems)];
  }
  const posted = findPostedBy(src, first);
  if (posted.length > 0) return withQuotedDiffs(readLorePage(src, posted));
  const embedded = findEmbeddedHeaders(src, first);
  if (embedded !== -1) {
    try {
      return withQuotedDiffs([await readOpenwallPage(src, embedded)]);
    } catch (e) {
      problems.push({ file: src.file, line: embedded + 1, column: 1, kind: 'internal', message: `page could not be read: ${errText(e)}` });
      return [];
    }
  }
  // No headers anywhere: a reply body (quoting the patch, often) or bare text.
  const m = await readSafely(src, first, src.idx.count, 0, 'rfc2822', false, problems);
  if (m.quotedDiffs.length > 0 || hasQuotedLines(m.body)) m.shape = 'quoted-reply';
  return [m];
}

/** Lines (0-based) in [from, to) that hold a whole mail without its line breaks. */
function findDamagedLines(src: Source, from: number, to: number): number[] {
  const { idx } = src;
  const chars = idx.start(to) - idx.start(from);
  // Cheap pre-check: damaged mail means few, very long lines.
  if (to <= from || chars / (to - from) < 200) return [];
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    if (idx.end(i) - idx.start(i) < 1000) continue;
    if (looksDamaged(idx.line(i))) out.push(i);
  }
  // A normal mail may carry one long line (a DKIM blob, a long diff line):
  // only call the text damaged when the damaged lines hold most of it.
  let damagedChars = 0;
  for (const i of out) damagedChars += idx.end(i) - idx.start(i);
  return damagedChars * 2 >= chars ? out : [];
}

function readDamaged(src: Source, lines: number[], firstIndex: number): MailMessage[] {
  const out: MailMessage[] = [];
  for (const i of lines) {
    let text = src.idx.line(i);
    if (src.binary) text = decodeUnlabelled(binaryToBytes(text));
    for (const m of readDamagedLine(src.file, text, i + 1, firstIndex + out.length)) out.push(m);
  }
  return out;
}

function hasQuotedLines(body: string): boolean {
  return /^>/m.test(body);
}

function withQuotedDiffs(messages: MailMessage[]): MailMessage[] {
  for (const m of messages) addQuotedDiffs(m);
  return messages;
}

/** One message; a failure inside becomes a Problem at the message's first line. */
async function readSafely(
  src: Source,
  first: number,
  end: number,
  index: number,
  shape: MessageShape,
  hasFromLine: boolean,
  problems: Problem[],
): Promise<MailMessage> {
  try {
    return addQuotedDiffs(await readMessage(src, first, end, index, shape, hasFromLine));
  } catch (e) {
    problems.push({ file: src.file, line: first + 1, column: 1, kind: 'internal', message: `message could not be read: ${errText(e)}` });
    return emptyMessage(src, first, end, index);
  }
}

/** Fills `quotedDiffs` (and attributions) from the body's quoted lines. */
function addQuotedDiffs(m: MailMessage): MailMessage {
  if (m.body.indexOf('\n>') === -1 && !m.body.startsWith('>')) return m;
  const lines = m.body.endsWith('\n') ? m.body.slice(0, -1).split('\n') : m.body.split('\n');
  const { diffs, attributions } = extractQuotedDiffs(lines, m.bodyMap);
  m.quotedDiffs = diffs;
  if (attributions.length > 0) {
    m.attributions = attributions.map((a) => ({ depth: a.depth, name: a.name, email: a.email, line: m.bodyMap.line(a.bodyLine) }));
  }
  return m;
}

export { isHeaderLine };
export { parseAuthor, parseAddressList } from './address.js';
export { extractQuotedDiffs, parseAttribution, quotePrefix } from './quoted.js';
export { commitIdentity, isPatchBreak, type CommitIdentity } from './inbody.js';
