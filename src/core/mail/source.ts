/**
 * The input document as the mail readers see it.
 *
 * Bytes that are valid UTF-8 are decoded once and read as a string, so
 * columns count the same characters an editor shows.  Otherwise (a latin-1
 * 8bit body inside an mbox, say) the input is kept as a "binary string", one
 * character per byte, and each piece of text is decoded with the charset its
 * own MIME part declares.
 */
import { LineIndex } from './lines.js';
import { isGtFrom } from './mbox.js';

export interface Source {
  file: string;
  idx: LineIndex;
  /** One character per input byte (needs decoding per part). */
  binary: boolean;
  /** Undo mboxrd `>From ` escaping when reading body lines. */
  mboxrd: boolean;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function makeSource(file: string, data: string | Uint8Array): Source {
  let text: string;
  let binary = false;
  if (typeof data === 'string') text = data;
  else {
    try {
      text = strictUtf8.decode(data);
    } catch {
      text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
      binary = true;
    }
  }
  // A byte-order mark is not part of the first header; editors do not count it as a column.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Old Mac line ends (CR alone, no LF anywhere): editors break lines there, so do we.
  if (text.indexOf('\n') === -1 && text.indexOf('\r') !== -1) text = text.replace(/\r/g, '\n');
  return { file, idx: new LineIndex(text), binary, mboxrd: false };
}

/** Line i (0-based) as a mail reader sees it: mboxrd escape undone when asked. */
export function readLine(src: Source, i: number): string {
  const line = src.idx.line(i);
  if (src.mboxrd && line.charCodeAt(0) === 62 && isGtFrom(line)) return line.slice(1);
  return line;
}
