/**
 * FLAG-BIT-COLLISION against the model's flag table (hand-built defines):
 * bits a flag had in older kernels are its own, arch-shared bits give an info,
 * a changed value is compared like a new one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DefineFact } from '../../../src/core/c/facts.js';
import { runChecks } from '../../../src/core/checks/index.js';
import { defaultModel } from '../../../src/core/model/index.js';

let line = 0;
function def(name: string, text: string, change: '+' | '-' | ' ' = '+'): DefineFact {
  return { name, text, value: null, pos: { file: 'f.patch', line: ++line, column: 2 }, change, path: 'include/linux/mm.h' };
}
const run = (...defines: DefineFact[]) =>
  runChecks([{ facts: { functions: [], defines, comments: [], skipped: [] } }], defaultModel(), { disabledRules: ['FLAG-NOT-REGISTERED'] })
    .map((f) => `${f.rule}:${f.severity}:${f.message}`);

test('a changed flag value is compared with the model like a new flag', () => {
  const out = run(def('VM_SEALED', '0x00001000'));
  assert.equal(out.length, 1);
  assert.match(out[0], /^FLAG-BIT-COLLISION:error:VM_SEALED is bit 12 \(0x1000\), which the model gives to VM_UFFD_WP\.$/);
});

test('a bit the model knows the flag had in an older kernel is not a collision (VM_UFFD_MINOR at 38 in 6.12)', () => {
  assert.deepEqual(run(def('VM_UFFD_MINOR', 'BIT(38)')), []);
  assert.deepEqual(run(def('VM_SEALED', '_BITUL(63)')), []);
});

test('a new flag on an arch-shared bit is an info that says why', () => {
  const out = runChecks([{ facts: { functions: [], defines: [def('VM_FOO', 'BIT(37)')], comments: [], skipped: [] } }], defaultModel(),
    { disabledRules: ['FLAG-NOT-REGISTERED'] });
  assert.equal(out.length, 1);
  assert.equal(out[0].severity, 'info');
  assert.match(out[0].uncertain ?? '', /shared by arch/);
});

test('a flag the series removes frees its bit (VM_DENYWRITE -> VM_MAYBE_GUARD)', () => {
  assert.deepEqual(run(def('VM_DENYWRITE', '0x00000800', '-'), def('VM_MAYBE_GUARD', '0x00000800')), []);
  // Two new flags of one series on one bit collide with each other.
  const out = run(def('VM_FOO', 'BIT(43)'), def('VM_BAR', 'BIT(43)'));
  assert.ok(out.some((x) => /VM_BAR is bit 43 .* same value as VM_FOO/.test(x)), out.join('\n'));
});
