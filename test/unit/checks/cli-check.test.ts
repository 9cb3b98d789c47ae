/**
 * `patchlens check`: the four output formats, --fail-on exit codes, --model,
 * and SARIF validated with ajv against the SARIF 2.1.0 schema excerpt in
 * test/fixtures/checks (copied from the OASIS schema, see its $comment).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { run } from '../../../src/cli/commands/check.js';
import type { CliIO } from '../../../src/cli/io.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SEED001 = join(ROOT, 'test/fixtures/seeds/001_872d036f281e0629.txt');
const SEED002 = join(ROOT, 'test/fixtures/seeds/002_2d6408fa18c60d10.txt');
const ORDER = join(ROOT, 'test/fixtures/checks/lock-order-081-reversed.patch');
const REAL081 = join(ROOT, 'test/fixtures/corpus/real/081-mm-lock-newly-mapped-vma-with-corrected-ordering.patch');
const ATOMIC = join(ROOT, 'test/fixtures/checks/flag-atomic-locked-bit.patch');

function fakeIO(stdin = ''): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    readFile: (p: string) => readFileSync(p),
    writeFile: () => {},
    readStdin: () => Buffer.from(stdin),
  };
  return io;
}

test('text: FILE:LINE:COL: SEVERITY RULE-ID message, problems at their line; warnings pass the default --fail-on', async () => {
  const io = fakeIO();
  const code = await run(['--format', 'text', SEED001, SEED002], io);
  assert.equal(code, 0);
  const lines = io.stdout.trimEnd().split('\n');
  assert.ok(lines.some((l) => l.startsWith(`${SEED001}:100:20: warning STALE-COMMENT-IDENT The comment names userfaultfd_wp()`)), io.stdout);
  assert.ok(lines.some((l) => l.startsWith(`${SEED002}:1:`) && l.includes('problem damaged-diff')), io.stdout);
  for (const l of lines.filter((x) => !x.startsWith('  '))) assert.match(l, /^.+:\d+:\d+: (error|warning|info|problem) \S+/);
});

test('--fail-on: error (default) / warning / never decide the exit status', async () => {
  assert.equal(await run([SEED001], fakeIO()), 0);
  assert.equal(await run(['--fail-on', 'warning', SEED001], fakeIO()), 1);
  assert.equal(await run(['--fail-on=never', ORDER], fakeIO()), 0);
  assert.equal(await run([ORDER], fakeIO()), 1);
  assert.equal(await run([REAL081], fakeIO()), 0);
});

test('json: findings with rule, place, patch place, path and sources; problems with file and line', async () => {
  const io = fakeIO();
  assert.equal(await run(['--format', 'json', ORDER, SEED002], io), 1);
  const report = JSON.parse(io.stdout);
  const f = report.findings.find((x: { rule: string }) => x.rule === 'LOCK-ORDER');
  assert.ok(f);
  for (const key of ['rule', 'severity', 'file', 'line', 'column', 'message', 'patchFile', 'patchLine', 'path', 'sources']) assert.ok(key in f, key);
  assert.equal(f.file, ORDER);
  assert.equal(f.patchFile, 'mm/mmap.c');
  assert.equal(f.patchLine, 2808);
  assert.equal(f.path.length, 2);
  assert.ok(f.sources.some((s: { note?: string }) => /1c7873e33645/.test(s.note ?? '')));
  const p = report.problems.find((x: { kind: string }) => x.kind === 'damaged-diff');
  assert.equal(p.file, SEED002);
  assert.equal(p.line, 1);
});

test('sarif: valid against the SARIF 2.1.0 schema, with rules, regions, code flows and problems as notifications', async () => {
  const io = fakeIO();
  await run(['--format', 'sarif', ORDER, SEED001, SEED002], io);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const log: any = JSON.parse(io.stdout);
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/checks/sarif-2.1.0-excerpt.schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its default export arrives wrapped under nodenext.
  const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(JSON.parse(io.stdout)), JSON.stringify(validate.errors, null, 2));
  const run0 = log.runs[0];
  assert.equal(run0.tool.driver.name, 'patchlens');
  assert.equal(run0.tool.driver.rules.length >= 13, true);
  const order = run0.results.find((r: { ruleId: string }) => r.ruleId === 'LOCK-ORDER');
  assert.equal(order.level, 'error');
  assert.equal(order.locations[0].physicalLocation.region.startLine, 40);
  assert.equal(run0.tool.driver.rules[order.ruleIndex].id, 'LOCK-ORDER');
  assert.equal(order.codeFlows[0].threadFlows[0].locations.length, 2);
  assert.ok(run0.invocations[0].toolExecutionNotifications.some((n: { message: { text: string } }) => /damaged-diff/.test(n.message.text)));
  // And the validator does reject what SARIF forbids.
  const bad = JSON.parse(JSON.stringify(log));
  bad.runs[0].results[0].level = 'fatal';
  assert.equal(validate(bad), false);
});

test('b4: one message on stdin, [{tool,status,summary,details}]; [] when nothing to report', async () => {
  const fail = fakeIO(readFileSync(ORDER, 'utf8'));
  assert.equal(await run(['--format', 'b4'], fail), 0);
  const [r] = JSON.parse(fail.stdout);
  assert.deepEqual(Object.keys(r), ['tool', 'status', 'summary', 'details']);
  assert.equal(r.tool, 'patchlens');
  assert.equal(r.status, 'fail');
  assert.match(r.details, /mm\/mmap\.c:2808: error LOCK-ORDER/);
  const pass = fakeIO(readFileSync(REAL081, 'utf8'));
  await run(['--format', 'b4'], pass);
  assert.deepEqual(JSON.parse(pass.stdout), []);
  const damaged = fakeIO(readFileSync(SEED002, 'latin1'));
  await run(['--format', 'b4'], damaged);
  const d = JSON.parse(damaged.stdout)[0];
  assert.equal(d.status, 'fail');
  assert.match(d.summary, /not checked/);
});

test('--model: a user model that allows VM_LOCKED atomically silences FLAG-ATOMIC-NOT-ALLOWED', async () => {
  assert.equal(await run([ATOMIC], fakeIO()), 1);
  const dir = mkdtempSync(join(tmpdir(), 'patchlens-model-'));
  const model = join(dir, 'model.json');
  writeFileSync(model, JSON.stringify({ masks: [{ name: 'VM_ATOMIC_SET_ALLOWED', flags: ['VM_MAYBE_GUARD', 'VM_LOCKED'] }] }));
  const io = fakeIO();
  assert.equal(await run(['--model', model, ATOMIC], io), 0);
  assert.doesNotMatch(io.stdout, /FLAG-ATOMIC-NOT-ALLOWED/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "helpers": [ { "name": "x", "acquires": [ { "lock": "nope", "mode": "read" } ] } ] }');
  const io2 = fakeIO();
  await run(['--format', 'json', '--model', broken, ATOMIC], io2);
  assert.ok(JSON.parse(io2.stdout).problems.some((p: { file: string; message: string }) => p.file === broken && /unknown lock 'nope'/.test(p.message)));
});

test('usage errors exit 2 with a message', async () => {
  const io = fakeIO();
  assert.equal(await run(['--format', 'xml', SEED001], io), 2);
  assert.match(io.stderr, /--format must be one of text, json, sarif, b4/);
  assert.equal(await run([], fakeIO()), 2);
  const missing = fakeIO();
  assert.equal(await run(['/nonexistent/patch.mbox'], missing), 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/patch\.mbox/);
  const dashed = fakeIO();
  assert.equal(await run(['--fail-on=never', '--', '-b'], dashed), 2);
  assert.match(dashed.stderr, /cannot read -b: no such file/);
  const tree = fakeIO();
  assert.equal(await run(['--tree=/nonexistent/linux', SEED001], tree), 2);
  assert.match(tree.stderr, /--tree \/nonexistent\/linux: no such directory/);
});
