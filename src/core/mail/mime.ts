/**
 * Message bodies: transfer encodings, charsets, multipart, format=flowed,
 * each decoded line keeping where it came from.
 *
 * The MIME tree is walked here (we know every part's input lines, which a
 * whole-message parser does not tell us); the byte-level decoding mirrors
 * what git mailinfo does.  Plain 7bit/8bit single-part bodies, most list
 * mail, take a fast path whose map is an exact offset.
 */
import type { LineMap, Problem } from '../types.js';
import { binaryToBytes, decodeBytes, isAscii, knownCharset } from './charset.js';
import { parseContentType, readHeaderBlock } from './headers.js';
import { LineMapBuilder, OffsetLineMap } from './lines.js';
import { isHex } from './rfc2047.js';
import { readLine, type Source } from './source.js';

/**
 * Decoded text: every line ends in LF, and line i maps through `map` line i.
 * One string, not an array of lines: a 20 MB body split into lines costs
 * several times its size (issue 13), and a plain body is a slice of the input.
 */
export interface DecodedBody {
  text: string;
  map: LineMap;
  problems: Problem[];
  /** Set when a part was decoded with a fallback (e.g. HTML-only mail). */
  needsFallback?: boolean;
}

interface LeafResult {
  lines: string[];
  map: LineMap;
}

const MAX_MIME_DEPTH = 16;

export function problemAt(src: Source, line0: number, kind: string, message: string): Problem {
  // A part cut off by the end of the input is reported on the last line.
  const line = Math.max(1, Math.min(line0 + 1, src.idx.count));
  return { file: src.file, line, column: 1, kind, message };
}

/**
 * Decodes the body in lines [from, to) (0-based) of a message whose headers
 * gave `contentType` and `transferEncoding`.
 */
export function decodeBody(
  src: Source,
  from: number,
  to: number,
  contentType: string | null,
  transferEncoding: string | null,
): DecodedBody {
  const problems: Problem[] = [];
  const ct = parseContentType(contentType);
  const cte = (transferEncoding ?? '7bit').toLowerCase();
  if (!ct.type.startsWith('multipart/')) {
    if (isPlainEncoding(cte) && ct.params.format?.toLowerCase() !== 'flowed' && !ct.type.includes('html')) {
      return { ...plainBody(src, from, to, ct.params.charset ?? null), problems };
    }
    const leaf = decodeLeaf(src, from, to, ct, cte, problems);
    return { text: joinLines(leaf.lines), map: leaf.map, problems, needsFallback: ct.type === 'text/html' };
  }
  const out = { lines: [] as string[], map: new LineMapBuilder() };
  const found = walkMultipart(src, from, to, ct, 0, out, problems);
  if (!found) {
    return { text: joinLines(out.lines), map: out.map.build(), problems, needsFallback: true };
  }
  return { text: joinLines(out.lines), map: out.map.build(), problems };
}

/** Joins decoded lines into body text: every line ends in LF. */
export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** The lines of body text (every line ends in LF), as an array. */
export function splitBody(text: string): string[] {
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

function isPlainEncoding(cte: string): boolean {
  return cte === '7bit' || cte === '8bit' || cte === 'binary' || cte === '' || cte === '7-bit' || cte === '8-bit';
}

/** 7bit/8bit body: body line i is input line from+i. */
function fastPath(src: Source, from: number, to: number, charset: string | null): LeafResult {
  const n = Math.max(0, to - from);
  if (n === 0) return { lines: [], map: new OffsetLineMap(from + 1, 0) };
  const plain = plainText(src, from, to, charset);
  return { lines: plain.text.split('\n'), map: new OffsetLineMap(from + 1, n, plain.shifted) };
}

/**
 * A whole 7bit/8bit body as one string, lines never split apart: when
 * nothing needs undoing (no CR, no mboxrd escape, nothing to decode) it is a
 * slice of the input, which V8 keeps as a view, not a copy.
 */
function plainBody(src: Source, from: number, to: number, charset: string | null): { text: string; map: LineMap } {
  const n = Math.max(0, to - from);
  if (n === 0) return { text: '', map: new OffsetLineMap(from + 1, 0) };
  const plain = plainText(src, from, to, charset);
  // Same text as joinLines(plain.text.split('\n')), without the copy when it can be had.
  const text = plain.text === plain.raw && plain.whole.endsWith('\n') ? plain.whole : plain.text + '\n';
  return { text, map: new OffsetLineMap(from + 1, n, plain.shifted) };
}

/**
 * Input lines [from, to) (0-based, to > from) as decoded text without its
 * last LF.  `whole`: the input slice it came from; `raw`: that slice without
 * its last LF (the same string as `text` when nothing was undone).
 * `shifted`: lines whose mboxrd `>` was removed.
 */
function plainText(
  src: Source,
  from: number,
  to: number,
  charset: string | null,
): { text: string; whole: string; raw: string; shifted: Map<number, number> | null } {
  const { idx } = src;
  const whole = idx.text.slice(idx.start(from), idx.start(to));
  const unended = whole.endsWith('\n') ? whole.slice(0, -1) : whole;
  let raw = unended;
  if (raw.indexOf('\r') !== -1) raw = stripLineEndCRs(raw);
  let shifted: Map<number, number> | null = null;
  if (src.mboxrd && raw.indexOf('>From ') !== -1) {
    shifted = new Map();
    const lines = raw.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].charCodeAt(0) === 62 && /^>+From /.test(lines[i])) {
        lines[i] = lines[i].slice(1);
        shifted.set(i, 2);
      }
    }
    raw = lines.join('\n');
  }
  if (src.binary && !isAscii(raw)) raw = decodeBytes(binaryToBytes(raw), charset).text;
  return { text: raw, whole, raw: unended, shifted };
}

