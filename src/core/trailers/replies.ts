/**
 * Tags a reply gives.  The b4 part follows `LoreMessage.find_trailers(body,
 * followup=True)` (b4 0.12 and upstream): the body is cut at the signature
 * line `-- `; a tag is a line `Key: value` (leading blanks allowed, so a
 * quoted `> Reviewed-by:` never matches); a person tag needs an address;
 * `Name` and `<address>` wrapped onto two lines are joined.
 *
 * Beyond b4, which drops these silently, three kinds are returned with
 * `via` / flags so the collector can list them with a notice:
 *  - `inline`: a tag written inside prose ("Feel free to add my
 *    Reviewed-by: X <x@y>");
 *  - a person tag with no address, or with an address an archive
 *    obfuscated (`[email protected]`, `akpm@...ux-foundation.org`);
 *  - `quoted`: a tag at quote depth 1 attributed by an "On ..., X wrote:"
 *    line, when the reply it quotes is not in the input (a reply saved
 *    without its parent, seed 001).
 */
import type { MailMessage } from '../types.js';
import { PERSON_TRAILER_KEYS, KERNEL_TRAILER_KEYS, canonicalKey } from './keys.js';
import { parsePerson, sameName, type Person } from './person.js';

export interface ReplyTag {
  key: string;
  value: string;
  person: Person;
  /** 0-based body line. */
  bodyLine: number;
  via: 'line' | 'inline' | 'quoted';
  /** For `quoted`: the name in the attribution line. */
  attributedTo?: string;
}

/** Keys b4 never takes from a reply. */
const IGNORED = new Set(['phone', 'email', 'subject', 'date', 'from', 'to']);

/** `Key: value` at the start of a line (b4: `^\s*(\w\S+):\s+(\S.*)`, without backtracking). */
function splitTagLine(line: string): { key: string; value: string } | null {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  const keyStart = i;
  if (i >= line.length || !/\w/.test(line[i])) return null;
  const limit = Math.min(line.length, keyStart + 64);
  while (i < limit && line[i] !== ':' && !/\s/.test(line[i])) i++;
  // b4's `\S+:` takes the last colon of the word; kernel keys have none inside.
  if (line[i] !== ':' || i - keyStart < 2) return null;
  const key = line.slice(keyStart, i);
  const rest = line.slice(i + 1);
  if (!/^\s+\S/.test(rest)) return null;
  return { key, value: rest.trim() };
}

/** Whether `key` is a tag we collect: the kernel set, or any `*-by`. */
export function isTagKey(key: string): boolean {
  const lower = key.toLowerCase();
  return KERNEL_TRAILER_KEYS.some((k) => k.toLowerCase() === lower) || /^[a-z][a-z-]*-by$/i.test(key);
}

const INLINE_KEYS = ['Reviewed-by', 'Acked-by', 'Tested-by', 'Signed-off-by', 'Suggested-by', 'Reported-by'];
const INLINE_RE = new RegExp(`\\b(${INLINE_KEYS.join('|')})\\s*:\\s*([^<>\\n]{0,120}<[^<>\\n]{1,200}>|\\S[^\\n]{0,200})`, 'i');
/** "On <date>, NAME wrote:" / "NAME wrote:": the name is what follows the last comma. */
const ATTRIBUTION_RE = /^(?:On\s.{0,200},\s*)?([^,]{1,120}?)\s*(?:<[^>]*>\s*)?wrote:\s*$/;

/** Quote depth of a line (`> > x` is 2) and the text after the markers. */
function unquote(line: string): { depth: number; text: string } {
  let depth = 0;
  let i = 0;
  const limit = Math.min(line.length, 64);
  while (i < limit) {
    if (line[i] === '>') {
      depth++;
      i++;
    } else if (line[i] === ' ' && line[i + 1] === '>') {
      i++;
    } else break;
  }
  return { depth, text: depth ? line.slice(i).replace(/^ /, '') : line };
}

export interface ReplyTagOptions {
  /** Collect tags quoted at depth 1 (the parent reply is not in the input). */
  quotedParent?: boolean;
}

/** The tags a reply gives; never throws, one pass over the body. */
export function findReplyTags(message: MailMessage, options: ReplyTagOptions = {}): ReplyTag[] {
  const lines = message.body.split('\n');
  let end = lines.indexOf('-- ');
  if (end < 0) end = lines.length;
  const out: ReplyTag[] = [];
  let attribution: string | undefined;
  // The mail reader's attributions (input lines) say who wrote each quote depth.
  const attributions = message.attributions ?? [];
  const attributionAt = new Map<number, string>();
  if (attributions.length) {
    const wanted = new Map<number, string>();
    for (const a of attributions) if (a.depth === 1) wanted.set(a.line, a.name);
    for (let k = 0; k < message.bodyMap.length && k < end && wanted.size; k++) {
      const name = wanted.get(message.bodyMap.line(k));
      if (name !== undefined) {
        attributionAt.set(k, name);
        wanted.delete(message.bodyMap.line(k));
      }
    }
  }
  for (let i = 0; i < end; i++) {
    const line = lines[i];
    // Tags, inline tags and "X wrote:" all hold a colon: most lines of a
    // reply (quoted diff, prose) have none and need no further look.
    if (line.indexOf(':') < 0) continue;
    const { depth, text } = unquote(line);
    if (depth === 0) {
      const known = attributionAt.get(i);
      const attr = known ? null : ATTRIBUTION_RE.exec(line.length < 400 ? line : '');
      if (known) attribution = known;
      else if (attr) attribution = attr[1].replace(/^"|"$/g, '').trim();
      const tag = splitTagLine(line);
      if (tag && isTagKey(tag.key) && !IGNORED.has(tag.key.toLowerCase())) {
        let value = tag.value;
        let span = 0;
        // `Signed-off-by: Long Name` + `<address>` on the next line.
        if (!value.includes('<') && !value.includes('@') && i + 1 < end && /^<[^>]+>$/.test(lines[i + 1].trim())) {
          value = `${value} ${lines[i + 1].trim()}`;
          span = 1;
        }
        out.push({ key: canonicalKey(tag.key), value, person: parsePerson(value), bodyLine: i, via: 'line' });
        i += span;
        continue;
      }
      const inline = INLINE_RE.exec(line.length < 2000 ? line : line.slice(0, 2000));
      if (inline && inline.index > 0 && line.slice(0, inline.index).trim().length > 0) {
        const value = inline[2].trim().replace(/[.,;)]+$/, '');
        // Prose about tags ("no Reviewed-by: tags yet") is not a tag: it must
        // name an address, or the sender.
        const senderName = message.from?.name?.toLowerCase() ?? '';
        if (!value.includes('@') && !(senderName && value.toLowerCase().startsWith(senderName))) continue;
        out.push({ key: canonicalKey(inline[1]), value, person: parsePerson(value), bodyLine: i, via: 'inline' });
      }
    } else if (depth === 1 && options.quotedParent && attribution) {
      const tag = splitTagLine(text);
      const person = tag ? parsePerson(tag.value) : null;
      // Only the quoted person's own tag: a quote of the patch's trailers is not theirs.
      if (tag && person && isTagKey(tag.key) && PERSON_TRAILER_KEYS.has(tag.key.toLowerCase()) && tag.key.toLowerCase() !== 'signed-off-by' && sameName(person.name, attribution)) {
        out.push({
          key: canonicalKey(tag.key),
          value: tag.value,
          person: parsePerson(tag.value),
          bodyLine: i,
          via: 'quoted',
          attributedTo: attribution,
        });
      }
    }
  }
  return out;
}

