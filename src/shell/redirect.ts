/**
 * Redirections: `>`, `>>`, `<`, `2>&1`, `&>`, here-docs, here-strings. /dev/null, /dev/stdout
 * and /dev/stderr are handled here; every other path is a file of the host, in the script's
 * network namespace.
 */
import type { Redir } from './ast.ts';
import type { Co } from './coro.ts';
import { expandHeredoc, expandString, expandWord } from './expand.ts';
import type { ShellHost } from './host.ts';
import type { Ctx, Interp } from './interp.ts';
import { type IO, Input, NULL_SINK, type Sink, latin1 } from './state.ts';

/** A file opened by `>`/`>>`: written lazily so `echo 1 > /proc/sys/...` is one host write. */
export class FileSink implements Sink {
  private wrote = false;
  errors = 0;
  error?: string;
  constructor(readonly host: ShellHost, readonly netns: string, readonly path: string, readonly append: boolean) {}
  write(text: string): void {
    const r = this.host.writeFile(this.netns, this.path, text, this.append || this.wrote);
    this.wrote = true;
    if (!r.ok) { this.errors++; this.error = r.message; }
  }
  bytes(b: Uint8Array): void {
    this.write(latin1(b));
  }
  close(): void {
    if (this.wrote) return;
    this.wrote = true;
    const r = this.host.writeFile(this.netns, this.path, '', this.append);
    if (!r.ok) { this.errors++; this.error = r.message; }
  }
}

export function* applyRedirs(it: Interp, redirs: Redir[], ctx: Ctx): Co<{ io: IO; close: () => void } | { error: string }> {
  const fds = new Map(ctx.io.fds);
  let stdin = ctx.io.stdin;
  const files: FileSink[] = [];
  const close = (): void => { for (const f of files) f.close(); };
  const cx = it.expCtx(ctx);
  for (const r of redirs) {
    const op = r.op;
    const input = op === '<' || op === '<>' || op === '<<' || op === '<<-' || op === '<<<' || op === '<&';
    const fd = r.fd ?? (input ? 0 : 1);
    if (op === '<<' || op === '<<-') {
      const text = r.heredoc ? yield* expandHeredoc(r.heredoc.parts, cx) : '';
      if (fd === 0) stdin = new Input(text);
      continue;
    }
    if (op === '<<<') {
      const text = yield* expandString(r.target.parts, cx);
      if (fd === 0) stdin = new Input(text + '\n');
      continue;
    }
    const words = yield* expandWord(r.target, cx);
    if (words.length !== 1) { close(); return { error: `${r.target.raw}: ambiguous redirect` }; }
    const target = words[0];
    if (op === '<' || op === '<>') {
      const t = it.readPath(ctx, target);
      if (!t.ok) {
        if (op === '<>' && t.errno === 2) { if (fd === 0) stdin = new Input(''); continue; }
        close();
        return { error: `${target}: ${t.message}` };
      }
      if (fd === 0) stdin = new Input(t.value);
      continue;
    }
    if ((op === '>&' || op === '<&') && (target === '-' || /^[0-9]+$/.test(target))) {
      if (target === '-') { fds.set(fd, null); continue; }
      const n = Number(target);
      if (op === '<&' && n === 0) continue;
      const s = fds.get(n);
      if (!s) { close(); return { error: `${target}: Bad file descriptor` }; }
      fds.set(fd, s);
      continue;
    }
    if (op === '<&') { close(); return { error: `${target}: ambiguous redirect` }; }
    const both = op === '&>' || op === '&>>' || (op === '>&' && r.fd === undefined);
    if (op === '>&' && r.fd !== undefined) { close(); return { error: `${target}: ambiguous redirect` }; }
    const s = openSink(it, ctx, target, op === '>>' || op === '&>>', fds);
    if ('error' in s) { close(); return s; }
    if (s.file) files.push(s.file);
    if (both) { fds.set(1, s.sink); fds.set(2, s.sink); }
    else fds.set(fd, s.sink);
  }
  return { io: { stdin, fds }, close };
}

function openSink(it: Interp, ctx: Ctx, path: string, append: boolean, fds: Map<number, Sink | null>): { sink: Sink; file?: FileSink } | { error: string } {
  if (path === '/dev/null') return { sink: NULL_SINK };
  if (path === '/dev/stdout') return { sink: fds.get(1) ?? NULL_SINK };
  if (path === '/dev/stderr') return { sink: fds.get(2) ?? NULL_SINK };
  if (path === '') return { error: ': No such file or directory' };
  const abs = it.abs(ctx, path);
  if (it.host.listDir(it.cfg.netns, abs).ok) return { error: `${path}: Is a directory` };
  // Like bash, refuse before running the command when the directory is missing.
  const dir = abs.slice(0, abs.lastIndexOf('/')) || '/';
  const ns = it.cfg.netns;
  if (dir !== '/' && !it.host.exists(ns, dir) && !it.host.listDir(ns, dir).ok) {
    return { error: `${path}: No such file or directory` };
  }
  const f = new FileSink(it.host, it.cfg.netns, abs, append);
  return { sink: f, file: f };
}
