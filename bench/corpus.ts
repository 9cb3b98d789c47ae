/**
 * The corpus/real patches as the C benchmarks (facts.ts, check.ts) take
 * them: each patch's diff with a line map, and the text a bare tree-sitter
 * parse is given (for every C file, the pre- and post-image lines of its
 * hunks, joined).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/cli/files.js';
import { readDiff } from '../src/core/diff/index.js';
import { hunkImages } from '../src/core/diff/images.js';
import type { LineMap } from '../src/core/types.js';

export interface CorpusCase {
  name: string;
  diff: string;
  map: LineMap;
  /** The image texts a bare parse gets. */
  images: string[];
}

export function corpusCases(): CorpusCase[] {
  const real = join(packageRoot(), 'test/fixtures/corpus/real');
  return readdirSync(real)
    .sort()
    .map((name) => {
      const lines = readFileSync(join(real, name), 'utf8').split('\n');
      const start = Math.max(0, lines.findIndex((l) => l.startsWith('diff --git ')));
      const diff = lines.slice(start).join('\n');
      const images: string[] = [];
      for (const f of readDiff(diff).files) {
        const path = f.newPath ?? f.oldPath ?? '';
        if (f.binary || !/\.[ch]$/.test(path)) continue;
        const h = hunkImages(f);
        for (const side of ['pre', 'post'] as const) images.push(h.flatMap((x) => x[side].map((l) => l.text)).join('\n') + '\n');
      }
      const map: LineMap = { length: lines.length - start, line: (i) => start + i + 1, column: () => 1, exact: () => true };
      return { name, diff, map, images };
    });
}

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
