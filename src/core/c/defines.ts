/**
 * Values of `#define`s that are constant expressions of other defines:
 * `BIT(11)`, `0x00000800`, `(VM_LOCKED | VM_LOCKONFAULT)`, `_AC(1, UL) << 3`,
 * `((__force gfp_t)___GFP_IO)`.  Anything else (a function-like body, an
 * unknown name, a division by zero) evaluates to null.  64-bit unsigned
 * arithmetic, as the kernel's flag words are.
 */

const MASK = (1n << 64n) - 1n;
/** Defines naming other defines deeper than this are given up (cycles, too). */
const MAX_DEPTH = 32;

export type Lookup = (name: string) => string | null;

type Tok = { t: 'num'; v: bigint } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(text: string): Tok[] | null {
  const toks: Tok[] = [];
  const re = /\s+|(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(<<|>>|[-+*/%&|^~!()<>,?:])/y;
  let k = 0;
  while (k < text.length) {
    re.lastIndex = k;
    const m = re.exec(text);
    if (!m) return null;
    k = re.lastIndex;
    if (m[1] !== undefined) {
      const s = m[1];
      toks.push({ t: 'num', v: s.length > 1 && s[0] === '0' && !/[xX]/.test(s) ? BigInt('0o' + s.slice(1)) : BigInt(s) });
    } else if (m[2] !== undefined) toks.push({ t: 'id', v: m[2] });
    else if (m[3] !== undefined) toks.push({ t: 'op', v: m[3] });
  }
  return toks;
}

/** Drops comments and line continuations from a define's replacement text. */
export function defineBody(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '').replace(/\\\n/g, ' ').trim();
}

const BINARY: Record<string, [number, (a: bigint, b: bigint) => bigint | null]> = {
  '|': [1, (a, b) => a | b],
  '^': [2, (a, b) => a ^ b],
  '&': [3, (a, b) => a & b],
  '<<': [5, (a, b) => (b < 64n ? (a << b) & MASK : 0n)],
  '>>': [5, (a, b) => (b < 64n ? a >> b : 0n)],
  '+': [6, (a, b) => (a + b) & MASK],
  '-': [6, (a, b) => (a - b) & MASK],
  '*': [7, (a, b) => (a * b) & MASK],
  '/': [7, (a, b) => (b === 0n ? null : a / b)],
  '%': [7, (a, b) => (b === 0n ? null : a % b)],
};

/** Evaluates `text` with names resolved through `lookup`; null when not constant. */
export function evaluate(text: string, lookup: Lookup, depth = 0, seen: Set<string> = new Set()): bigint | null {
  // Real define bodies are short; a huge one is not a constant worth a deep recursion.
  if (depth > MAX_DEPTH || text.length > 4096) return null;
  const toks = tokenize(defineBody(text));
  if (!toks || toks.length === 0) return null;
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isOp = (v: string): boolean => {
    const t = toks[p];
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const expect = (v: string): boolean => {
    if (!isOp(v)) return false;
    p++;
    return true;
  };

  const name = (id: string): bigint | null => {
    if (seen.has(id)) return null;
    const body = lookup(id);
    if (body === null) return null;
    seen.add(id);
    const v = evaluate(body, lookup, depth + 1, seen);
    seen.delete(id);
    return v;
  };

  const args = (): bigint[] | null => {
    if (!expect('(')) return null;
    const vals: bigint[] = [];
    if (expect(')')) return vals;
    for (;;) {
      const v = expr(0);
      if (v === null) return null;
      vals.push(v);
      if (expect(')')) return vals;
      if (!expect(',')) return null;
    }
  };

  /** `(type)` casts: a parenthesised list of names that are not defines, then an operand. */
  const tryCast = (): boolean => {
    const save = p;
    if (!expect('(')) return false;
    let names = 0;
    while (peek()?.t === 'id' || isOp('*')) {
      const t = toks[p]!;
      if (t.t === 'id' && lookup(t.v) !== null) break;
      names++;
      p++;
    }
    if (names > 0 && expect(')')) {
      const next = peek();
      if (next && (next.t !== 'op' || next.v === '(' || next.v === '~' || next.v === '!')) return true;
    }
    p = save;
    return false;
  };

  const unary = (): bigint | null => {
    const t = peek();
    if (!t) return null;
    if (t.t === 'num') {
      p++;
      return t.v & MASK;
    }
    if (t.t === 'op') {
      if (t.v === '(') {
        if (tryCast()) return unary();
        p++;
        const v = expr(0);
        return v !== null && expect(')') ? v : null;
      }
      if (t.v === '~' || t.v === '-' || t.v === '!' || t.v === '+') {
        p++;
        const v = unary();
        if (v === null) return null;
        if (t.v === '~') return ~v & MASK;
        if (t.v === '-') return -v & MASK;
        if (t.v === '!') return v === 0n ? 1n : 0n;
        return v;
      }
      return null;
    }
    p++;
    // Kernel bit helpers.
    if (t.v === 'BIT' || t.v === 'BIT_ULL' || t.v === '_BITUL' || t.v === '_BITULL' || t.v === 'BIT_MASK') {
      const a = args();
      return a && a.length === 1 && a[0]! < 64n ? (1n << a[0]!) & MASK : null;
    }
    if (t.v === 'GENMASK' || t.v === 'GENMASK_ULL') {
      const a = args();
      if (!a || a.length !== 2 || a[0]! >= 64n || a[1]! > a[0]!) return null;
      return ((1n << (a[0]! + 1n)) - (1n << a[1]!)) & MASK;
    }
    if (t.v === '_AC' || t.v === '_UL' || t.v === '_ULL' || t.v === 'UL' || t.v === 'ULL') {
      // _AC(X, UL): the second argument is a suffix, not a value.
      if (!expect('(')) return null;
      const v = expr(0);
      if (v === null) return null;
      if (expect(',')) p++;
      return expect(')') ? v : null;
    }
    if (isOp('(')) return null; // an unknown function-like macro
    return name(t.v);
  };

  const expr = (minPrec: number): bigint | null => {
    let left = unary();
    if (left === null) return null;
    for (;;) {
      const t = peek();
      if (!t || t.t !== 'op') break;
      if (t.v === '?' && minPrec === 0) {
        p++;
        const a = expr(0);
        if (a === null || !expect(':')) return null;
        const b = expr(0);
        if (b === null) return null;
        left = left !== 0n ? a : b;
        continue;
      }
      const op = BINARY[t.v];
      if (!op || op[0] < minPrec) break;
      p++;
      const right = expr(op[0] + 1);
      if (right === null) return null;
      const v = op[1](left, right);
      if (v === null) return null;
      left = v;
    }
    return left;
  };

  const v = expr(0);
  return v !== null && p === toks.length ? v : null;
}
