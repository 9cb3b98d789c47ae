/**
 * Reading a kernel tree with paths that come from mail.
 *
 * A diff names its files (`a/mm/memory.c`), and a hostile mail can name
 * `a/../outside/secret.h`, `/etc/hostname.h` or a symlink that points out of
 * the tree.  Every read of kernel-tree mode goes through `TreeReader.read()`,
 * which refuses such a path before anything is opened:
 *
 *   - an absolute path, a `..` segment, a NUL byte or a backslash is refused
 *     from its text alone;
 *   - the resolved path (symlinks followed, `realpath`) must stay under the
 *     tree's own resolved root, or it is refused.
 *
 * Each refusal is kept (`refused`) so the caller reports it as a problem.
 * The file-system calls are injected (`TreeFs`), so a test can give a layer
 * that fails on any path outside the tree.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

/** The two file-system calls kernel-tree mode makes. */
export interface TreeFs {
  /** Resolved absolute path (symlinks followed); throws when absent. */
  realpath(path: string): string;
  /** Whole file as UTF-8; throws when absent or not a file. */
  readFile(path: string): string;
}

export const nodeTreeFs: TreeFs = {
  realpath: (p) => realpathSync(p),
  readFile: (p) => {
    if (!statSync(p).isFile()) throw new Error(`${p} is not a file`);
    return readFileSync(p, 'utf8');
  },
};

export interface Refusal {
  path: string;
  reason: string;
}

export interface TreeReader {
  root: string;
  /** The file's text, or null when absent or refused (see `refused`). */
  read(rel: string): string | null;
  /** Why `rel` may not be read, or null when it stays inside the tree. */
  check(rel: string): string | null;
  /** Every path refused so far, once each. */
  refused: Refusal[];
}

/** Why a path from mail cannot name a file of the tree, from its text alone. */
export function unsafeTreePath(rel: string): string | null {
  if (rel === '') return 'empty path';
  if (rel.includes('\0')) return 'path holds a NUL byte';
  if (rel.includes('\\')) return 'path holds a backslash';
  if (isAbsolute(rel) || rel.startsWith('/')) return 'absolute path';
  if (rel.split('/').some((s) => s === '..')) return "path climbs out with '..'";
  return null;
}

/** A reader of one tree through one file-system layer. */
export function treeReader(root: string, fs: TreeFs = nodeTreeFs): TreeReader {
  let realRoot: string | null = null;
  try {
    realRoot = fs.realpath(root);
  } catch {
    realRoot = null;
  }
  /** The resolved path inside the tree, null when absent, or why it is refused. */
  const resolve = (rel: string): { real: string | null } | { refused: string } => {
    const bad = unsafeTreePath(rel);
    if (bad) return { refused: bad };
    if (realRoot === null) return { refused: 'the tree directory does not exist' };
    let real: string;
    try {
      real = fs.realpath(join(realRoot, rel));
    } catch {
      return { real: null }; // absent: nothing is opened
    }
    const prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
    if (!real.startsWith(prefix)) return { refused: 'a symlink leads out of the tree' };
    return { real };
  };
  const reader: TreeReader = {
    root,
    refused: [],
    check(rel) {
      const r = resolve(rel);
      return 'refused' in r ? r.refused : null;
    },
    read(rel) {
      const r = resolve(rel);
      if ('refused' in r) {
        if (!reader.refused.some((x) => x.path === rel)) reader.refused.push({ path: rel, reason: r.refused });
        return null;
      }
      if (r.real === null) return null;
      try {
        // The resolved path: the file checked is the file opened.
        return fs.readFile(r.real);
      } catch {
        return null;
      }
    },
  };
  return reader;
}
