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
import type { MailMessage, Problem, ReadResult } from '../types.js';
import { isHeaderLine } from './headers.js';
import { firstContentLine, looksLikeMboxrd, splitMbox } from './mbox.js';
import { readMessage } from './message.js';
import { makeSource, type Source } from './source.js';

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
  try {
    const messages = await readMessages(src, options, problems);
    return { file, messages, problems };
  } catch (e) {
    // A bug of ours must not take the reviewer's whole session down.
    problems.push({ file, line: 1, column: 1, kind: 'internal', message: `mail reader failed: ${errText(e)}` });
    return { file, messages: [], problems };
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function readMessages(src: Source, options: ReadOptions, problems: Problem[]): Promise<MailMessage[]> {
  const first = firstContentLine(src.idx);
  if (first >= src.idx.count) return [];
  const spans = splitMbox(src.idx, first);
  if (spans.length === 1 && !spans[0].hasFromLine) {
    return [await readSafely(src, first, src.idx.count, 0, false, problems)];
  }
  src.mboxrd = options.mboxrd ?? looksLikeMboxrd(src.file, src.idx.text);
  const out: MailMessage[] = [];
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k];
    out.push(await readSafely(src, s.first, s.end, k, true, problems));
  }
  return out;
}

/** One message; a failure inside becomes a Problem at the message's first line. */
async function readSafely(
  src: Source,
  first: number,
  end: number,
  index: number,
  mbox: boolean,
  problems: Problem[],
): Promise<MailMessage> {
  try {
    return await readMessage(src, first, end, index, mbox ? 'mbox' : 'rfc2822', mbox);
  } catch (e) {
    problems.push({ file: src.file, line: first + 1, column: 1, kind: 'internal', message: `message could not be read: ${errText(e)}` });
    return emptyMessage(src, first, end, index);
  }
}

function emptyMessage(src: Source, first: number, end: number, index: number): MailMessage {
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

export { isHeaderLine };
export { commitIdentity, isPatchBreak, type CommitIdentity } from './inbody.js';
