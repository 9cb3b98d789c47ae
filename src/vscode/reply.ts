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
  for (const f of r.findings) {
    if (f.line < m.startLine || f.line > m.endLine) continue;
    addComment(comments, f.line, `${f.message} [${f.rule}]`);
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
    // Quote the diff / hunk headers the commented line sits under.
    const headers = line >= diffStart ? hunkHeaders(lines, diffStart, line, from) : [];
    if (from > quotedUpTo + 1 && quotedUpTo >= first) body.push('[...]', '');
    for (const h of headers) body.push(quote(lines[h - 1]));
    for (let l = from; l <= line; l++) body.push(quote(lines[l - 1] ?? ''));
    body.push('');
    for (const c of comments.get(line)!) body.push(...wrap(c, 72), '');
    quotedUpTo = line;
  }
  if (r.tag && r.identity) body.push(`${r.tag}: ${formatAddress(r.identity)}`, '');
  return head.join('\n') + '\n\n' + body.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
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
