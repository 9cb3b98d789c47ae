/**
 * The person a trailer names, and whether two spellings of a person are the
 * same one.  Matching follows b4 (`LoreTrailer.email_eq` and the name checks
 * of `LoreMessage.get_trailers`, b4 0.12 and upstream): exact address, then
 * the address without a `+sub` part, then a domain that is one label longer
 * (`foo@linux.intel.com` = `foo@intel.com`); failing that, the same name.
 */

export interface Person {
  /** Display name as written, quotes removed; '' when only an address is given. */
  name: string;
  /** Address as written (lower case not forced); '' when there is none. */
  email: string;
  /** The address was hidden by an archive: `[email protected]`, `akpm@...ux-foundation.org`. */
  obfuscated: boolean;
}

/** Cloudflare's and lore mirrors' replacements for an address. */
const CLOUDFLARE_HIDDEN = /\[email(?:&#160;|\s)protected\]/i;
/** lists.openwall.net / marc style: the start of the domain replaced by `...`. */
const ELIDED_DOMAIN = /^[^\s@<>]+@\.\.\.[^\s@<>]*$/;

/**
 * Reads `Name <a@b>`, `"Last, First" <a@b>`, `Name (Corp) <a@b>`, `<a@b>`,
 * `a@b`, `Name <[email protected]>`, and keeps trailing comments out
 * (`<stable@vger.kernel.org> # 6.1+`, `[for the mm bits]`).
 *
 * Names are hostile text: a quoted name may hold anything (`"<b>evil</b>"
 * <evil@example.org>`), and an unquoted one may hold markup
 * (`<script>x</script> <x@y.z>`).  So brackets and `#` inside quotes are
 * not syntax, and the address is the last `<...>` outside quotes that holds
 * an `@` (or an archive's hidden-address mark).  One pass over the text:
 * every step is linear, however long the value.
 */
export function parsePerson(value: string): Person {
  let text = value.trim();
  const brackets = outsideQuotes(text);
  // A `# comment` after the address, or a `[...]` note: not part of the person.
  if (brackets.hash > 0) {
    text = text.slice(0, brackets.hash).trim();
    brackets.pairs = brackets.pairs.filter(([, gt]) => gt < text.length);
  }
  let address: [number, number] | null = null;
  for (const pair of brackets.pairs) {
    const inside = text.slice(pair[0] + 1, pair[1]);
    if (inside.includes('@') || CLOUDFLARE_HIDDEN.test(inside)) address = pair;
  }
  if (address) {
    const [lt, gt] = address;
    let email = text.slice(lt + 1, gt).trim();
    // HTML mailers: `a@b<mailto:a@b>` inside the brackets.
    const mailto = email.indexOf('<mailto:');
    if (mailto > 0) email = email.slice(0, mailto);
    // Cloudflare writes `[email&#160;protected]` (a no-break space): one spelling.
    if (CLOUDFLARE_HIDDEN.test(email)) email = '[email protected]';
    const name = unquote(text.slice(0, lt).trim());
    return { name, email, obfuscated: isObfuscated(email) };
  }
  if (CLOUDFLARE_HIDDEN.test(text)) {
    const name = unquote(text.replace(CLOUDFLARE_HIDDEN, '').trim());
    return { name, email: '[email protected]', obfuscated: true };
  }
  const bare = bareAddress(text);
  if (bare) return { name: bare.comment, email: bare.email, obfuscated: isObfuscated(bare.email) };
  return { name: unquote(text), email: '', obfuscated: false };
}

/**
 * `<...>` pairs and the first ` #` outside double quotes (a backslash
 * escapes the next character inside quotes).  A `<` inside an open pair
 * belongs to it (`<a@b<mailto:a@b>>` is one pair).
 */
function outsideQuotes(text: string): { pairs: [number, number][]; hash: number } {
  const pairs: [number, number][] = [];
  let hash = -1;
  let quoted = false;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"' && open < 0) quoted = true;
    else if (c === '<' && open < 0) open = i;
    else if (c === '>' && open >= 0) {
      pairs.push([open, i]);
      open = -1;
    } else if (c === '#' && hash < 0 && open < 0 && i > 0 && /\s/.test(text[i - 1]!)) hash = i - 1;
  }
  return { pairs, hash };
}

/** `a@b` or `a@b (Name)` (what /^(\S+@\S+)(?:\s+\((.*)\))?$/ read, without its backtracking). */
function bareAddress(text: string): { email: string; comment: string } | null {
  const m = /^(\S+)(?:\s+\((.*)\))?$/.exec(text);
  if (!m) return null;
  const email = m[1]!;
  // `\S+@\S+`: an `@` with something on both sides.
  const at = email.indexOf('@', 1);
  if (at < 1 || at > email.length - 2) return null;
  return { email, comment: m[2]?.trim() ?? '' };
}

function unquote(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) return name.slice(1, -1).trim();
  return name;
}

