/**
 * A review reply as a mail draft, ready for `git send-email`: threading
 * headers from the original, the hunk lines that matter quoted with `> `,
 * and each finding or note of the reviewer as an inline comment under the
 * line it is about.  Pure text in, text out.
 */
import type { Finding } from '../core/findings.js';
import type { Address, MailMessage } from '../core/types.js';

export interface ReplyNote {
  /** Input line (1-based) the note is about. */
  line: number;
  text: string;
}

export interface ReplyRequest {
  message: MailMessage;
  /** The whole input document, split in lines (index 0 = line 1). */
  lines: readonly string[];
  findings: Finding[];
  notes: ReplyNote[];
  /** `Reviewed-by`, `Acked-by`, or null for no tag. */
  tag: string | null;
  identity: { name: string; email: string } | null;
}

/** Context lines quoted above a commented line, as reviewers trim them. */
const CONTEXT = 6;

/**
 * The tag line's person when no identity is known: the tag the reviewer
 * chose stays in the draft, and this asks to be filled in before sending.
 */
export const IDENTITY_PLACEHOLDER = 'Your Name <you@example.org>';

/** `Jane Doe <jane@example.org>` (or a bare address) as a name and address; null when there is no address. */
export function parseIdentity(text: string): { name: string; email: string } | null {
  const t = text.trim().slice(0, 1000);
  const angle = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(t);
  if (angle) return { name: angle[1].replace(/^"(.*)"$/, '$1').trim(), email: angle[2] };
  return /^[^\s<>@]+@[^\s<>@]+$/.test(t) ? { name: '', email: t } : null;
}

