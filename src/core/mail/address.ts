/**
 * Address parsing.  The author (From) is parsed the way `git mailinfo`
 * does (handle_from + get_sane_name in mailinfo.c, git 2.39), so the author a
 * reviewer sees is the one `git am` would record.  To/Cc lists are split at
 * top-level commas and each entry parsed the same way, keeping the name as
 * written.
 */
import type { Address } from '../types.js';

/** `akpm@...ux-foundation.org` (lists.openwall.net, lkml.org) or `[email protected]` (Cloudflare). */
const OBFUSCATED = /@\.\.\.|\[email(?:&#160;|\u00a0| )protected\]/i;

export function isObfuscated(text: string): boolean {
  return OBFUSCATED.test(text);
}

/** git's unquote_quoted_pair(): drop "..." quotes, keep (comments), honour backslashes. */
function unquoteQuotedPair(s: string): string {
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i++];
    if (c === '"') {
      while (i < n) {
        const d = s[i++];
        if (d === '"') break;
        if (d === '\\' && i < n) out += s[i++];
        else out += d;
      }
    } else if (c === '(') {
      out += '(';
      let depth = 1;
      while (i < n && depth > 0) {
        const d = s[i++];
        if (d === '\\' && i < n) {
          out += s[i++];
          continue;
        }
        if (d === '(') depth++;
        else if (d === ')') depth--;
        out += d;
      }
    } else out += c;
  }
  return out;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/**
 * Splits `Name <mail>` / `mail (Name)` / `Name (c) <mail> (c)` into name and
 * email as git's handle_from() does; `sane` applies get_sane_name() (an empty
 * name, one longer than 60 characters, or one holding @<>, is replaced by the
 * email).
 */
export function parseAuthor(value: string, sane = true): Address | null {
  const collapsed = value.replace(/\s+/g, ' ').trim();
  const obfuscated = isObfuscated(collapsed);
  const f = unquoteQuotedPair(collapsed);
  const atIdx = obfuscated && f.indexOf('[email') !== -1 ? f.toLowerCase().indexOf('[email') : f.indexOf('@');
  if (atIdx === -1) {
    // git's parse_bogus_from(): `Name <bogus>` gives a name and email, else nothing.
    const lt = f.indexOf('<');
    const gt = lt === -1 ? -1 : f.indexOf('>', lt);
    if (lt !== -1 && gt !== -1) {
      const email = f.slice(lt + 1, gt);
      const name = f.slice(0, lt).trim().replace(/^"|"$/g, '');
      return { name: sane ? saneName(name, email) : name, email };
    }
    return collapsed === '' ? null : { name: '', email: '' };
  }
  let start = atIdx;
  let angle = false;
  while (start > 0) {
    const c = f[start - 1];
    if (isSpace(c)) break;
    if (c === '<') {
      angle = true;
      break;
    }
    start--;
  }
  let end = atIdx;
  if (obfuscated && f.startsWith('[email', atIdx)) {
    end = f.indexOf(']', atIdx) + 1;
  } else {
    while (end < f.length && !isSpace(f[end]) && f[end] !== '>') end++;
  }
  const email = f.slice(start, end);
  // Remove the email, its `<`, and the character after it (`>` or a space).
  const cutFrom = angle ? start - 1 : start;
  const cutTo = end < f.length ? end + 1 : end;
  let name = (f.slice(0, cutFrom) + (angle ? ' ' : '') + f.slice(cutTo)).trim();
  if (name.startsWith('(') && name.endsWith(')')) name = name.slice(1, -1);
  name = name.replace(/\s+/g, ' ').trim();
  const addr: Address = { name: sane ? saneName(name, email) : name, email };
  if (obfuscated) addr.obfuscated = true;
  return addr;
}

function saneName(name: string, email: string): string {
  if (name.length === 0 || name.length > 60 || /[@<>]/.test(name)) return email;
  return name;
}

/** Splits an address list at commas outside quotes, <> and (). */
export function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let depthParen = 0;
  let inQuote = false;
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '(') depthParen++;
    else if (c === ')' && depthParen > 0) depthParen--;
    else if (c === '<' && depthParen === 0) inAngle = true;
    else if (c === '>') inAngle = false;
    else if (c === ',' && depthParen === 0 && !inAngle) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses a To/Cc list; group names (`undisclosed-recipients:;`) are dropped. */
export function parseAddressList(value: string, decode: (s: string) => string): Address[] {
  const out: Address[] = [];
  for (let piece of splitAddressList(value)) {
    // `Group: a@b, c@d;` – strip the group label and the closing semicolon.
    const group = /^[^"<>@(),]*:/.exec(piece);
    if (group) piece = piece.slice(group[0].length).trim();
    piece = piece.replace(/;\s*$/, '').trim();
    if (!piece) continue;
    const a = parseAuthor(decode(piece), false);
    if (a && (a.email || a.name)) out.push(a);
  }
  return out;
}