/** One non-multipart part: undo its transfer encoding, then its charset, then format=flowed. */
function decodeLeaf(
  src: Source,
  from: number,
  to: number,
  ct: { type: string; params: Record<string, string> },
  cte: string,
  problems: Problem[],
): LeafResult {
  const charset = ct.params.charset ?? null;
  if (charset && !knownCharset(charset)) {
    problems.push(problemAt(src, from, 'mime-decode', `unknown charset "${charset}": read as UTF-8 / latin-1`));
  }
  let res: LeafResult;
  if (cte === 'quoted-printable') res = decodeQuotedPrintable(src, from, to, charset);
  else if (cte === 'base64') res = decodeBase64(src, from, to, charset, problems);
  else {
    if (!isPlainEncoding(cte)) {
      problems.push(problemAt(src, from, 'mime-decode', `unknown transfer encoding "${cte}": read as 8bit`));
    }
    res = fastPath(src, from, to, charset);
  }
  if (ct.params.format?.toLowerCase() === 'flowed') {
    res = unflow(res, ct.params.delsp?.toLowerCase() === 'yes');
  }
  return res;
}

/** Bytes of line i of the input, as the message carries them. */
function lineBytes(src: Source, i: number): Uint8Array {
  const line = readLine(src, i);
  return src.binary ? binaryToBytes(line) : Buffer.from(line, 'utf8');
}

/**
 * Quoted-printable, line by line: a decoded line maps to the input line it
 * starts on; it is exact unless soft breaks (`=` at line end) joined lines.
 * ("Exact" is about the line and where it starts: inside it, an `=3D`
 * escape still shifts later columns by two.)
 */
function decodeQuotedPrintable(src: Source, from: number, to: number, charset: string | null): LeafResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const builder = new LineMapBuilder();
  let groupStart = -1;
  let groupLines = 0;
  for (let i = from; i < to; i++) {
    const bytes = lineBytes(src, i);
    if (groupStart === -1) {
      groupStart = i;
      groupLines = 0;
    }
    groupLines++;
    let end = bytes.length;
    // Trailing white space before a soft break is transport padding.
    let soft = false;
    let e = end;
    while (e > 0 && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--;
    if (e > 0 && bytes[e - 1] === 61) {
      soft = true;
      end = e - 1;
    }
    const out = new Uint8Array(end + 1);
    let o = 0;
    for (let k = 0; k < end; k++) {
      const b = bytes[k];
      if (b === 61 && k + 2 < end && isHex(bytes[k + 1]) && isHex(bytes[k + 2])) {
        const v = hexVal(bytes[k + 1]) * 16 + hexVal(bytes[k + 2]);
        out[o++] = v;
        k += 2;
        if (v === 10) builder.push(groupStart + 1, 1, false); // an encoded line break
      } else out[o++] = b;
    }
    if (!soft) {
      out[o++] = 10;
      builder.push(groupStart + 1, 1, groupLines === 1);
      groupStart = -1;
    }
    chunks.push(out.subarray(0, o));
    total += o;
  }
  if (groupStart !== -1) builder.push(groupStart + 1, 1, false);
  return linesFromBytes(concat(chunks, total), charset, builder.build());
}

