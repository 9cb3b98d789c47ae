/**
 * Measures the mail reader (not a test: timings are not asserted).
 *
 *   node --import tsx test/unit/mail/measure.ts
 *
 * Prints readInput throughput on a ~20 MB mbox made of corpus mails, and
 * the slowest of the hostile inputs the property tests use.
 */
import fc from 'fast-check';
import { readInput } from '../../../src/core/mail/index.js';
import { corpusMbox } from './corpus-mbox.js';


function repeatTo(one: Buffer, bytes: number): Buffer {
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / one.length) }, () => one));
}

async function time(data: string | Uint8Array, name = 'x'): Promise<number> {
  const t0 = performance.now();
  await readInput(name, data);
  return performance.now() - t0;
}

const one = corpusMbox({ threads: true });
for (const mb of [20, 50]) {
  const big = repeatTo(one, mb * 1024 * 1024);
  const runs: number[] = [];
  for (let k = 0; k < 3; k++) runs.push(await time(big, 'big.mbox'));
  const best = Math.min(...runs);
  console.log(`${(big.length / 1048576).toFixed(1)} MB mbox (bytes): best ${best.toFixed(0)} ms = ${(big.length / 1048576 / (best / 1000)).toFixed(1)} MB/s (runs ${runs.map((r) => r.toFixed(0)).join(', ')})`);
}
{
  const big = repeatTo(one, 20 * 1024 * 1024).toString('latin1');
  const ms = await time(big, 'big.mbox');
  console.log(`20 MB mbox (string): ${ms.toFixed(0)} ms = ${(big.length / 1048576 / (ms / 1000)).toFixed(1)} MB/s`);
}

const long = (s: string): string => s.repeat(Math.ceil(100_000 / s.length)).slice(0, 100_000);
const hostile: Record<string, string> = {
  header: `From: ${long('a')}\nSubject: ${long('=?x?')}\n\nbody\n`,
  encodedWords: `Subject: ${long('=?utf-8?q?a?= ')}\n\nx\n`,
  quoted: `${long('>')}\n${long('> ')}diff --git a/x b/x\n`,
  htmlish: `Content-Type: text/html\n\n${long('<')}\n`,
  qp: `Content-Transfer-Encoding: quoted-printable\n\n${long('=3D')}\n${long('=')}\n`,
  base64: `Content-Transfer-Encoding: base64\n\n${long('QUJD')}\n`,
  damaged: `From x ${long(' Subject: a Date: b From: c Message-ID: <d> ')}`,
  damagedStat: `Subject: a Date: b From: c To: d ${long('x ')} --- ${long('f | 1 + ')} diff --git a/x b/x`,
  addresses: `To: ${long('a <b@c>, ')}\nCc: ${long('"')}\n\nx\n`,
  deepQuote: `On a, B wrote:\n${('> '.repeat(20) + '+x\n').repeat(5000)}`,
};
let slowest = { name: '', ms: 0 };
for (const [name, text] of Object.entries(hostile)) {
  const ms = await time(text, name);
  if (ms > slowest.ms) slowest = { name, ms };
}
let randomWorst = 0;
await fc.assert(
  fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (b) => {
    randomWorst = Math.max(randomWorst, await time(b));
  }),
  { numRuns: 500 },
);
console.log(`slowest 100,000-char-line case: ${slowest.name} ${slowest.ms.toFixed(1)} ms; slowest random 4 KB input: ${randomWorst.toFixed(1)} ms`);
