/**
 * One message's body cut the way `git am` cuts it: commit message, the notes
 * after `---`, the diff; plus what a reviewer wants at a glance (author,
 * files, trailers, the upstream commit of a backport).
 */
import type { Address, MailMessage } from '../types.js';
import { SplitLines } from '../mail/lines.js';
import { diffStat } from '../diff/index.js';
import { readCommit } from '../trailers/commit.js';
import { readStatEntries } from './cover.js';
import { parseSubject } from './subject.js';
import type { FileStat, Patch, SubjectInfo } from './types.js';

/** Where the parts of a body start, as 0-based body line numbers. */
export interface BodyLayout {
  /** End (exclusive) of the commit message: the `---` line, the diff or the end. */
  messageEnd: number;
  /** First line of the diff, or -1. */
  diffStart: number;
  /** End (exclusive) of the diff: a `-- ` signature line or the end. */
  diffEnd: number;
}

/**
 * Finds the `---` separator, the diff and the signature, in one pass over
 * the body's lines (`body.split('\n')`, kept as offsets: no line is copied).
 */
export function layoutBody(lines: SplitLines): BodyLayout {
  let separator = -1;
  let diffStart = -1;
  for (let i = 0; i < lines.length; i++) {
    if (separator < 0 && lines.is(i, '---')) separator = i;
    if (isDiffStart(lines, i)) {
      diffStart = i;
      break;
    }
  }
  let diffEnd = lines.length;
  if (diffStart >= 0) {
    // git format-patch ends with "-- \n2.43.0"; a mailer signature looks alike.
    for (let i = lines.length - 1; i > diffStart; i--) {
      if (lines.is(i, '-- ')) {
        diffEnd = i;
        break;
      }
    }
  }
  let messageEnd = lines.length;
  if (separator >= 0) messageEnd = separator;
  else if (diffStart >= 0) messageEnd = diffStart;
  return { messageEnd, diffStart, diffEnd };
}

function isDiffStart(lines: SplitLines, i: number): boolean {
  if (lines.startsWith(i, 'diff --git ') || lines.startsWith(i, 'Index: ')) return true;
  if (lines.startsWith(i, '--- ') && i + 1 < lines.length && lines.startsWith(i + 1, '+++ ')) {
    return true;
  }
  return false;
}

/** `commit X upstream.` (stable), `[ Upstream commit X ]`, `(cherry picked from commit X)`. */
const UPSTREAM_MARKERS = [
  /^commit ([0-9a-f]{12,40}) upstream\.?\s*$/im,
  /^\[\s*Upstream commit ([0-9a-f]{12,40})\s*\]\s*$/im,
  /\(cherry picked from commit ([0-9a-f]{7,40})\)/i,
];

export function findUpstreamCommit(text: string): string | null {
  for (const marker of UPSTREAM_MARKERS) {
    const match = marker.exec(text);
    if (match) return match[1];
  }
  return null;
}

/**
 * An in-body header (`From:`, `Subject:`, `Date:`).  `git am` honours them
 * over the mail's own only when the message carries a patch (mailinfo.c
 * handle_info: "only print inbody headers if we output a patch file").
 */
function inBodyHeader(message: MailMessage, name: string, hasPatch: boolean): string | null {
  if (!hasPatch) return null;
  const header = message.inBody?.find((h) => h.name.toLowerCase() === name);
  return header ? header.value : null;
}

/**
 * The author: an in-body `From:` (a patch sent on someone's behalf) over the
 * header.  An in-body From with no address is ignored: git would print an
 * empty author, the header's is the better guess.
 */
function authorOf(message: MailMessage, hasPatch: boolean): Address | null {
  const inBody = inBodyHeader(message, 'from', hasPatch);
  if (inBody !== null) {
    const parsed = parseAddress(inBody);
    if (parsed?.email) return parsed;
  }
  return message.from;
}

/** `Name <a@b>`, `"Name" <a@b>`, `a@b (Name)`, `a@b`. */
export function parseAddress(value: string): Address | null {
  const text = value.trim();
  if (!text) return null;
  const angle = /^(.*?)<([^<>]*)>\s*$/.exec(text);
  if (angle) {
    const name = angle[1].trim().replace(/^"(.*)"$/, '$1').trim();
    const email = angle[2].trim();
    return { name: name || email, email };
  }
  const comment = /^(\S+@\S+)\s*\((.*)\)\s*$/.exec(text);
  if (comment) return { name: comment[2].trim() || comment[1], email: comment[1] };
  return { name: text, email: /@/.test(text) ? text : '' };
}

/** No readable diff: the files the diffstat after `---` names, if any. */
function statOnly(lines: SplitLines, layout: BodyLayout): FileStat[] {
  if (layout.messageEnd >= lines.length) return [];
  return readStatEntries(lines.slice(layout.messageEnd + 1, layout.diffStart >= 0 ? layout.diffStart : lines.length).join('\n'));
}

/** Reads one message as a patch (or a cover letter: then `diff` is ''). */
export function readPatch(message: MailMessage, subject: SubjectInfo = parseSubject(message.subject)): Patch {
  // The body's lines as offsets, not strings: a 20 MB diff is one slice of
  // the body, never split into lines and joined back (issue 13).
  const lines = new SplitLines(message.body);
  const layout = layoutBody(lines);
  const commitLines = lines.slice(0, layout.messageEnd);
  const commitText = commitLines.join('\n');
  // The commit git am would make: in-body headers out, the Subject as title.
  const commit = readCommit(message, subject.version, lines, layout.messageEnd);
  const diff = layout.diffStart >= 0 ? lines.joinWithLF(layout.diffStart, layout.diffEnd) : '';
  // The commit title is the in-body Subject when there is one; the mail's
  // own subject still decides the counter and version.
  const hasPatch = layout.messageEnd < lines.length;
  const inBodySubject = inBodyHeader(message, 'subject', hasPatch);
  const commitSubject = inBodySubject !== null ? { ...subject, title: parseSubject(inBodySubject).title } : subject;
  return {
    message,
    subject: commitSubject,
    author: authorOf(message, hasPatch),
    date: inBodyHeader(message, 'date', hasPatch) ?? message.date,
    commitMessage: commit.message,
    trailers: commit.trailers,
    diff,
    diffBodyLine: layout.diffStart,
    // Counted from the body's lines (the same lines as the diff's): reading
    // `diff` itself would make V8 copy it whole when it ends the body.
    files: diff ? diffStat(lines.range(layout.diffStart, layout.diffEnd)) : statOnly(lines, layout),
    upstreamCommit: findUpstreamCommit(commitText),
  };
}
