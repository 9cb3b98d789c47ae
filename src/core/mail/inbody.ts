/**
 * In-body headers: `From:`, `Subject:` and `Date:` lines at the top of the
 * body.  git mailinfo (handle_commit_msg / check_inbody_header, git 2.39)
 * uses them instead of the mail's own headers, which is how a patch sent on
 * someone else's behalf keeps its real author.
 */
import type { Address, Header, LineMap, MailMessage } from '../types.js';
import { parseAuthor } from './address.js';
import { normaliseSpace } from './headers.js';
import { decodeEncodedWords } from './rfc2047.js';

const INBODY = /^(from|subject|date):/i;
/** A `git format-patch` separator pasted into a body: `From <sha> Mon Sep 17 00:00:00 2001`. */
const FORMAT_PATCH_SEPARATOR = /^>?From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/;

/** Reads in-body headers from the first body lines (bounded by the body's length). */
export function readInBodyHeaders(lines: Iterable<string>, map: LineMap): Header[] {
  const out: Header[] = [];
  let cur: Header | null = null;
  let i = -1;
  for (const line of lines) {
    i++;
    if (/^\s*$/.test(line)) {
      // Blank lines before the headers are skipped; one after them ends them.
      if (out.length > 0 || cur) break;
      continue;
    }
    if (cur && (line[0] === ' ' || line[0] === '\t')) {
      cur.value = normaliseSpace(cur.value + ' ' + line);
      continue;
    }
    if (out.length === 0 && !cur && FORMAT_PATCH_SEPARATOR.test(line)) continue;
    if (/^\[PATCH\]\s/.test(line)) {
      // git takes a `[PATCH] title` line here as the subject (check_inbody_header).
      cur = null;
      out.push({ name: 'Subject', value: normaliseSpace(line), line: map.line(i) });
      continue;
    }
    const m = INBODY.exec(line);
    if (!m) break;
    const name = line.slice(0, m[1].length);
    cur = { name, value: normaliseSpace(line.slice(m[0].length)), line: map.line(i) };
    out.push(cur);
  }
  for (const h of out) h.value = normaliseSpace(decodeEncodedWords(h.value).text);
  return out;
}

/**
 * git's patchbreak(): the line where the commit message ends and the patch
 * begins (`---`, `--- file`, `diff -`, `Index: `).
 */
export function isPatchBreak(line: string): boolean {
  if (line.startsWith('diff -') || line.startsWith('Index: ')) return true;
  if (!line.startsWith('---')) return false;
  if (line.length > 4 && line[3] === ' ' && !/\s/.test(line[4])) return true;
  return /^---\s*$/.test(line);
}

/** What `git am` would record for this message: author, date and subject. */
export interface CommitIdentity {
  from: Address | null;
  date: string | null;
  subject: string;
  /** Which header each came from. */
  fromInBody: boolean;
}

/**
 * The author, date and subject `git mailinfo` would take: in-body headers
 * win over the mail's own, but only when the message carries a patch (git
 * prints them only when it wrote patch lines: handle_info, git 2.39).
 */
export function commitIdentity(msg: MailMessage): CommitIdentity {
  const out: CommitIdentity = { from: msg.from, date: msg.date, subject: msg.subject, fromInBody: false };
  if (!msg.inBody || msg.inBody.length === 0 || !hasPatchLines(msg.body)) return out;
  for (const h of msg.inBody) {
    const name = h.name.toLowerCase();
    if (name === 'from') {
      out.from = parseAuthor(h.value);
      out.fromInBody = true;
    } else if (name === 'date') out.date = h.value;
    else if (name === 'subject') out.subject = h.value;
  }
  return out;
}

/** Whether some line after a patch break exists (git's patch_lines > 0). */
function hasPatchLines(body: string): boolean {
  let pos = 0;
  while (pos < body.length) {
    const nl = body.indexOf('\n', pos);
    const end = nl === -1 ? body.length : nl;
    if (isPatchBreak(body.slice(pos, end))) return end + 1 < body.length;
    pos = end + 1;
  }
  return false;
}
