/**
 * False alarms: every patch of test/fixtures/corpus/real/ was accepted
 * upstream, so a warning or error there is a false alarm.  At most one per
 * 20 patches is allowed, and each remaining one must be listed with its
 * reason in test/fixtures/checks/corpus-warnings.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { review } from '../../../src/core/review.js';
import { RULES } from '../../../src/core/checks/index.js';

const ROOT = new URL('../../../', import.meta.url);
const DIR = new URL('test/fixtures/corpus/real/', ROOT);
const LOCK_RULES = new Set(RULES.map((r) => r.id));
const listed = JSON.parse(readFileSync(new URL('test/fixtures/checks/corpus-warnings.json', ROOT), 'utf8')) as
  { file: string; line: number; rule: string; reason: string }[];

test('real corpus: at most one warning-or-error per 20 patches, each listed with its reason', async () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.patch')).sort();
  assert.ok(files.length >= 40, `corpus has ${files.length} patches`);
  const alarms: { file: string; line: number; rule: string; message: string }[] = [];
  let infos = 0;
  for (const name of files) {
    const r = await review([{ file: name, data: readFileSync(new URL(name, DIR)) }]);
    for (const f of r.findings) {
      if (!LOCK_RULES.has(f.rule)) continue;
      if (f.severity === 'info') infos++;
      else alarms.push({ file: name, line: f.line, rule: f.rule, message: f.message });
    }
  }
  const unlisted = alarms.filter((a) => !listed.some((l) => l.file === a.file && l.line === a.line && l.rule === a.rule));
  assert.deepEqual(unlisted, [], 'every false alarm is listed in corpus-warnings.json');
  const stale = listed.filter((l) => !alarms.some((a) => l.file === a.file && l.line === a.line && l.rule === a.rule));
  assert.deepEqual(stale, [], 'every listed false alarm still occurs');
  assert.ok(listed.every((l) => l.reason.length > 10));
  assert.ok(alarms.length <= Math.floor(files.length / 20), `${alarms.length} false alarms over ${files.length} patches`);
  // The figure the report quotes.
  process.stdout.write(`# corpus: ${files.length} patches, ${alarms.length} warning/error false alarms (${(alarms.length * 20 / files.length).toFixed(2)} per 20), ${infos} infos\n`);
});
