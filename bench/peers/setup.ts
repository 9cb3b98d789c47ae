/**
 * Finds, or installs, the tools a reviewer would otherwise run, so that
 * `npm run bench:peers` works on a fresh machine:
 *
 *   b4            Debian's package (apt-get install b4)
 *   checkpatch.pl from Debian's linux-source-6.12: the .deb is fetched with
 *                 `apt-get download`, and only checkpatch.pl and the files it
 *                 reads are unpacked into .bench-cache/ (git-ignored); the
 *                 ~150 MB package is deleted afterwards
 *   /usr/bin/time GNU time, for peak memory (apt-get install time)
 *
 * apt-get update runs once, only when apt knows no candidate for a package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Peers {
  b4: string;
  b4Version: string;
  checkpatch: string;
  /** Debian package version the checkpatch.pl files came from. */
  checkpatchSource: string;
  gnuTime: string;
}

const LINUX_SOURCE = 'linux-source-6.12';
/** What checkpatch.pl reads next to itself (and its --verbose documentation). */
const CHECKPATCH_FILES = [
  'scripts/checkpatch.pl',
  'scripts/spelling.txt',
  'scripts/const_structs.checkpatch',
  'Documentation/dev-tools/checkpatch.rst',
];

function log(text: string): void {
  process.stderr.write(`bench:peers: ${text}\n`);
}

function onPath(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

let aptUpdated = false;

/** Has apt a candidate version for the package?  Updates the lists once if not. */
function aptCandidate(pkg: string): string | null {
  const read = (): string | null => {
    const r = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' });
    const m = /Candidate:\s*(\S+)/.exec(r.stdout ?? '');
    return m && m[1] !== '(none)' ? m[1] : null;
  };
  let candidate = read();
  if (!candidate && !aptUpdated) {
    log('apt knows no candidate for ' + pkg + ': apt-get update');
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    aptUpdated = true;
    candidate = read();
  }
  return candidate;
}

function aptInstall(pkg: string): void {
  if (!onPath('apt-get')) throw new Error(`${pkg} is missing and there is no apt-get: install it by hand`);
  if (!aptCandidate(pkg)) throw new Error(`apt has no package ${pkg}`);
  log(`apt-get install ${pkg}`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const cmd = [...asRoot, 'apt-get', 'install', '-y', '--no-install-recommends', pkg];
  execFileSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensureTool(name: string, pkg: string): string {
  let path = onPath(name);
  if (!path) {
    aptInstall(pkg);
    path = onPath(name);
  }
  if (!path) throw new Error(`${name} is still missing after installing ${pkg}`);
  return path;
}

/** checkpatch.pl and its data files, unpacked once into cacheDir. */
function ensureCheckpatch(cacheDir: string): { path: string; source: string } {
  const dir = join(cacheDir, LINUX_SOURCE);
  const stamp = join(dir, 'SOURCE');
  const script = join(dir, 'scripts/checkpatch.pl');
  if (existsSync(script) && existsSync(stamp)) return { path: script, source: readFileSync(stamp, 'utf8').trim() };
  mkdirSync(dir, { recursive: true });
  // The installed package's tarball, when there is one; otherwise fetch the .deb.
  const installed = `/usr/src/${LINUX_SOURCE}.tar.xz`;
  let source: string;
  let tarballCmd: string;
  let deb: string | null = null;
  if (existsSync(installed)) {
    const installedVersion = spawnSync('dpkg-query', ['-W', '-f=${Version}', LINUX_SOURCE], { encoding: 'utf8' }).stdout?.trim() || '?';
    source = `${LINUX_SOURCE} ${installedVersion} (Debian, installed ${installed})`;
    tarballCmd = `cat '${installed}'`;
  } else {
    const version = aptCandidate(LINUX_SOURCE);
    if (!version) throw new Error(`apt has no package ${LINUX_SOURCE}`);
    const debDir = join(cacheDir, 'deb');
    mkdirSync(debDir, { recursive: true });
    log(`apt-get download ${LINUX_SOURCE} ${version} (~150 MB, once)`);
    execFileSync('apt-get', ['download', LINUX_SOURCE], { cwd: debDir, stdio: ['ignore', 'ignore', 'inherit'] });
    const name = readdirSync(debDir).find((f) => f.startsWith(LINUX_SOURCE) && f.endsWith('.deb'));
    if (!name) throw new Error(`apt-get download left no ${LINUX_SOURCE} .deb`);
    deb = join(debDir, name);
    source = `${LINUX_SOURCE} ${version} (Debian)`;
    tarballCmd = `dpkg-deb --fsys-tarfile '${deb}' | tar -xO './usr/src/${LINUX_SOURCE}.tar.xz'`;
  }
  ensureTool('xz', 'xz-utils'); // tar -J
  log(`unpacking ${CHECKPATCH_FILES.join(', ')}`);
  const members = CHECKPATCH_FILES.map((f) => `'${LINUX_SOURCE}/${f}'`).join(' ');
  execFileSync('bash', ['-o', 'pipefail', '-c', `${tarballCmd} | tar -xJ -C '${cacheDir}' ${members}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (deb) rmSync(join(cacheDir, 'deb'), { recursive: true, force: true });
  if (!existsSync(script)) throw new Error(`${script} was not unpacked`);
  writeFileSync(stamp, source + '\n');
  return { path: script, source };
}

export function locatePeers(cacheDir: string): Peers {
  mkdirSync(cacheDir, { recursive: true });
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : (aptInstall('time'), '/usr/bin/time');
  const b4 = ensureTool('b4', 'b4');
  const b4Version = spawnSync(b4, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cp = ensureCheckpatch(cacheDir);
  // checkpatch.pl needs the full perl (Term::ANSIColor, Encode), not only perl-base.
  if (spawnSync('perl', ['-MTerm::ANSIColor', '-MEncode', '-MGetopt::Long', '-e', '1']).status !== 0) aptInstall('perl');
  return { b4, b4Version, checkpatch: cp.path, checkpatchSource: cp.source, gnuTime };
}
