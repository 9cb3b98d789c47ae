/**
 * The identifiers a comment names, so a check can notice a comment that
 * still talks about a function the patch stopped calling.
 *
 * Named: `foo()`, `struct foo` / `union foo` / `enum foo`,
 * `@param` and `->field`, and bare words that look like code rather than
 * English: with an underscore (`anon_vma`), or all capitals (`VM_LOCKED`).
 */

const WORD = /(struct|union|enum)\s+([A-Za-z_]\w*)|(->|@|\.)?([A-Za-z_]\w*)(\()?/g;
const ENGLISH_CAPS = new Set(['TODO', 'FIXME', 'XXX', 'NOTE', 'OK', 'I', 'A', 'IIUC', 'IMO', 'NB', 'CPU', 'RCU']);

export function commentIdentifiers(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (s: string): void => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    if (m[2]) {
      add(`${m[1]} ${m[2]}`);
      continue;
    }
    const word = m[4]!;
    const call = m[5] !== undefined;
    const prefixed = m[3] === '->' || m[3] === '@';
    const codeLike = word.includes('_') || (/^[A-Z][A-Z0-9]+$/.test(word) && !ENGLISH_CAPS.has(word));
    if (call || prefixed || codeLike) add(word);
  }
  return out;
}