function hexVal(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const all = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}

/** Splits decoded bytes into lines (after charset decoding), CR LF as LF. */
function linesFromBytes(bytes: Uint8Array, charset: string | null, map: LineMap): LeafResult {
  let text = decodeBytes(bytes, charset).text;
  if (text.endsWith('\n')) text = text.slice(0, -1);
  if (text.indexOf('\r') !== -1) text = stripLineEndCRs(text);
  const lines = text.length === 0 && bytes.length === 0 ? [] : text.split('\n');
  return { lines, map: fitMap(map, lines.length) };
}

/**
 * Removes CRs at line ends (CR LF, and the stray CR CR LF of a mail that
 * went through two converters), keeping CRs inside lines.
 */
export function stripLineEndCRs(text: string): string {
  // One pass per line: /\r+(?=\n)/ was quadratic on a long run of CRs with
  // no LF after it (each CR of the run started a new scan of the rest).
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    if (end !== line.length) lines[i] = line.slice(0, end);
  }
  return lines.join('\n');
}

/** Makes the map exactly `n` long (a charset could in theory merge or add LFs). */
function fitMap(map: LineMap, n: number): LineMap {
  if (map.length === n) return map;
  const b = new LineMapBuilder();
  for (let i = 0; i < n; i++) b.push(map.line(i), map.column(i), false);
  return b.build();
}

/**
 * Base64: decoded line k maps to the encoded line holding its first byte
 * (never exact: the text is not visible in the input).
 */
function decodeBase64(src: Source, from: number, to: number, charset: string | null, problems: Problem[]): LeafResult {
  const parts: string[] = [];
  // cumulative decoded byte count at the end of each encoded line
  const cum: number[] = [];
  let chars = 0;
  let junk = -1;
  for (let i = from; i < to; i++) {
    const line = readLine(src, i).trim();
    if (junk === -1 && /[^A-Za-z0-9+/=\s]/.test(line)) junk = i;
    const clean = line.replace(/[^A-Za-z0-9+/]/g, '');
    parts.push(clean);
    chars += clean.length;
    cum.push(Math.floor((chars * 6) / 8));
  }
  if (junk !== -1) problems.push(problemAt(src, junk, 'mime-decode', 'characters that are not base64 in a base64 part (skipped)'));
  const bytes = Buffer.from(parts.join(''), 'base64');
  const builder = new LineMapBuilder();
  let srcLine = 0;
  let lineStartByte = 0;
  const pushFor = (byteOff: number): void => {
    while (srcLine < cum.length - 1 && cum[srcLine] <= byteOff) srcLine++;
    builder.push(from + srcLine + 1, 1, false);
  };
  for (let k = 0; k < bytes.length; k++) {
    if (bytes[k] === 10) {
      pushFor(lineStartByte);
      lineStartByte = k + 1;
    }
  }
  if (lineStartByte < bytes.length) pushFor(lineStartByte);
  return linesFromBytes(bytes, charset, builder.build());
}

/**
 * format=flowed (RFC 3676) as git mailinfo undoes it: a line ending in a
 * space continues on the next; a leading space is stuffing; "-- " stays.
 */
function unflow(res: LeafResult, delsp: boolean): LeafResult {
  const lines: string[] = [];
  const map = new LineMapBuilder();
  let pending = '';
  let pendingAt = -1;
  for (let i = 0; i < res.lines.length; i++) {
    let line = res.lines[i];
    let col = res.map.column(i);
    if (line === '-- ') {
      if (pendingAt !== -1) {
        lines.push(pending);
        map.push(res.map.line(pendingAt), res.map.column(pendingAt), false);
        pending = '';
        pendingAt = -1;
      }
      lines.push(line);
      map.push(res.map.line(i), col, res.map.exact(i));
      continue;
    }
    if (line.startsWith(' ')) {
      line = line.slice(1);
      col += 1;
    }
    if (line.endsWith(' ')) {
      if (pendingAt === -1) pendingAt = i;
      pending += delsp ? line.slice(0, -1) : line;
      continue;
    }
    if (pendingAt !== -1) {
      lines.push(pending + line);
      map.push(res.map.line(pendingAt), res.map.column(pendingAt), false);
      pending = '';
      pendingAt = -1;
    } else {
      lines.push(line);
      map.push(res.map.line(i), col, res.map.exact(i));
    }
  }
  if (pendingAt !== -1) {
    lines.push(pending);
    map.push(res.map.line(pendingAt), res.map.column(pendingAt), false);
  }
  return { lines, map: map.build() };
}

