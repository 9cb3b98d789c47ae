/**
 * Where each input line of a patch's diff lands in the kernel tree (file and
 * line, from the @@ headers), so a finding carries both the reviewer's place
 * and the kernel's.  Also collects the added lines per kernel file, which
 * FLAG-NOT-REGISTERED searches across the series.
 */
import { readDiff } from '../diff/index.js';
import type { LineMap } from '../types.js';
import type { DiffLineIndex, PatchLine } from './types.js';

/**
 * @param file   input file name, as in the facts' positions
 * @param diff   the diff text
 * @param map    diff line (0-based) -> input line/column
 */
export function indexDiff(file: string, diff: string, map: LineMap): DiffLineIndex {
  // One input file per index: keyed by input line alone.
  const byLine = new Map<number, PatchLine>();
  const added: DiffLineIndex['added'] = [];
  const parsed = readDiff(diff);
  let hunk = 0;
  for (const f of parsed.files) {
    const path = f.newPath ?? f.oldPath ?? '';
    for (const h of f.hunks) {
      hunk++;
      for (const l of h.lines) {
        const inLine = l.diffLine < map.length ? map.line(l.diffLine) : l.diffLine + 1;
        const column = l.diffLine < map.length ? map.column(l.diffLine) : 1;
        const entry: PatchLine = {
          path: l.kind === '-' ? (f.oldPath ?? path) : path,
          line: l.kind === '-' ? l.oldLine : l.newLine,
          change: l.kind,
          column: column + 1,
          hunk,
          text: l.text,
        };
        byLine.set(inLine, entry);
        if (l.kind === '+') added.push({ path, text: l.text, pos: { file, line: inLine, column: column + 1 } });
      }
    }
  }
  let lastLine = 0;
  for (const v of byLine.keys()) if (v > lastLine) lastLine = v;
  return {
    at: (f, line) => (f === file ? byLine.get(line) : undefined),
    added,
    lead: leadLines(file, diff, map),
    lastLine,
  };
}

/** Diff lines before the first header (`diff `, `--- `, `@@ `): a continued quoted hunk. At most 200. */
function leadLines(file: string, diff: string, map: LineMap): DiffLineIndex['lead'] {
  const out: DiffLineIndex['lead'] = [];
  let from = 0;
  for (let i = 0; i < 200 && from < diff.length; i++) {
    let to = diff.indexOf('\n', from);
    if (to < 0) to = diff.length;
    const text = diff.slice(from, to);
    from = to + 1;
    if (/^(diff |--- |\+\+\+ |@@ )/.test(text)) break;
    const c = text[0];
    if (c !== '+' && c !== '-' && c !== ' ') {
      if (text === '') continue;
      break;
    }
    const pos = i < map.length ? { file, line: map.line(i), column: map.column(i) + 1 } : { file, line: i + 1, column: 2 };
    out.push({ text: text.slice(1), change: c, pos });
  }
  return out;
}
