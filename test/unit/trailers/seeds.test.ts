/**
 * The seed mails (test/fixtures/seeds/README.md), read the way a reviewer
 * meets them: what tags each yields, from where, and what is noted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readInput } from '../../../src/core/mail/index.js';
import { assembleSeries } from '../../../src/core/series/index.js';
import type { MailMessage } from '../../../src/core/types.js';
import { collectTrailers, changelogExplains } from '../../../src/core/trailers/collect.js';
import { checkSignoffChain, signoffChain } from '../../../src/core/trailers/signoff.js';
import { commitParts } from '../../../src/core/trailers/commit.js';

const SEEDS = new URL('../../fixtures/seeds/', import.meta.url).pathname;
const S000 = '000_dbfa3d816e84323d.txt';
const S001 = '001_872d036f281e0629.txt';
const S002 = '002_2d6408fa18c60d10.txt';
const S003 = '003_6bc468803e1b8b4d.txt';

async function read(...names: string[]): Promise<MailMessage[]> {
  const out: MailMessage[] = [];
  for (const n of names) out.push(...(await readInput(n, readFileSync(SEEDS + n))).messages);
  return out;
}

test('seed 000: Lance Yang\'s Reviewed-by and David Hildenbrand (Red Hat)\'s Acked-by from the replies, on top of the patch\'s own', async () => {
  const messages = await read(S000);
  const series = assembleSeries(messages);
  const c = collectTrailers(series, messages);
  const p = c.patches.find((e) => e.patch.subject.title === 'mm: add atomic VMA flags and set VM_MAYBE_GUARD as such')!;
  assert.equal(p.version.version, 4);
  assert.deepEqual(
    p.tags.map((t) => `${t.status} ${t.key}: ${t.value} (${t.origin}, v${t.version}, line ${t.pos.line})`),
    [
      'in-patch Signed-off-by: Lorenzo Stoakes <lorenzo.stoakes@oracle.com> (patch, v4, line 16)',
      'in-patch Reviewed-by: Pedro Falcato <pfalcato@suse.de> (patch, v4, line 17)',
      'in-patch Reviewed-by: Vlastimil Babka <vbabka@suse.cz> (patch, v4, line 18)',
      'collected Reviewed-by: Lance Yang <lance.yang@linux.dev> (reply, v4, line 108)',
      'collected Acked-by: David Hildenbrand (Red Hat) <david@kernel.org> (reply, v4, line 130)',
    ],
  );
  // The replies quote the patch's trailers: no notice for those.
  assert.deepEqual(c.findings, []);
});

test('seed 001: Vlastimil Babka\'s Reviewed-by, quoted in the author\'s answer, with its obfuscated address noted', async () => {
  const alone = await read(S001);
  const c = collectTrailers(assembleSeries(alone), alone);
  const tags = c.orphans.flatMap((o) => o.tags);
  assert.deepEqual(tags.map((t) => [t.key, t.name, t.email, t.status, t.via]), [
    ['Reviewed-by', 'Vlastimil Babka', '[email protected]', 'unconfirmed', 'quoted'],
  ]);
  assert.equal(tags[0].pos.line, 79);
  assert.match(tags[0].notice!, /Vlastimil Babka's reply/);
  const f = c.findings.find((x) => x.rule === 'TAG-OBFUSCATED')!;
  assert.equal(f.line, 79);
  assert.equal(f.severity, 'warning');
  // With another mail of his in the input, the address is recovered.
  const both = await read(S001, S000);
  const c2 = collectTrailers(assembleSeries(both), both);
  const t2 = c2.orphans.flatMap((o) => o.tags)[0];
  assert.equal(t2.recoveredEmail, 'vbabka@suse.cz');
  assert.equal(c2.findings.find((x) => x.rule === 'TAG-OBFUSCATED')!.severity, 'info');
});

test('seed 002: the backport keeps the upstream chain, ending in Andrew Morton\'s and Ahmed Elaidy\'s Signed-off-by', async () => {
  const messages = await read(S002);
  const series = assembleSeries(messages);
  const patch = series[0].versions[0].patches[0];
  assert.equal(patch.upstreamCommit, '5dba5cc2e0ffa76f2f6c8922a04469dc9602c396');
  const parts = commitParts(patch);
  const chain = parts.trailers.filter((t) => t.key === 'Signed-off-by').map((t) => t.value);
  assert.deepEqual(chain, ['Lorenzo Stoakes', 'Andrew Morton', 'Ahmed Elaidy']);
  assert.deepEqual(
    parts.trailers.filter((t) => t.key !== 'Cc').map((t) => t.key),
    ['Link', 'Link', 'Signed-off-by', 'Reviewed-by', 'Reviewed-by', 'Acked-by', 'Reviewed-by', 'Signed-off-by', 'Signed-off-by'],
  );
  assert.ok(!parts.message.includes('Signed-off-by'), 'trailers are not part of the commit text');
  assert.deepEqual(checkSignoffChain({ ...patch, trailers: parts.trailers }, parts.trailers), []);
  assert.ok(signoffChain({ ...patch, trailers: parts.trailers }).length === 3);
});

test('seed 003: "Propagated tags" is a changelog line that explains tags changing between versions', async () => {
  const messages = await read(S003);
  const v4 = assembleSeries(messages)[0].versions.find((v) => v.version === 4)!;
  const why = changelogExplains(v4, { name: 'Vlastimil Babka' });
  assert.ok(why);
  assert.match(why.line, /^Propagated tags/);
  assert.equal(why.pos.line, 29);
  assert.equal(changelogExplains({ ...v4, changelog: [{ version: 'v4', lines: ['Renamed foo() to bar()'], pos: why.pos }] }, { name: 'X' }), null);
});
