import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SplitLines } from '../../../src/core/mail/lines.js';

const TEXTS = ['', '\n', '\n\n', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '--- \n-- \r\n\r\n\r', '+x\n-y\n z\n\\ No newline\n'];

test('SplitLines gives the lines of text.split, as offsets in one Int32Array', () => {
  for (const text of TEXTS) {
    const want = text.split('\n');
    const lines = new SplitLines(text);
    assert.equal(lines.length, want.length, JSON.stringify(text));
    assert.deepEqual(lines.slice(0), want, JSON.stringify(text));
    // The structure is the point (issue 13): one 4-byte offset a line, no string per line.
    const starts = (lines as unknown as { starts: unknown }).starts;
    assert.ok(starts instanceof Int32Array);
    assert.equal(starts.length, want.length);
    for (let i = 0; i < want.length; i++) {
      assert.equal(lines.line(i), want[i]);
      assert.equal(lines.is(i, want[i]!), true);
      assert.equal(lines.is(i, want[i] + 'x'), false);
      assert.equal(lines.startsWith(i, want[i]!.slice(0, 2)), true);
      assert.equal(lines.startsWith(i, want[i] + '\n'), false);
      for (let k = 0; k <= want[i]!.length; k++) assert.equal(lines.charAt(i, k), want[i]!.charAt(k));
    }
  }
});

test('SplitLines views: range, cutCR, and joinWithLF as slice + join + LF', () => {
  for (const text of TEXTS) {
    const want = text.split('\n');
    const lines = new SplitLines(text);
    for (let from = 0; from <= want.length; from++) {
      for (let to = from; to <= want.length; to++) {
        const label = `${JSON.stringify(text)} [${from}, ${to})`;
        assert.deepEqual(lines.range(from, to).slice(0), want.slice(from, to), label);
        assert.equal(lines.joinWithLF(from, to), want.slice(from, to).join('\n') + '\n', label);
        const cut = lines.range(from, to).cutCR();
        assert.deepEqual(cut.slice(0), want.slice(from, to).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), label);
        for (let i = 0; i < cut.length; i++) assert.equal(cut.charAt(i, cut.line(i).length), '', label);
      }
    }
  }
});
