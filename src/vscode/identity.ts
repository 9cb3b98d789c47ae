/**
 * The reviewer's name and email from git config files, read as text:
 * nothing is executed, so it works in an untrusted workspace.  The
 * repository's config wins over the global one, as in git.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseGitIdentity } from '../editor/reply.js';

export async function gitIdentity(folder: string | undefined): Promise<{ name: string; email: string } | null> {
  const home = homedir();
  const xdg = process.env.XDG_CONFIG_HOME || join(home, '.config');
  const files = [join(xdg, 'git', 'config'), join(home, '.gitconfig')];
  if (folder) files.push(join(folder, '.git', 'config'));
  const id: { name?: string; email?: string } = {};
  for (const f of files) {
    try {
      Object.assign(id, parseGitIdentity(await readFile(f, 'utf8')));
    } catch {
      // no such file: fine
    }
  }
  return id.email ? { name: id.name ?? '', email: id.email } : null;
}
