/**
 * Reverses a fix mail: applied in reverse, a fix re-introduces the bug it
 * fixed, which is the patch a reviewer should have stopped.
 *
 * The mail is read with PatchLens's own reader (quoted-printable and base64
 * bodies come out decoded, as `git mailinfo` gives them), then each hunk has
 * its `+` and `-` lines swapped and its ranges exchanged.  The signature
 * line `-- ` ends the diff.  The headers kept are those `git am` reads.
 */
import { readInput } from '../../src/core/mail/index.js';

export interface Reversed {
  /** The reversed mail, as text a reviewer would open. */
  text: string;
  /** 1-based lines of `text` that the reversal changed (were `+` or `-` in the fix). */
  changed: number[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** Swaps + and - in a unified diff; null when the text holds no diff. */
export function reverseDiffBody(body: string, offset: number): { lines: string[]; changed: number[] } | null {
  const lines = body.split('\n');
  const changed: number[] = [];
  let inDiff = false;
  let sawHunk = false;
  let oldLeft = 0;
  let newLeft = 0;
  const out: string[] = [];
  let pendingMinus: string[] = [];
  let pendingPlus: string[] = [];
  const flush = () => {
    // A '-' block followed by a '+' block becomes '+' then '-' reversed: keep git's order (- first).
    for (const l of pendingPlus) { out.push(`-${l.slice(1)}`); changed.push(offset + out.length); }
    for (const l of pendingMinus) { out.push(`+${l.slice(1)}`); changed.push(offset + out.length); }
    pendingMinus = [];
    pendingPlus = [];
  };
  for (const line of lines) {
    if (line === '-- ' && (oldLeft <= 0 && newLeft <= 0)) { flush(); inDiff = false; out.push(line); continue; }
    if (line.startsWith('diff --git ')) { flush(); inDiff = true; out.push(line); continue; }
    if (inDiff && oldLeft <= 0 && newLeft <= 0) {
      const m = HUNK.exec(line);
      if (m) {
        flush();
        sawHunk = true;
        const oc = m[2] ?? '1';
        const nc = m[4] ?? '1';
        oldLeft = Number(oc);
        newLeft = Number(nc);
        out.push(`@@ -${m[3]}${m[4] !== undefined ? `,${nc}` : ''} +${m[1]}${m[2] !== undefined ? `,${oc}` : ''} @@${m[5]}`);
        continue;
      }
      if (line.startsWith('--- ') || line.startsWith('+++ ')) {
        // a/ and b/ names stay: the same file before and after.
        out.push(line);
        continue;
      }
      if (/^(new|deleted) file mode /.test(line)) {
        out.push(line.startsWith('new') ? line.replace(/^new/, 'deleted') : line.replace(/^deleted/, 'new'));
        continue;
      }
      out.push(line);
      continue;
    }
    if (inDiff && (oldLeft > 0 || newLeft > 0)) {
      if (line.startsWith('-')) { pendingMinus.push(line); oldLeft--; continue; }
      if (line.startsWith('+')) { pendingPlus.push(line); newLeft--; continue; }
      if (line.startsWith('\\')) { out.push(line); continue; }
      flush();
      oldLeft--;
      newLeft--;
      out.push(line);
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  return sawHunk ? { lines: out, changed } : null;
}

/** Every message of a fix mail that carries a diff, reversed; headers git am reads kept. */
export async function reverseFixMail(file: string, data: string | Uint8Array): Promise<Reversed | null> {
  const read = await readInput(file, data);
  const parts: string[] = [];
  const changed: number[] = [];
  let lineCount = 0;
  for (const m of read.messages) {
    const head = [
      `From patchlens-reversed Mon Sep 17 00:00:00 2001`,
      `From: ${m.from ? `${m.from.name} <${m.from.email}>` : 'unknown <unknown@example.org>'}`,
      `Subject: ${m.subject.replace(/\n/g, ' ')}`,
      ...(m.date ? [`Date: ${m.date}`] : []),
      ...(m.messageId ? [`Message-ID: <reversed-${m.messageId}>`] : []),
      '',
    ];
    const rev = reverseDiffBody(m.body, lineCount + head.length);
    if (!rev) continue;
    parts.push(...head, ...rev.lines);
    changed.push(...rev.changed);
    lineCount += head.length + rev.lines.length;
  }
  if (parts.length === 0) return null;
  return { text: `${parts.join('\n')}\n`, changed };
}
