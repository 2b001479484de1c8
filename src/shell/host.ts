/**
 * The contract between the shell interpreter and whatever runs the commands it names.
 *
 * The shell never touches the real machine: every external command, every file and every second
 * of time goes through a ShellHost. The lab implements it (src/cli/labhost.ts); tests use a fake.
 *
 * Processes are event-driven, not async/await: a command may finish synchronously (ip, echo) or
 * later in virtual time (ping, sleep, tcpdump). The shell drives virtual time with
 * `host.runUntil(() => proc.exited)` so a whole script runs synchronously and deterministically.
 */

export type Signal = 'TERM' | 'INT' | 'KILL' | 'HUP';

/** What a running command can do: write its output, finish, and react to signals. */
export interface ProcessIO {
  /** argv[0] is the command name as typed (after expansion). */
  readonly argv: readonly string[];
  /** Name of the network namespace the process runs in; '' is the script's own namespace. */
  readonly netns: string;
  /** Everything on standard input (pipes run stage by stage, so input is complete). */
  readonly stdin: string;
  /** Exported variables. */
  readonly env: ReadonlyMap<string, string>;
  write(fd: 1 | 2, text: string): void;
  /** Binary output (tcpdump -w -). Text-only sinks may ignore it. */
  writeBytes?(fd: 1, bytes: Uint8Array): void;
  /** Set once the process has ended (exit or signal): its open files are closed. */
  readonly exited?: boolean;
  /** Ends the process with this status. Calling it twice is ignored. */
  exit(status: number): void;
  /** Called when the shell sends a signal (kill, timeout, end of script, Ctrl-C). */
  onSignal(handler: (sig: Signal) => void): void;
  /** Lets a command spawn another command (ip netns exec NS cmd, timeout N cmd). */
  spawn(argv: readonly string[], opts?: { netns?: string; env?: ReadonlyMap<string, string> }): Process;
}

/** A handle on a started command. */
export interface Process {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly exited: boolean;
  /** Valid once exited; 128+signal number when killed by a signal it did not handle. */
  readonly status: number;
  /**
   * Set when no program of that name exists (execve's ENOENT): the process exits 127 at once and
   * prints nothing; whoever started it says so in its own words (bash `NAME: command not found`,
   * `exec of "NAME" failed`, timeout's `failed to run command`).
   */
  readonly notFound?: boolean;
  kill(sig: Signal): void;
  /** Called once when the process exits (immediately if it already has). */
  onExit(cb: (status: number) => void): void;
}

export type FileResult<T> = { ok: true; value: T } | { ok: false; errno: number; message: string };

export interface ShellHost {
  /** Virtual time in nanoseconds. */
  now(): number;
  /**
   * Runs scheduled events in time order until `done()` is true or nothing is left to run.
   * Returns true if `done()` became true. `limitNs`, if given, stops at now()+limitNs.
   */
  runUntil(done: () => boolean, limitNs?: number): boolean;
  /** Runs every event due at or before now(): what the kernel does "right after" a command. */
  settle(): void;
  /**
   * Starts an external command (not a shell builtin). An unknown command exits 127 at once, either
   * with `notFound` set (the shell prints bash's message) or after printing a message itself.
   */
  spawn(argv: readonly string[], io: {
    netns: string;
    stdin: string;
    env: ReadonlyMap<string, string>;
    stdout: (text: string) => void;
    stderr: (text: string) => void;
    stdoutBytes?: (bytes: Uint8Array) => void;
  }): Process;
  /** The lab's virtual filesystem, seen from a namespace (/proc/sys/net and /sys/class/net differ per netns). */
  readFile(netns: string, path: string): FileResult<string>;
  writeFile(netns: string, path: string, data: string, append: boolean): FileResult<void>;
  /**
   * Optional (added for the shell's `command -v` / `type`, which scripts use to check their
   * prerequisites): the path an external command runs from, e.g. '/usr/sbin/ip', or undefined
   * if the lab has no such command. Without it the shell assumes `/usr/bin/NAME` exists.
   */
  which?(name: string): string | undefined;
  /** Directory listing for glob expansion (`ls /dev/tap*`) and `ls`. */
  listDir(netns: string, path: string): FileResult<string[]>;
  /**
   * Optional: a status once the host has stopped the current run (vnet's run-time limits); the
   * shell then ends the script (or drops the interactive line) at the next command.
   */
  stopRun?(): number | undefined;
  exists(netns: string, path: string): boolean;
  /**
   * Optional: is `path` a character device whose reads block for data (/dev/tapN)? Builtins that
   * read files (cat) leave such a file to the host's program, which can wait on the virtual clock.
   */
  isStream?(netns: string, path: string): boolean;
}
