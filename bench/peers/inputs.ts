/**
 * The inputs every tool of the comparison runs on: the corpus threads, the
 * real patches, and a generated ~20 MB mbox; plus the C text of each patch's
 * hunks, which is what the bare tree-sitter parse is given.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { CliIO } from '../../src/cli/io.js';
import { join } from 'node:path';
import { packageRoot } from '../../src/cli/files.js';

/**
 * The repository: the first folder above this file with a package.json.
 * The same from bench/peers/ (run with tsx) and out/bench/peers/ (compiled,
 * which is how bench:peers runs: no loader hooks in the timed process).
 */
export const root = packageRoot();

/** The CLI's IO with the output dropped: in-process runs build it, print nothing. */
export const silentIO: CliIO = {
  out: () => {},
  err: () => {},
  readFile: (path) => readFileSync(path),
  writeFile: (path, data) => writeFileSync(path, data),
  readStdin: () => new Uint8Array(),
};
export const corpus = join(root, 'test/fixtures/corpus');

export function threadFiles(): string[] {
  const dir = join(corpus, 'threads');
  return readdirSync(dir).filter((f) => f.endsWith('.mbox')).sort().map((f) => join(dir, f));
}

export function realPatchFiles(): string[] {
  const dir = join(corpus, 'real');
  return readdirSync(dir).filter((f) => f.endsWith('.patch')).sort().map((f) => join(dir, f));
}

export { generateMbox } from '../mbox.js';

/**
 * The C a bare parse is given for one patch: for every .c/.h file of the
 * diff, its pre-image (context and `-` lines of all its hunks, in order) and
 * its post-image (context and `+` lines).  That is the text PatchLens parses
 * in its no-tree mode, before its own preparation (macro neutralising,
 * composing hunks into functions), so the ratio shows what the preparation,
 * the fact extraction and the checks cost on top of tree-sitter itself.
 *
 * Deliberately simple and independent of src/: a `diff --git` line starts a
 * file, `@@` a hunk; a hunk ends where its counted lines end.
 */
export function hunkImages(mail: string): string[] {
  const lines = mail.replace(/\r\n/g, '\n').split('\n');
  const images: string[] = [];
  let isC = false;
  let pre: string[] = [];
  let post: string[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  const flush = (): void => {
    if (isC && (pre.length || post.length)) images.push(pre.join('\n') + '\n', post.join('\n') + '\n');
    pre = [];
    post = [];
  };
  for (const line of lines) {
    if (oldLeft > 0 || newLeft > 0) {
      const kind = line[0] ?? ' ';
      const text = line.slice(1);
      if (kind === '-') {
        pre.push(text);
        oldLeft--;
      } else if (kind === '+') {
        post.push(text);
        newLeft--;
      } else if (kind === ' ' || line === '') {
        pre.push(text);
        post.push(text);
        oldLeft--;
        newLeft--;
      } else if (kind !== '\\') {
        oldLeft = newLeft = 0;
      }
      continue;
    }
    if (line.startsWith('diff --git ')) {
      flush();
      isC = /\.[ch]$/.test(line);
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
    }
  }
  flush();
  return images;
}
