/**
 * Reverses a fix mail: applied in reverse, a fix re-introduces the bug it
 * fixed, which is the patch a reviewer should have stopped.
 *
 * The mail is read with PatchLens's own reader (quoted-printable and base64
 * bodies come out decoded, as `git mailinfo` gives them), then each hunk has
 * its `+` and `-` lines swapped and its ranges exchanged.  The signature
 * line `-- ` ends the diff.  The headers kept are those `git am` reads.
 *
 * File headers are reversed as `git apply -R` reads them: `---`/`+++` names
 * swap (with their a/ b/ prefixes), so do `new`/`deleted file mode`,
 * `old`/`new mode`, `rename`/`copy from`/`to` and the two `index` ids.
 * A `\ No newline at end of file` marker stays after the line it follows.
 */
import { readInput } from '../../src/core/mail/index.js';
import type { MailMessage } from '../../src/core/types.js';

export interface Reversed {
  /** The reversed mail, as text a reviewer would open. */
  text: string;
  /** 1-based lines of `text` that the reversal changed (were `+` or `-` in the fix). */
  changed: number[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** `a/x` <-> `b/x`; `/dev/null` and names without a prefix stay. */
function swapPrefix(name: string): string {
  if (name.startsWith('a/')) return `b/${name.slice(2)}`;
  if (name.startsWith('b/')) return `a/${name.slice(2)}`;
  return name;
}

/** One extended header line of a file's diff, reversed (null: not one of them). */
function reverseFileHeader(line: string): string | null {
  const pairs: [string, string][] = [
    ['new file mode ', 'deleted file mode '],
    ['old mode ', 'new mode '],
    ['rename from ', 'rename to '],
    ['copy from ', 'copy to '],
  ];
  for (const [a, b] of pairs) {
    if (line.startsWith(a)) return b + line.slice(a.length);
    if (line.startsWith(b)) return a + line.slice(b.length);
  }
  const index = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(.*)$/.exec(line);
  if (index) return `index ${index[2]}..${index[1]}${index[3]}`;
  const git = /^diff --git (\S+) (\S+)$/.exec(line);
  if (git) return `diff --git ${swapPrefix(git[2]!)} ${swapPrefix(git[1]!)}`;
  return null;
}

/** Swaps + and - in a unified diff; null when the text holds no diff. */
export function reverseDiffBody(body: string, offset: number): { lines: string[]; changed: number[] } | null {
  const lines = body.split('\n');
  const changed: number[] = [];
  let inDiff = false;
  let sawHunk = false;
  let oldLeft = 0;
  let newLeft = 0;
  const out: string[] = [];
  // Each pending line keeps the `\ No newline` marker that followed it.
  let pendingMinus: string[][] = [];
  let pendingPlus: string[][] = [];
  let lastPending: string[] | null = null;
  let minusName: string | null = null;
  const flush = () => {
    // The fix's '-' block then '+' block becomes: its '+' lines as '-', then its '-' lines as '+' (git's order).
    for (const [l, ...marks] of pendingPlus) {
      out.push(`-${l!.slice(1)}`);
      changed.push(offset + out.length);
      out.push(...marks);
    }
    for (const [l, ...marks] of pendingMinus) {
      out.push(`+${l!.slice(1)}`);
      changed.push(offset + out.length);
      out.push(...marks);
    }
    pendingMinus = [];
    pendingPlus = [];
    lastPending = null;
  };
  for (const line of lines) {
    const inHunk = inDiff && (oldLeft > 0 || newLeft > 0);
    if (inHunk) {
      if (line.startsWith('-')) { lastPending = [line]; pendingMinus.push(lastPending); oldLeft--; continue; }
      if (line.startsWith('+')) { lastPending = [line]; pendingPlus.push(lastPending); newLeft--; continue; }
      if (line.startsWith('\\')) {
        if (lastPending) lastPending.push(line);
        else out.push(line);
        continue;
      }
      flush();
      oldLeft--;
      newLeft--;
      out.push(line);
      continue;
    }
    // A marker right after a hunk's last line belongs to that line.
    if (line.startsWith('\\ ') && lastPending) { lastPending.push(line); continue; }
    flush();
    if (line === '-- ') { inDiff = false; out.push(line); continue; }
    if (line.startsWith('diff --git ')) { inDiff = true; out.push(reverseFileHeader(line) ?? line); continue; }
    if (!inDiff) { out.push(line); continue; }
    const m = HUNK.exec(line);
    if (m) {
      sawHunk = true;
      const oc = m[2] ?? '1';
      const nc = m[4] ?? '1';
      oldLeft = Number(oc);
      newLeft = Number(nc);
      out.push(`@@ -${m[3]}${m[4] !== undefined ? `,${nc}` : ''} +${m[1]}${m[2] !== undefined ? `,${oc}` : ''} @@${m[5]}`);
      continue;
    }
    if (line.startsWith('--- ') && minusName === null) { minusName = line.slice(4); continue; }
    if (line.startsWith('+++ ') && minusName !== null) {
      // The fix's post-image is the reversed patch's pre-image.
      out.push(`--- ${swapPrefix(line.slice(4))}`, `+++ ${swapPrefix(minusName)}`);
      minusName = null;
      continue;
    }
    if (minusName !== null) { out.push(`--- ${minusName}`); minusName = null; }
    out.push(reverseFileHeader(line) ?? line);
  }
  flush();
  if (minusName !== null) out.push(`--- ${minusName}`);
  return sawHunk ? { lines: out, changed } : null;
}

/** The headers `git am` reads, written plainly (the body below them is decoded text). */
export function plainHeaders(m: MailMessage, idPrefix: string): string[] {
  return [
    `From patchlens-${idPrefix} Mon Sep 17 00:00:00 2001`,
    `From: ${m.from ? `${m.from.name} <${m.from.email}>` : 'unknown <unknown@example.org>'}`,
    `Subject: ${m.subject.replace(/\n/g, ' ')}`,
    ...(m.date ? [`Date: ${m.date}`] : []),
    ...(m.messageId ? [`Message-ID: <${idPrefix}-${m.messageId}>`] : []),
    '',
  ];
}

/** Every message of a fix mail that carries a diff, reversed; headers git am reads kept. */
export async function reverseFixMail(file: string, data: string | Uint8Array): Promise<Reversed | null> {
  const read = await readInput(file, data);
  const parts: string[] = [];
  const changed: number[] = [];
  for (const m of read.messages) {
    const head = plainHeaders(m, 'reversed');
    const rev = reverseDiffBody(m.body, parts.length + head.length);
    if (!rev) continue;
    parts.push(...head, ...rev.lines);
    changed.push(...rev.changed);
  }
  if (parts.length === 0) return null;
  return { text: `${parts.join('\n')}\n`, changed };
}

/** A mail's messages with diffs, as plain headers and the decoded body (what the mutator edits). */
export async function decodedMail(file: string, data: string | Uint8Array): Promise<string | null> {
  const read = await readInput(file, data);
  const parts: string[] = [];
  for (const m of read.messages) {
    if (!/^diff --git /m.test(m.body)) continue;
    parts.push(...plainHeaders(m, 'decoded'), ...m.body.split('\n'));
  }
  return parts.length ? `${parts.join('\n')}\n` : null;
}
