/**
 * `vnet shell`: the lab interactively, with history and a prompt that shows the namespace.
 * `ip netns exec NS bash` (or sh) enters NS in a nested shell, `exit` leaves it, as on Linux.
 */
import { createInterface } from 'node:readline';
import { newSession, worldText, type Session } from '../index.ts';
import { Shell } from '../shell/index.ts';

export function runInteractive(world: string, seed: number): Promise<number> {
  const session: Session = newSession({ seed });
  const w = worldText(world);
  if (w) new Shell(session.host, { scriptName: 'world' }).runScript(w);
  session.host.settle();
  const write = (fd: 1 | 2, t: string): void => { (fd === 1 ? process.stdout : process.stderr).write(t); };
  const stack: { shell: Shell; netns: string }[] = [{ shell: new Shell(session.host, { scriptName: 'vnet', onOutput: write }), netns: '' }];
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY, historySize: 1000 });
  const prompt = (): void => {
    const ns = stack[stack.length - 1]!.netns;
    rl.setPrompt(ns ? `[${ns}] root@vnet:~# ` : 'root@vnet:~# ');
    rl.prompt();
  };
  return new Promise((resolve) => {
    let status = 0;
    rl.on('line', (line) => {
      const top = stack[stack.length - 1]!;
      const enter = /^\s*ip\s+netns\s+exec\s+(\S+)\s+(ba)?sh\s*$/.exec(line);
      if (enter) {
        if (!session.lab.named.has(enter[1]!)) {
          process.stderr.write(`Cannot open network namespace "${enter[1]}": No such file or directory\n`);
        } else {
          stack.push({ shell: new Shell(session.host, { scriptName: 'bash', netns: enter[1]!, onOutput: write }), netns: enter[1]! });
        }
        prompt();
        return;
      }
      status = top.shell.runLine(line);
      if (top.shell.exited) {
        stack.pop();
        if (!stack.length) { rl.close(); return; }
      }
      prompt();
    });
    rl.on('close', () => { process.stdout.write('\n'); resolve(status); });
    prompt();
  });
}
