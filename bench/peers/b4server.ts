/**
 * One Python process with b4 imported, asked to run `b4 am` again and again
 * (bench/peers/b4_server.py): b4's own work without Python's start, to set
 * beside PatchLens in process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SelfTimed } from './measure.js';
import { root } from './inputs.js';

export class B4Server {
  private child: ChildProcessWithoutNullStreams;
  private waiting: ((line: string) => void)[] = [];

  constructor(b4: string, cwd: string, env: NodeJS.ProcessEnv) {
    // The interpreter b4 itself runs under (its #! line), so the same b4 modules load.
    const shebang = /^#!\s*(\S+)/.exec(readFileSync(b4, 'utf8').split('\n', 1)[0] ?? '');
    const python = shebang?.[1] ?? 'python3';
    this.child = spawn(python, [join(root, 'bench', 'peers', 'b4_server.py')], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.resume(); // b4's own messages: not read
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.child.on('exit', () => {
      for (const w of this.waiting.splice(0)) w('');
    });
  }

  /** `b4 am -C -m FILE -o OUT -n NAME`, timed inside Python. */
  am(file: string, out: string, name: string): Promise<SelfTimed> {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const [ms, cpuMs, exit] = line.split('\t').map(Number);
        if (!line || Number.isNaN(ms)) reject(new Error('the b4 server stopped'));
        else resolve({ selfTimed: true, ms, cpuMs, exit });
      });
      this.child.stdin.write(`${file}\t${out}\t${name}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}
