/**
 * One mbox of the whole corpus for the large-input property test and the
 * throughput measurement: every corpus/real and corpus/formats mail (a
 * `From ` line added where the file has none), optionally the threads too.
 */
import { readdirSync, readFileSync } from 'node:fs';

const corpus = new URL('../../fixtures/corpus/', import.meta.url);

export function corpusMbox(options: { threads: boolean }): Buffer {
  const parts: Buffer[] = [];
  for (const dir of ['real', 'formats']) {
    for (const f of readdirSync(new URL(dir + '/', corpus)).sort()) {
      let b = readFileSync(new URL(`${dir}/${f}`, corpus));
      if (!b.subarray(0, 5).equals(Buffer.from('From '))) b = Buffer.concat([Buffer.from('From corpus@z Mon Sep 17 00:00:00 2001\n'), b]);
      if (b[b.length - 1] !== 10) b = Buffer.concat([b, Buffer.from('\n')]);
      parts.push(b);
    }
  }
  if (options.threads) {
    for (const f of readdirSync(new URL('threads/', corpus)).sort()) parts.push(readFileSync(new URL(`threads/${f}`, corpus)));
  }
  return Buffer.concat(parts);
}
