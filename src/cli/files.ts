/** Reading the CLI's inputs: FILE arguments, or the bundled example series. */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from './io.js';
import type { ReviewInput } from '../core/review.js';

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

/**
 * Reads every FILE; on the first that cannot be read, prints one line naming
 * it and returns null (exit 2).
 */
export function readInputs(paths: string[], io: CliIO): ReviewInput[] | null {
  const inputs: ReviewInput[] = [];
  for (const path of paths) {
    try {
      inputs.push({ file: path, data: io.readFile(path) });
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      io.err(`patchlens: cannot read ${path}: ${reason}\n`);
      return null;
    }
  }
  return inputs;
}