export function isObfuscated(email: string): boolean {
  return CLOUDFLARE_HIDDEN.test(email) || ELIDED_DOMAIN.test(email);
}

/** The sub-address-free, lower-case form of an address: `a+kernel@B.org` -> `a@b.org`. */
export function canonicalEmail(email: string): string {
  // The first `+...@` cut, as /\+[^@]*@/ did, by indexOf (that regex rescanned
  // from every `+` of a long run of them).
  const e = email.trim().toLowerCase();
  const plus = e.indexOf('+');
  if (plus < 0) return e;
  const at = e.indexOf('@', plus);
  return at < 0 ? e : e.slice(0, plus) + e.slice(at);
}

/**
 * b4's fuzzy address equality: exact (case-insensitive), then without a
 * `+sub` local part, then same local part with one domain one label
 * longer than the other.
 */
export function sameEmail(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (!x || !y) return false;
  if (x === y) return true;
  if (!x.includes('@') || !y.includes('@')) return false;
  const cx = canonicalEmail(x);
  const cy = canonicalEmail(y);
  if (cx === cy) return true;
  const [xl, xd] = splitAt(cx);
  const [yl, yd] = splitAt(cy);
  if (xl !== yl) return false;
  const dots = (s: string) => s.split('.').length - 1;
  return Math.abs(dots(xd) - dots(yd)) === 1 && (xd.endsWith('.' + yd) || yd.endsWith('.' + xd));
}

function splitAt(email: string): [string, string] {
  const at = email.indexOf('@');
  return [email.slice(0, at), email.slice(at + 1)];
}

/**
 * b4's name match: equal ignoring case; or the sender's name has commas
 * and (as b4 tests it) every comma-separated part occurs in it.
 */
export function sameName(trailerName: string, senderName: string): boolean {
  const t = trailerName.trim().toLowerCase();
  const s = senderName.trim().toLowerCase();
  if (!t || !s) return false;
  if (t === s) return true;
  if (s.indexOf(',') > 0) return s.split(',').every((part) => t.includes(part.trim()));
  return false;
}

/**
 * Whether an obfuscated address can be the real one: `akpm@...ux-foundation.org`
 * keeps the local part and the end of the domain.
 */
export function obfuscatedMatches(hidden: string, real: string): boolean {
  const h = hidden.toLowerCase();
  const r = real.toLowerCase();
  if (CLOUDFLARE_HIDDEN.test(h)) return false; // nothing visible to compare
  const m = /^([^@]+)@\.\.\.(.*)$/.exec(h);
  if (!m) return false;
  const [local, domain] = splitAt(r);
  return local === m[1] && domain.endsWith(m[2]) && domain.length > m[2].length;
}

export function formatPerson(p: { name: string; email: string }): string {
  if (!p.email) return p.name;
  if (!p.name) return p.email;
  return `${p.name} <${p.email}>`;
}
