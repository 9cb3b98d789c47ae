/**
 * Mail whose line breaks were lost (copied from a page that collapsed white
 * space): the whole message, headers, commit message and diff, on one line.
 *
 * What can still be trusted is recovered by pattern: the headers by their
 * names, the commit message up to its trailers, each trailer (split at every
 * `Key-by:`), the `(cherry picked from commit X)` line and the diffstat
 * entries.  Recovered lines are put in the body with line breaks re-inserted,
 * each mapped to the damaged input line at the column where it starts
 * (never exact).  The diff itself cannot be rebuilt (its context lines need
 * their line breaks), so a `damaged-diff` problem points at it.
 */
import type { Address, Header, MailMessage, Problem } from '../types.js';
import { isObfuscated, splitAddressList } from './address.js';
import { messageIds, normaliseSpace } from './headers.js';
import { PointLineMap } from './lines.js';
import { decodeEncodedWords } from './rfc2047.js';

/** A line this long holding several header names is a mail without line breaks. */
const MIN_DAMAGED_LENGTH = 1000;

const HEADER_NAMES =
  'Received|From|To|Cc|Subject|Date|Message-I[Dd]|In-Reply-To|References|MIME-Version|Mime-Version|Content-Type|' +
  'Content-Transfer-Encoding|Precedence|List-[A-Za-z]{1,20}|X-[A-Za-z0-9-]{1,40}|ARC-[A-Za-z-]{1,40}|' +
  'Authentication-Results|DKIM-Signature|Return-Path|Delivered-To|Sender|Reply-To|User-Agent|Organization|Content-Language';
const HEADER_TOKEN = new RegExp(`(?:^|\\s)(${HEADER_NAMES}):(?=\\s)`, 'g');

const TRAILER_TOKEN =
  /(?:^|\s)((?:[A-Z][a-z]{1,20}-){0,3}[A-Z]?[a-z]{1,20}-by|Link|Cc|Fixes|Closes|Bug|BugLink|Message-ID|Change-Id):\s/g;
const CHERRY_PICK = /\(cherry picked from commit [0-9a-f]{7,40}\)/g;
const UPSTREAM = /(?:\[ [Uu]pstream commit [0-9a-f]{7,40} \]|\bcommit [0-9a-f]{40} upstream\.?)/g;
const DIFF_START = /(?:^|\s)diff --git a\//;
/** mbox separators written into the damaged line. */
const MBOX_FROM = /(?:^|\s)From \S{1,100} (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4}(?=\s)/g;

/** Whether one input line holds a whole mail whose line breaks were lost. */
export function looksDamaged(line: string): boolean {
  if (line.length < MIN_DAMAGED_LENGTH) return false;
  let hits = 0;
  for (const name of [' Subject: ', ' Date: ', 'From: ', ' Message-ID: ', ' Message-Id: ', ' To: ']) {
    if (line.includes(name)) hits++;
  }
  return hits >= 3;
}

/** The messages in one damaged line (several when mbox separators are in it). */
export function readDamagedLine(file: string, line: string, lineNo: number, firstIndex: number): MailMessage[] {
  const cuts: number[] = [];
  MBOX_FROM.lastIndex = 0;
  for (let m = MBOX_FROM.exec(line); m !== null; m = MBOX_FROM.exec(line)) {
    cuts.push(m.index + (m[0].startsWith('From') ? 0 : 1));
  }
  // Text before the first separator is a message too (the separator may be missing).
  if (cuts.length === 0 || (cuts[0] > 0 && line.slice(0, cuts[0]).trim() !== '')) cuts.unshift(0);
  const out: MailMessage[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const seg = line.slice(cuts[k], k + 1 < cuts.length ? cuts[k + 1] : line.length);
    out.push(readDamagedMessage(file, seg, cuts[k], lineNo, firstIndex + k));
  }
  return out;
}

interface Piece {
  text: string;
  /** Offset in the input line. */
  at: number;
}

