/**
 * PatchLens in a real Neovim (Debian's `neovim`, headless): seed 003 opened,
 * the server attached with the same command as the stdio conformance test,
 * STALE-COMMENT-IDENT read back through `vim.diagnostic.get()` at line 376,
 * and a hover on it.  Needs `nvim` on PATH (`apt-get install -y neovim`;
 * .ci/run installs it).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVER_COMMAND } from '../unit/lsp/client.js';

const SEED_003 = join(ROOT, 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt');

test('Neovim: seed 003 shows STALE-COMMENT-IDENT at line 376 and its hover', { timeout: 180_000 }, () => {
  const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, 'nvim is installed (apt-get install -y neovim)');
  const line = readFileSync(SEED_003, 'utf8').split('\n')[375];
  const col = line.indexOf('__vma_exit_exclusive_locked');
  assert.ok(col > 0, 'seed 003 line 376 names __vma_exit_exclusive_locked');
  const dir = mkdtempSync(join(tmpdir(), 'patchlens-nvim-'));
  const out = join(dir, 'out.json');
  try {
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${join(ROOT, 'test/nvim/check.lua')}`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
      env: {
        ...process.env,
        HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache'),
        PATCHLENS_CMD: JSON.stringify(SERVER_COMMAND), PATCHLENS_FILE: SEED_003, PATCHLENS_OUT: out,
        PATCHLENS_HOVER_LINE: '376', PATCHLENS_HOVER_COL: String(col + 3),
      },
    });
    assert.equal(r.status, 0, `nvim exited with ${r.status}: ${r.stderr}`);
    const got = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(got.error, undefined, got.error);
    assert.ok(got.client, 'the client started');
    assert.ok(got.waited, `STALE-COMMENT-IDENT arrived; diagnostics: ${JSON.stringify(got.diagnostics)}`);
    const stale = got.diagnostics.filter((d: any) => d.code === 'STALE-COMMENT-IDENT');
    assert.deepEqual(stale.map((d: any) => d.lnum + 1), [376], 'at line 376');
    assert.equal(stale[0].col, col, 'on the identifier');
    assert.equal(stale[0].source, 'PatchLens');
    const hover = String(got.hover ?? '').replace(/\\(.)/g, '$1');
    assert.match(hover, /STALE-COMMENT-IDENT/, `hover: ${got.hover_error ?? hover}`);
    assert.match(hover, /In `include\/linux\/mm_types\.h` line \d+/, hover);
    assert.ok(got.symbols.some((s: string) => s.includes('[PATCH') || /^v\d/.test(s)), `outline: ${JSON.stringify(got.symbols)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