export function formatAddress(a: Address | { name: string; email: string }): string {
  if (!a.name) return a.email;
  const name = /[(),.:;<>@[\]"\\]/.test(a.name) ? `"${a.name.replace(/["\\]/g, '\\$&')}"` : a.name;
  return a.email ? `${name} <${a.email}>` : name;
}

function replySubject(subject: string): string {
  const s = subject.trim() || '(no subject)';
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}

export function composeReply(r: ReplyRequest): string {
  const m = r.message;
  const head: string[] = [];
  if (r.identity) head.push(`From: ${formatAddress(r.identity)}`);
  const self = r.identity?.email.toLowerCase();
  const to = m.from ? [m.from] : [];
  const seen = new Set(to.map((a) => a.email.toLowerCase()));
  const cc: Address[] = [];
  for (const a of [...m.to, ...m.cc]) {
    const k = a.email.toLowerCase();
    if (!k || seen.has(k) || k === self) continue;
    seen.add(k);
    cc.push(a);
  }
  if (to.length) head.push(`To: ${to.map(formatAddress).join(', ')}`);
  if (cc.length) head.push(`Cc: ${cc.map(formatAddress).join(',\n    ')}`);
  head.push(`Subject: ${replySubject(m.subject)}`);
  if (m.messageId) {
    head.push(`In-Reply-To: <${m.messageId}>`);
    const refs = [...m.references.filter((x) => x !== m.messageId), m.messageId];
    head.push(`References: ${refs.map((x) => `<${x}>`).join('\n    ')}`);
  }

  const body: string[] = [];
  const who = m.from ? m.from.name || m.from.email : 'you';
  body.push(m.date ? `On ${m.date}, ${who} wrote:` : `${who} wrote:`);

  // Comments per input line, findings first, then the reviewer's own notes.
  const comments = new Map<number, string[]>();
  const places = kernelPlaces(r.lines, m);
  for (const f of r.findings) {
    if (f.line < m.startLine || f.line > m.endLine) continue;
    addComment(comments, f.line, findingComment(f, places));
  }
  for (const n of r.notes) if (n.line >= m.startLine && n.line <= m.endLine && n.text.trim()) addComment(comments, n.line, n.text.trim());

  const lines = r.lines;
  const first = m.startLine;
  const last = Math.min(m.endLine, lines.length);
  // The commit message's first paragraph is quoted for context, trimmed.
  const diffStart = findDiffStart(lines, first, last);
  const commented = [...comments.keys()].sort((a, b) => a - b);
  let quotedUpTo = first - 1;
  if (!commented.length || commented[0] >= diffStart) {
    const intro = firstParagraph(lines, m, diffStart);
    if (intro.length) {
      body.push(...intro.map((l) => quote(l)), '');
    }
  }
  // Never quote the mail's own headers as context.
  const bodyStart = m.bodyMap.length ? m.bodyMap.line(0) : first;
  for (const line of commented) {
    const from = Math.max(line - CONTEXT, quotedUpTo + 1, line >= bodyStart ? bodyStart : first);
    if (from > quotedUpTo + 1 && quotedUpTo >= first) body.push('[...]', '');
    body.push(...quotedBlock(lines, diffStart, line, from), '');
    for (const c of comments.get(line)!) body.push(...wrap(c, 72), '');
    quotedUpTo = line;
  }
  if (r.tag) body.push(`${r.tag}: ${r.identity ? formatAddress(r.identity) : IDENTITY_PLACEHOLDER}`, '');
  return head.join('\n') + '\n\n' + body.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** The quoted lines `from`..`line`, under the diff / hunk headers the line sits in. */
function quotedBlock(lines: readonly string[], diffStart: number, line: number, from: number): string[] {
  const headers = line >= diffStart ? hunkHeaders(lines, diffStart, line, from) : [];
  const out = headers.map((h) => quote(lines[h - 1]));
  for (let l = from; l <= line; l++) out.push(quote(lines[l - 1] ?? ''));
  return out;
}

/**
 * A finding as the reviewer's inline comment.  Its message counts lines of
 * the input (an mbox line means nothing to the author): each `line N` that
 * falls in the diff becomes the kernel file and line, `mm/madvise.c:1234`.
 */
export function findingComment(f: Pick<Finding, 'message' | 'rule'>, places: Map<number, string>): string {
  const text = f.message.replace(/\b(?:at )?line (\d{1,9})\b/g, (all, n: string) => {
    const place = places.get(Number(n));
    return place ? `${all.startsWith('at ') ? 'at ' : ''}${place}` : all;
  });
  return `${text} [${f.rule}]`;
}

/**
 * Input line -> `path:line` in the kernel tree, for the diff lines of a
 * message: added and context lines by their line after the patch, removed
 * lines by their line before it.  One pass over the message.
 */
export function kernelPlaces(lines: readonly string[], m: Pick<MailMessage, 'startLine' | 'endLine'>): Map<number, string> {
  const out = new Map<number, string>();
  let oldPath = '';
  let newPath = '';
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  const last = Math.min(m.endLine, lines.length);
  for (let l = m.startLine; l <= last; l++) {
    const t = lines[l - 1] ?? '';
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(t);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      continue;
    }
    if (t.startsWith('--- ') && (lines[l] ?? '').startsWith('+++ ')) {
      oldPath = diffPath(t.slice(4));
      newPath = diffPath((lines[l] ?? '').slice(4));
      inHunk = false;
      l++;
      continue;
    }
    if (!inHunk) continue;
    const c = t === '' ? ' ' : t[0];
    if (c === ' ') {
      if (newPath) out.set(l, `${newPath}:${newLine}`);
      oldLine++;
      newLine++;
    } else if (c === '+') {
      if (newPath) out.set(l, `${newPath}:${newLine}`);
      newLine++;
    } else if (c === '-') {
      const path = oldPath || newPath;
      if (path) out.set(l, `${path}:${oldLine} (before the patch)`);
      oldLine++;
    } else if (c !== '\\') inHunk = false;
  }
  return out;
}

/** `a/mm/madvise.c` -> `mm/madvise.c`; `/dev/null` -> ''. */
function diffPath(p: string): string {
  const path = p.split('\t')[0].trim();
  if (path === '/dev/null') return '';
  return path.replace(/^[ab]\//, '');
}

/**
 * The text a quick fix adds to a reply draft: the finding's line quoted
 * under its hunk header, with a few lines of context, and the finding as
 * an inline comment.
 */
export function replyBlock(lines: readonly string[], m: MailMessage, f: Pick<Finding, 'line' | 'message' | 'rule'>): string[] {
  const first = m.startLine;
  const last = Math.min(m.endLine, lines.length);
  const diffStart = findDiffStart(lines, first, last);
  const bodyStart = m.bodyMap.length ? m.bodyMap.line(0) : first;
  const from = Math.max(f.line - CONTEXT, f.line >= bodyStart ? bodyStart : first);
  return [...quotedBlock(lines, diffStart, f.line, from), '', ...wrap(findingComment(f, kernelPlaces(lines, m)), 72)];
}

/**
 * Appends a block to a reply draft: after what is there, before the
 * closing tag line (`Reviewed-by: ...`) when the draft ends with one, with
 * `[...]` marking the cut.  A block already in the draft is not added twice.
 */
export function appendToReply(draft: string, block: readonly string[]): string {
  const text = block.join('\n');
  if (draft.includes(text)) return draft;
  const lines = draft.replace(/\s+$/, '').split('\n');
  let at = lines.length;
  if (/^[A-Z][A-Za-z-]*-by: /.test(lines[at - 1] ?? '')) {
    at--;
    while (at > 0 && lines[at - 1] === '') at--;
  }
  const head = lines.slice(0, at);
  const tail = lines.slice(at).filter((l, i) => i > 0 || l !== '');
  const out = [...head, '', '[...]', '', ...block, ...(tail.length ? ['', ...tail] : [])];
  return out.join('\n') + '\n';
}

function addComment(map: Map<number, string[]>, line: number, text: string): void {
  const list = map.get(line);
  if (list) list.push(text);
  else map.set(line, [text]);
}

function quote(l: string): string {
  return l === '' ? '>' : `> ${l}`;
}

function findDiffStart(lines: readonly string[], first: number, last: number): number {
  for (let l = first; l <= last; l++) {
    const t = lines[l - 1];
    if (t.startsWith('diff --git ') || (t.startsWith('--- ') && (lines[l] ?? '').startsWith('+++ '))) return l;
  }
  return last + 1;
}

/** The `diff --git` / `---` / `+++` / `@@` lines above `line` that are not quoted already. */
function hunkHeaders(lines: readonly string[], diffStart: number, line: number, from: number): number[] {
  let file = -1;
  let hunk = -1;
  for (let l = line; l >= diffStart; l--) {
    const t = lines[l - 1];
    if (hunk < 0 && t.startsWith('@@ ')) hunk = l;
    if (t.startsWith('diff --git ') || (t.startsWith('--- ') && (lines[l] ?? '').startsWith('+++ '))) {
      file = l;
      break;
    }
  }
  const out: number[] = [];
  if (file > 0 && file < from) {
    out.push(file);
    for (let l = file + 1; l < Math.min(from, file + 5); l++) {
      const t = lines[l - 1];
      if (t.startsWith('--- ') || t.startsWith('+++ ')) out.push(l);
    }
  }
  if (hunk > 0 && hunk < from && !out.includes(hunk)) out.push(hunk);
  return out;
}

/** The first paragraph of the commit message, at most 8 lines. */
function firstParagraph(lines: readonly string[], m: MailMessage, diffStart: number): string[] {
  const bodyStart = m.bodyMap.length ? m.bodyMap.line(0) : m.startLine;
  const out: string[] = [];
  for (let l = bodyStart; l < diffStart && out.length < 8; l++) {
    const t = lines[l - 1] ?? '';
    if (!t.trim()) {
      if (out.length) break;
      continue;
    }
    if (t === '---') break;
    out.push(t);
  }
  return out;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const w of para.split(/\s+/)) {
      if (!w) continue;
      if (cur && cur.length + 1 + w.length > width) {
        out.push(cur);
        cur = w;
      } else cur = cur ? `${cur} ${w}` : w;
    }
    out.push(cur);
  }
  return out;
}

/** `[user] name = ...` and `email = ...` from git config text (later values win, like git). */
export function parseGitIdentity(text: string): { name?: string; email?: string } {
  const out: { name?: string; email?: string } = {};
  let inUser = false;
  for (const raw of text.split('\n').slice(0, 10000)) {
    const line = raw.trim();
    const sec = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (sec) {
      inUser = sec[1].toLowerCase() === 'user';
      continue;
    }
    if (!inUser) continue;
    const kv = /^(name|email)\s*=\s*(.*)$/i.exec(line);
    if (!kv) continue;
    let v = kv[2].replace(/\s[#;].*$/, '').trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(["\\])/g, '$1');
    out[kv[1].toLowerCase() as 'name' | 'email'] = v;
  }
  return out;
}