function readDamagedMessage(file: string, seg: string, base: number, lineNo: number, index: number): MailMessage {
  const problems: Problem[] = [];
  const pos = (offset: number): { file: string; line: number; column: number } => ({ file, line: lineNo, column: base + offset + 1 });

  // Header tokens, in order.
  const tokens: { name: string; start: number; valueStart: number }[] = [];
  HEADER_TOKEN.lastIndex = 0;
  for (let m = HEADER_TOKEN.exec(seg); m !== null; m = HEADER_TOKEN.exec(seg)) {
    const start = m.index + (m[0].length - m[1].length - 1);
    tokens.push({ name: m[1], start, valueStart: m.index + m[0].length });
  }
  const headers: Header[] = [];
  const seen = new Set<string>();
  let bodyStart = seg.length;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const key = t.name.toLowerCase();
    const valueEnd = k + 1 < tokens.length ? tokens[k + 1].start : seg.length;
    // A second From/Subject/Date after the mail's own is an in-body header:
    // the body starts there.
    if ((key === 'from' || key === 'subject' || key === 'date') && seen.has(key) && seen.has('subject')) {
      bodyStart = t.start;
      break;
    }
    let value = seg.slice(t.valueStart, valueEnd).trim();
    // Some headers really are long (ARC seals swallow what follows them
    // when their `name:` has no space after it); only once the mail's own
    // From and Subject are read does a very long value mean the body.
    if (value.length > MIN_DAMAGED_LENGTH && seen.has('from') && seen.has('subject')) {
      // No header is this long: the body began inside it, after one word.
      const word = /^\S*/.exec(value)?.[0] ?? '';
      value = word;
      const after = seg.indexOf(word, t.valueStart) + word.length;
      headers.push({ name: t.name, value, line: lineNo });
      bodyStart = after;
      break;
    }
    seen.add(key);
    headers.push({ name: t.name, value: decodeEncodedWords(value).text, line: lineNo });
  }
  if (tokens.length === 0) bodyStart = 0;

  const get = (name: string): Header | undefined => headers.find((h) => h.name.toLowerCase() === name);
  const subject = normaliseSpace(get('subject')?.value ?? '');
  const fromValue = get('from')?.value ?? null;

  // ---- body ----
  const pieces: Piece[] = [];
  const bodyText = seg.slice(bodyStart);
  const diffMatch = DIFF_START.exec(bodyText);
  const diffAt = diffMatch ? diffMatch.index + (diffMatch[0].startsWith('diff') ? 0 : 1) : -1;
  const textEnd = diffAt === -1 ? bodyText.length : diffAt;
  const text = bodyText.slice(0, textEnd);

  // Trailer names seen in the body help cut the in-body From (its <email> is usually lost too).
  const trailerNames = new Set<string>();
  TRAILER_TOKEN.lastIndex = 0;
  for (let m = TRAILER_TOKEN.exec(text); m !== null; m = TRAILER_TOKEN.exec(text)) {
    const v = /^[^<,(]{1,80}?(?=\s+(?:<|\(|[A-Z][a-z]*(?:-[a-z]+)*-by:|Cc:|Link:|Signed|$))/.exec(text.slice(m.index + m[0].length));
    if (v) trailerNames.add(v[0].trim());
  }

  let cursor = 0;
  const inBody: Header[] = [];
  const inBodyFrom = /^\s*From:\s/.exec(text);
  if (inBodyFrom) {
    const rest = text.slice(inBodyFrom[0].length);
    let who = '';
    for (const n of trailerNames) if (rest.startsWith(n) && n.length > who.length) who = n;
    if (!who) who = /^(?:\S+\s+){0,1}\S+/.exec(rest)?.[0] ?? '';
    const email = /^\s*<([^>\s]{1,200})>/.exec(rest.slice(who.length));
    const value = email ? `${who} <${email[1]}>` : who;
    const at = inBodyFrom.index + (inBodyFrom[0].length - inBodyFrom[0].trimStart().length);
    pieces.push({ text: `From: ${value}`, at: bodyStart + at });
    inBody.push({ name: 'From', value, line: lineNo });
    cursor = inBodyFrom[0].length + who.length + (email ? email[0].length : 0);
  }

  // Split points inside the commit message: trailers, cherry-pick and
  // upstream lines, the `---` separator.
  const splits = new Set<number>();
  const firstTrailer = firstMatch(TRAILER_TOKEN, text, cursor);
  if (firstTrailer !== -1) {
    TRAILER_TOKEN.lastIndex = Math.max(0, firstTrailer - 1); // include its leading space
    for (let m = TRAILER_TOKEN.exec(text); m !== null; m = TRAILER_TOKEN.exec(text)) splits.add(m.index + (/^\s/.test(m[0]) ? 1 : 0));
  }
  for (const re of [CHERRY_PICK, UPSTREAM]) {
    re.lastIndex = cursor;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      splits.add(m.index);
      splits.add(m.index + m[0].length);
    }
  }
  const sep = /\s---\s/.exec(text.slice(cursor));
  const sepAt = sep ? cursor + sep.index + 1 : -1;
  const messageEnd = sepAt === -1 ? text.length : sepAt;
  const points = [...splits].filter((p) => p > cursor && p < messageEnd).sort((a, b) => a - b);
  let prev = cursor;
  for (const p of [...points, messageEnd]) {
    pushPiece(pieces, text, prev, p, bodyStart);
    prev = p;
  }

  if (sepAt !== -1) {
    pieces.push({ text: '---', at: bodyStart + sepAt });
    // Diffstat: ` path | N +++--` entries and the `N files changed` summary.
    const stat = text.slice(sepAt + 3);
    const statBase = sepAt + 3;
    const entry = /(\S{1,500})\s+\|\s+(?:\d+ ?[+-]*|Bin [^|]{0,80}?bytes)(?=\s|$)/g;
    for (let m = entry.exec(stat); m !== null; m = entry.exec(stat)) {
      pieces.push({ text: ' ' + normaliseSpace(m[0]), at: bodyStart + statBase + m.index });
    }
    const summary = /\d+ files? changed(?:, \d+ insertions?\(\+\))?(?:, \d+ deletions?\(-\))?/.exec(stat);
    if (summary) pieces.push({ text: ' ' + summary[0], at: bodyStart + statBase + summary.index });
  }

  problems.push({
    ...pos(0),
    kind: 'damaged-mail',
    message: 'this mail lost its line breaks: headers, commit message, trailers and diffstat were recovered by pattern and are not exact',
  });
  if (diffAt !== -1) {
    problems.push({
      ...pos(bodyStart + diffAt),
      kind: 'damaged-diff',
      message: 'the diff could not be read because its line breaks are lost (hunks need one line per change)',
    });
  }

  const from = fromValue === null ? null : damagedAddress(fromValue);
  const to = addressList(get('to')?.value);
  const cc = addressList(get('cc')?.value);
  const msg: MailMessage = {
    file,
    index,
    shape: 'damaged',
    startLine: lineNo,
    endLine: lineNo,
    headers,
    subject,
    from,
    to,
    cc,
    date: get('date') ? normaliseSpace(get('date')!.value) : null,
    messageId: get('message-id') ? (messageIds(get('message-id')!.value)[0] ?? null) : null,
    inReplyTo: get('in-reply-to') ? (messageIds(get('in-reply-to')!.value)[0] ?? null) : null,
    references: get('references') ? messageIds(get('references')!.value) : [],
    body: pieces.map((p) => p.text + '\n').join(''),
    bodyMap: new PointLineMap(pieces.length, lineNo, pieces.map((p) => base + p.at + 1)),
    quotedDiffs: [],
    problems,
  };
  if (inBody.length > 0) msg.inBody = inBody;
  return msg;
}

function firstMatch(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index + (/^\s/.test(m[0]) ? 1 : 0) : -1;
}

function pushPiece(pieces: Piece[], text: string, start: number, end: number, bodyStart: number): void {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const t = raw.trim();
  if (t) pieces.push({ text: t, at: bodyStart + start + lead });
}

/** `Name <mail>`, a bare mail, or a bare name (its <mail> stripped by the page). */
function damagedAddress(value: string): Address | null {
  const v = normaliseSpace(value);
  if (!v) return null;
  const m = /^(.*?)\s*<([^<>\s]+)>/.exec(v);
  const addr: Address = m ? { name: m[1].replace(/^"|"$/g, ''), email: m[2] } : v.includes('@') ? { name: '', email: v } : { name: v.replace(/^"|"$/g, ''), email: '' };
  if (isObfuscated(v)) addr.obfuscated = true;
  return addr;
}

function addressList(value: string | undefined): Address[] {
  if (!value) return [];
  const out: Address[] = [];
  for (const piece of splitAddressList(value)) {
    const a = damagedAddress(piece);
    if (a) out.push(a);
  }
  return out;
}