/** Whether a leaf part is text a reviewer reads in the body. */
function isBodyPart(type: string, disposition: string, filename: string): boolean {
  if (/\.(patch|diff)$/i.test(filename)) return true;
  if (type === 'text/x-patch' || type === 'text/x-diff' || type === 'text/patch' || type === 'text/diff') return true;
  if (type === 'text/plain' && !disposition.startsWith('attachment')) return true;
  return false;
}

/**
 * Walks a multipart body in lines [from, to), appending readable leaves.
 * Returns whether any text part was found.
 */
function walkMultipart(
  src: Source,
  from: number,
  to: number,
  ct: { type: string; params: Record<string, string> },
  depth: number,
  out: { lines: string[]; map: LineMapBuilder },
  problems: Problem[],
): boolean {
  const boundary = ct.params.boundary;
  if (!boundary) {
    problems.push(problemAt(src, from, 'mime-decode', `${ct.type} without a boundary: read as plain text`));
    appendLeaf(out, fastPath(src, from, to, null));
    return true;
  }
  if (depth >= MAX_MIME_DEPTH) {
    problems.push(problemAt(src, from, 'mime-decode', `MIME parts nested deeper than ${MAX_MIME_DEPTH}: inner parts skipped`));
    return false;
  }
  const delim = '--' + boundary;
  const parts: [number, number][] = [];
  let partStart = -1;
  let closed = false;
  for (let i = from; i < to; i++) {
    const line = src.idx.line(i);
    if (line.charCodeAt(0) !== 45 || !line.startsWith(delim)) continue;
    const rest = line.slice(delim.length);
    if (rest.startsWith('--')) {
      if (partStart !== -1) parts.push([partStart, i]);
      partStart = -1;
      closed = true;
      break;
    }
    if (rest.trim() !== '') continue;
    if (partStart !== -1) parts.push([partStart, i]);
    partStart = i + 1;
  }
  if (partStart !== -1) parts.push([partStart, to]);
  if (!closed && parts.length > 0) {
    problems.push(problemAt(src, from, 'mime-decode', `multipart body has no closing boundary "${delim}--"`));
  }
  const alternative = ct.type === 'multipart/alternative';
  let found = false;
  for (const [a, b] of parts) {
    const hb = readHeaderBlock(src.idx, a, b, src.binary);
    let type = 'text/plain';
    let params: Record<string, string> = {};
    let cte = '7bit';
    let disposition = '';
    for (const h of hb.headers) {
      const name = h.name.toLowerCase();
      if (name === 'content-type') ({ type, params } = parseContentType(h.raw));
      else if (name === 'content-transfer-encoding') cte = h.raw.trim().toLowerCase();
      else if (name === 'content-disposition') disposition = h.raw.trim().toLowerCase();
    }
    const filename = params.name ?? /filename\*?="?([^";]*)/i.exec(disposition)?.[1] ?? '';
    const bodyStart = hb.bodyStart;
    if (type.startsWith('multipart/')) {
      if (walkMultipart(src, bodyStart, b, { type, params }, depth + 1, out, problems)) {
        found = true;
        if (alternative) break;
      }
      continue;
    }
    if (!isBodyPart(type, disposition, filename)) continue;
    appendLeaf(out, decodeLeaf(src, bodyStart, trimBoundaryBlank(src, bodyStart, b), { type, params }, cte, problems));
    found = true;
    if (alternative) break;
  }
  return found;
}

/**
 * The line break before a boundary belongs to the boundary (RFC 2046 5.1.1),
 * so in our one-entry-per-line model an empty last line is not content.
 */
function trimBoundaryBlank(src: Source, from: number, to: number): number {
  if (to > from && src.idx.line(to - 1) === '') return to - 1;
  return to;
}

function appendLeaf(out: { lines: string[]; map: LineMapBuilder }, leaf: LeafResult): void {
  for (let i = 0; i < leaf.lines.length; i++) out.lines.push(leaf.lines[i]);
  out.map.append(leaf.map);
}
