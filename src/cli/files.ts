/** Reading the CLI's inputs: FILE arguments, or the bundled example series. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from './io.js';
import type { ReviewInput } from '../core/review.js';
import type { ReadResult } from '../core/types.js';

/** The package root: the first folder above this module with a package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** The files of examples/: seed mails of one series, in several shapes. */
export function exampleFiles(): string[] {
  const dir = join(packageRoot(), 'examples');
  return readdirSync(dir)
    .filter((name) => !name.endsWith('.md'))
    .sort()
    .map((name) => join(dir, name));
}

/** How the inputs of a command were read. */
export interface ReadInputs {
  inputs: ReviewInput[];
  /** Files that could not be read (missing, a directory, no permission): each named on stderr. */
  unreadable: number;
}

/** Name of standard input in positions and messages. */
export const STDIN_NAME = '<stdin>';

/**
 * Reads every FILE (`-` is standard input).  With no FILE, standard input is
 * read when it is not a terminal; `fallback` (summarize's bundled examples)
 * serves when standard input is a terminal or empty.  A file that cannot be
 * read is named on stderr and the others are still read: the command goes on
 * and exits 2.  Null when nothing could be read (each reason printed).
 */
export function readInputs(files: string[], io: CliIO, command: string, fallback?: () => string[]): ReadInputs | null {
  let unreadable = 0;
  const inputs: ReviewInput[] = [];
  const readOne = (path: string): void => {
    try {
      inputs.push({ file: path, data: io.readFile(path) });
    } catch (e) {
      unreadable++;
      io.err(`patchlens ${command}: cannot read ${path}: ${readError(e)}\n`);
    }
  };
  if (files.length === 0) {
    const stdin = io.stdinIsTTY !== true ? readStdin(io, command) : null;
    if (stdin && stdin.length > 0) return { inputs: [{ file: STDIN_NAME, data: stdin }], unreadable: 0 };
    if (fallback) {
      for (const path of fallback()) readOne(path);
      return { inputs, unreadable };
    }
    if (stdin) return { inputs: [{ file: STDIN_NAME, data: stdin }], unreadable: 0 };
    io.err(`patchlens ${command}: no FILE given, and standard input is a terminal\nTry 'patchlens help ${command}'.\n`);
    return null;
  }
  let stdinRead = false;
  for (const path of files) {
    if (path !== '-') {
      readOne(path);
      continue;
    }
    if (stdinRead) continue; // `- -`: standard input is read once
    stdinRead = true;
    const data = readStdin(io, command);
    if (data) inputs.push({ file: STDIN_NAME, data });
    else unreadable++;
  }
  // Nothing could be read: the errors said why; there is nothing to print.
  return inputs.length === 0 ? null : { inputs, unreadable };
}

function readStdin(io: CliIO, command: string): Uint8Array | null {
  try {
    return io.readStdin();
  } catch (e) {
    io.err(`patchlens ${command}: cannot read standard input: ${(e as Error).message}\n`);
    return null;
  }
}

function readError(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory (give the mail files in it)';
    case 'EACCES':
      return 'permission denied';
    default:
      return (e as Error).message;
  }
}

/**
 * Inputs that gave no mail at all (empty, binary, undecodable): each named
 * on stderr with where and why, so that a command never exits 0 on them.
 * Returns how many there were.
 */
export function reportNoMail(reads: readonly ReadResult[], io: CliIO, command: string): number {
  let count = 0;
  for (const r of reads) {
    if (r.messages.length > 0) continue;
    count++;
    const p = r.problems[0];
    io.err(`patchlens ${command}: ${p ? `${r.file}:${p.line}:${p.column}: ${p.message}` : `${r.file}: no mail in this file (it is empty)`}\n`);
  }
  return count;
}

/** The version in package.json. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Whether a path is a directory (for --tree). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
