/**
 * Text copied from web archive pages.
 *
 * - lore / lkml style pages, where each mail is a subject line, then
 *   "Posted by NAME 1 week, 6 days ago" where the headers would be, then
 *   the body;
 * - lists.openwall.net pages, where navigation text surrounds one mail whose
 *   headers sit in the middle of the page (addresses obfuscated as
 *   `akpm@...ux-foundation.org`).
 *
 * Both are recognised from their content, never from the file name.
 */
import type { MailMessage } from '../types.js';
import { isHeaderLine } from './headers.js';
import { readInBodyHeaders } from './inbody.js';
import { emptyMessage, readMessage } from './message.js';
import { decodeBody, splitBody } from './mime.js';
import type { Source } from './source.js';

/** "Posted by NAME <age> ago" / "Posted by NAME on <date>". */
const POSTED_BY = /^Posted by (.+?)\s+(?:(?:\d+\s+[a-z]+,?\s*)+ago|on\s.+|at\s.+)\s*$/;

export function postedBy(line: string): string | null {
  if (!line.startsWith('Posted by ') || line.length > 300) return null;
  const m = POSTED_BY.exec(line);
  return m ? m[1].trim() : null;
}

/** Lines (0-based) that are "Posted by" lines. */
export function findPostedBy(src: Source, from: number): number[] {
  const out: number[] = [];
  const { idx } = src;
  for (let i = from; i < idx.count; i++) {
    if (idx.text.charCodeAt(idx.start(i)) !== 80) continue; // 'P'
    if (postedBy(idx.line(i)) !== null) out.push(i);
  }
  return out;
}

/** A subject line stands right above "Posted by" when it looks like one. */
function subjectAbove(src: Source, i: number, floor: number): string | null {
  if (i - 1 < floor) return null;
  const s = src.idx.line(i - 1).trim();
  if (s === '' || s.length > 300) return null;
  if (/^(?:re|fwd?|aw|sv|答复|回复)\s*:/i.test(s) || /^\[[^\]]{0,120}\]/.test(s)) return s;
  return null;
}

export function readLorePage(src: Source, posted: number[]): MailMessage[] {
  const out: MailMessage[] = [];
  // Where each mail starts: its subject line, else its "Posted by" line.
  const starts = posted.map((p, k) => {
    const floor = k === 0 ? 0 : posted[k - 1] + 1;
    return subjectAbove(src, p, floor) !== null ? p - 1 : p;
  });
  for (let k = 0; k < posted.length; k++) {
    const p = posted[k];
    const start = starts[k];
    const end = k + 1 < posted.length ? starts[k + 1] : src.idx.count;
    const subject = start < p ? src.idx.line(start).trim() : '';
    const name = postedBy(src.idx.line(p)) ?? '';
    const body = decodeBody(src, p + 1, end, null, null);
    const lines = splitBody(body.text);
    const email = name ? ownTrailerEmail(lines, name) : '';
    out.push({
      ...emptyMessage(src, start, end, k),
      shape: 'lore-page',
      subject,
      from: name ? { name, email } : null,
      body: body.text,
      bodyMap: body.map,
      problems: body.problems,
    });
    // A patch sent on someone's behalf keeps its `From:` line at the top of the body.
    const inBody = readInBodyHeaders(lines, body.map);
    if (inBody.length > 0) out[out.length - 1].inBody = inBody;
  }
  return out;
}

/**
 * An openwall-style page: the first line of a header block (at least three
 * header lines in a row, among them From: and Subject:/Date:/Message-Id:)
 * that comes after some page text, within the first 200 lines.
 */
export function findEmbeddedHeaders(src: Source, from: number): number {
  const { idx } = src;
  const limit = Math.min(idx.count, from + 200);
  for (let i = from + 1; i < limit; i++) {
    if (!isHeaderLine(idx.line(i))) continue;
    let j = i;
    let hasFrom = false;
    let hasOther = false;
    let count = 0;
    while (j < idx.count && j - i < 200) {
      const line = idx.line(j);
      if (isHeaderLine(line)) {
        count++;
        const name = line.slice(0, line.indexOf(':')).toLowerCase();
        if (name === 'from') hasFrom = true;
        if (name === 'subject' || name === 'date' || name === 'message-id') hasOther = true;
      } else if (!(line.startsWith(' ') || line.startsWith('\t')) || line.trim() === '') break;
      j++;
    }
    if (count >= 3 && hasFrom && hasOther) return i;
    i = j;
  }
  return -1;
}

/** Page text after the mail: the archive's footer. */
const PAGE_FOOTER = /^(?:Powered by blists|Powered by Openwall|\[<prev\] \[next>\]|Please check this out)/;

export async function readOpenwallPage(src: Source, headerLine: number): Promise<MailMessage> {
  let end = src.idx.count;
  for (let i = headerLine; i < src.idx.count; i++) {
    if (PAGE_FOOTER.test(src.idx.line(i))) {
      end = i;
      break;
    }
  }
  while (end > headerLine + 1 && src.idx.line(end - 1).trim() === '') end--;
  return readMessage(src, headerLine, end, 0, 'openwall-page', false);
}

/**
 * The page shows no address, but the poster's own `Signed-off-by:` /
 * `Reviewed-by:` ... line in the same mail, under the same name, usually
 * does; unquoted lines only.  '' when none matches.
 */
function ownTrailerEmail(lines: string[], name: string): string {
  const want = name.toLowerCase();
  for (const line of lines) {
    if (line.length > 300 || line.startsWith('>')) continue;
    const m = /^[A-Za-z]+(?:-[A-Za-z]+)*-by:\s*(.+?)\s*<([^<>\s@]+@[^<>\s]+)>\s*$/.exec(line);
    if (m && m[1].replace(/^"|"$/g, '').toLowerCase() === want) return m[2];
  }
  return '';
}
