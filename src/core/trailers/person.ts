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
 */
export function parsePerson(value: string): Person {
  let text = value.trim();
  // A `# comment` after the address, or a `[...]` note: not part of the person.
  const hash = text.search(/\s#/);
  if (hash > 0) text = text.slice(0, hash).trim();
  const lt = text.indexOf('<');
  const gt = lt >= 0 ? text.indexOf('>', lt) : -1;
  if (lt >= 0 && gt > lt) {
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
  const bare = /^(\S+@\S+)(?:\s+\((.*)\))?$/.exec(text);
  if (bare) {
    return { name: bare[2]?.trim() ?? '', email: bare[1], obfuscated: isObfuscated(bare[1]) };
  }
  return { name: unquote(text), email: '', obfuscated: false };
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
  return email.trim().toLowerCase().replace(/\+[^@]*@/, '@');
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
