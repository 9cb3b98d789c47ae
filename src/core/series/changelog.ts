/**
 * Version changelogs as people write them in cover letters and below the
 * `---` of a patch:
 *   v4:                 Changes since v1:     Changes in v3:     v2 -> v3:
 *   * Propagated tags   - replace ...         - ...
 * Lists quoted in a reply (`> v4:`) count too: an maintainer's "applied,
 * thanks" quoting the cover is often the only copy an archive page keeps.
 */
import type { MailMessage } from '../types.js';
import { SplitLines } from '../mail/lines.js';
import type { SeriesVersion } from './types.js';

type Changelog = SeriesVersion['changelog'][number];

const HEADER =
  /^(?:(?:changes|changelog)\s+(?:since|from|in|for)\s+(v\d+)(?:\s*(?:->|to|→)\s*v\d+)?|(v\d+)(?:\s*(?:->|to|→|\.\.)\s*(v\d+))?|changes\s+(?:in|since)\s+(v\d+)|changelog)(?:\s*\[\d+\])?\s*:\s*(.*)$/i;
/**
 * The same header without its colon, alone on its line ("Changes since v3
 * [2]", the [2] pointing at a link below): only taken when a list follows.
 */
const BARE_HEADER = /^(?:changes|changelog)\s+(?:since|from|in|for)\s+(v\d+)(?:\s*(?:->|to|→)\s*v\d+)?(?:\s*\[\d+\])?\s*$/i;
/** A bare link (optionally `Link:` / `[1]` first): how people point at a version. */
const LINK = /^(?:(?:link|lore|\[\d+\])\s*:?\s*)?<?https?:\/\/\S+>?$/i;
const ITEM = /^(?:[-*•+]|\d+[.)])\s+/;
/** A list never runs longer than this many lines. */
const MAX_LIST_LINES = 400;

export function findChangelogs(messages: readonly MailMessage[]): Changelog[] {
  const found: Changelog[] = [];
  const seen = new Set<string>();
  for (const message of messages) {
    // Offsets, not an array of line strings: a 20 MB diff is 600,000 lines (issue 13).
    const lines = new SplitLines(message.body);
    for (let i = 0; i < lines.length; i++) {
      if (!mayBeHeader(lines, i)) continue;
      const text = unquote(lines.line(i));
      const header = HEADER.exec(text);
      const bare = header ? null : BARE_HEADER.exec(text.trim());
      if (!header && !bare) continue;
      const version = header ? (header[3] ?? header[2] ?? header[1] ?? header[4] ?? '').toLowerCase() || 'changelog' : bare![1].toLowerCase();
      const heading = header ? text.slice(0, text.length - header[5].length).replace(/\s*:\s*$/, '').trim() : text.trim();
      const items: string[] = [];
      const inline = header ? header[5].trim() : '';
      // `v1: https://lore.kernel.org/...` links the older posting: not an item.
      if (inline && !LINK.test(inline)) items.push(...splitFlatList(inline));
      let j = i + 1;
      for (; j < lines.length && j - i <= MAX_LIST_LINES; j++) {
        const line = unquote(lines.line(j));
        if (!line.trim()) {
          if (items.length) break;
          continue;
        }
        if (HEADER.test(line) || BARE_HEADER.test(line.trim())) break;
        if (!items.length && LINK.test(line.trim())) continue; // the version's link, above its list
        if (ITEM.test(line.trim())) items.push(line.trim().replace(ITEM, ''));
        else if (items.length && continuesItem(items[items.length - 1], line)) items[items.length - 1] += ' ' + line.trim();
        else break;
      }
      if (!items.length) continue;
      const key = `${version}\n${items.join('\n')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({
        version,
        heading,
        lines: items,
        pos: { file: message.file, line: message.bodyMap.line(i), column: message.bodyMap.column(i) },
      });
      i = j - 1;
    }
  }
  return found;
}

/**
 * A line wrapped out of an item: indented, or (people wrap by hand at the
 * margin) starting in lower case or after an item cut at a comma:
 *   - Fixed build breakage in nommu.c introduced in previous version,
 *   per Andrew Morton
 */
function continuesItem(item: string, line: string): boolean {
  // A shortlog's "Name (7):" or a diffstat line ends the list, however it is indented.
  if (/\(\d+\):\s*$/.test(line) || /^\s*\S+\s+\|\s+(?:\d+ [+-]*|Bin )/.test(line)) return false;
  if (/^\s/.test(line)) return true;
  return /^[a-z(]/.test(line) || /[,;]$/.test(item);
}

/**
 * Whether line i may match HEADER or BARE_HEADER, looked at in place: past
 * its `> ` quoting, a header starts with c, C, v or V (BARE_HEADER after
 * white space, which is left to the regexes).  Diff lines never get sliced.
 */
function mayBeHeader(lines: SplitLines, i: number): boolean {
  let k = 0;
  while (lines.charAt(i, k) === '>') k += lines.charAt(i, k + 1) === ' ' ? 2 : 1;
  const c = lines.charAt(i, k);
  return c === 'c' || c === 'C' || c === 'v' || c === 'V' || (c !== '' && SPACE.test(c));
}
/** Made once: a regex literal in the loop would be a new object per line. */
const SPACE = /\s/;

function unquote(line: string): string {
  return line.replace(/^(?:> ?)+/, '');
}

/** `- replace X - introduced Y` flattened onto one line. */
function splitFlatList(text: string): string[] {
  const body = text.replace(ITEM, '');
  return body.split(/\s+[-*•]\s+/).map((s) => s.trim()).filter(Boolean);
}
