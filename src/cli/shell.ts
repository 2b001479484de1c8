/**
 * `vnet shell`: the lab interactively, with history and a prompt that shows the namespace.
 * `ip netns exec NS bash` (or sh) enters NS in a nested shell, `exit` leaves it, as on Linux
 * (the session keeps that stack, so a saved lab restores it).
 */
import { createInterface } from 'node:readline';
import type { LabSession } from '../state/session.ts';

export function runInteractive(session: LabSession): Promise<number> {
  session.onLineOutput = (fd, t) => { (fd === 1 ? process.stdout : process.stderr).write(t); };
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY, historySize: 1000 });
  const prompt = (): void => {
    const ns = session.netns;
    rl.setPrompt(ns ? `[${ns}] root@vnet:~# ` : 'root@vnet:~# ');
    rl.prompt();
  };
  return new Promise((resolve) => {
    let status = 0;
    rl.on('line', (line) => {
      status = session.runLine(line);
      if (session.exited) { rl.close(); return; }
      prompt();
    });
    rl.on('close', () => { process.stdout.write('\n'); resolve(status); });
    prompt();
  });
}
