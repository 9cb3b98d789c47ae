/**
 * Version changelogs as people write them in cover letters and below the
 * `---` of a patch:
 *   v4:                 Changes since v1:     Changes in v3:     v2 -> v3:
 *   * Propagated tags   - replace ...         - ...
 * Lists quoted in a reply (`> v4:`) count too: an maintainer's "applied,
 * thanks" quoting the cover is often the only copy an archive page keeps.
 */
import type { MailMessage } from '../types.js';
import type { SeriesVersion } from './types.js';

type Changelog = SeriesVersion['changelog'][number];

const HEADER =
  /^(?:(?:changes|changelog)\s+(?:since|from|in|for)\s+(v\d+)(?:\s*(?:->|to|→)\s*v\d+)?|(v\d+)(?:\s*(?:->|to|→|\.\.)\s*(v\d+))?|changes\s+(?:in|since)\s+(v\d+)|changelog)\s*:\s*(.*)$/i;
const ITEM = /^(?:[-*•+]|\d+[.)])\s+/;
/** A list never runs longer than this many lines. */
const MAX_LIST_LINES = 400;

export function findChangelogs(messages: readonly MailMessage[]): Changelog[] {
  const found: Changelog[] = [];
  const seen = new Set<string>();
  for (const message of messages) {
    const lines = message.body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const text = unquote(lines[i]);
      const header = HEADER.exec(text);
      if (!header) continue;
      const version = (header[3] ?? header[2] ?? header[1] ?? header[4] ?? '').toLowerCase() || 'changelog';
      const items: string[] = [];
      const inline = header[5].trim();
      if (inline) items.push(...splitFlatList(inline));
      let j = i + 1;
      for (; j < lines.length && j - i <= MAX_LIST_LINES; j++) {
        const line = unquote(lines[j]);
        if (!line.trim()) {
          if (items.length) break;
          continue;
        }
        if (HEADER.test(line)) break;
        if (ITEM.test(line.trim())) items.push(line.trim().replace(ITEM, ''));
        else if (items.length && /^\s/.test(line)) items[items.length - 1] += ' ' + line.trim();
        else break;
      }
      if (!items.length) continue;
      const key = `${version}\n${items.join('\n')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({
        version,
        lines: items,
        pos: { file: message.file, line: message.bodyMap.line(i), column: message.bodyMap.column(i) },
      });
      i = j - 1;
    }
  }
  return found;
}

function unquote(line: string): string {
  return line.replace(/^(?:> ?)+/, '');
}

/** `- replace X - introduced Y` flattened onto one line. */
function splitFlatList(text: string): string[] {
  const body = text.replace(ITEM, '');
  return body.split(/\s+[-*•]\s+/).map((s) => s.trim()).filter(Boolean);
}
