/**
 * The oracle for "is this still a patch": `git apply --numstat` reads the
 * text (nothing is applied).  Results are cached by the text's hash in the
 * git-ignored .bench-cache/, so a second run spawns git only for new texts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../src/cli/files.js';

const cacheFile = join(packageRoot(), '.bench-cache', 'recall-git-apply.json');
let cache: Record<string, boolean> | null = null;

function load(): Record<string, boolean> {
  if (cache) return cache;
  try {
    cache = existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, boolean>) : {};
  } catch {
    cache = {};
  }
  return cache;
}

/** The numstat rows git gives, or null when git rejects the patch. */
export function numstat(text: string): string[] | null {
  try {
    return execFileSync('git', ['apply', '--numstat'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] }).toString().trim().split('\n');
  } catch {
    return null;
  }
}

/** Whether git reads the text as a patch (cached). */
export function gitAccepts(text: string): boolean {
  const c = load();
  const key = createHash('sha256').update(text).digest('hex');
  if (!(key in c)) c[key] = numstat(text) !== null;
  return c[key]!;
}

export function saveGitCache(): void {
  if (!cache) return;
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(cache));
}
