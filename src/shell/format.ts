/**
 * Prints commands back the way bash does in `jobs` listings (normalized spacing), and quotes
 * words for `set -x` traces.
 */
import type { AndOr, Command, List, Pipeline, Redir } from './ast.ts';

function redir(r: Redir): string {
  const fd = r.fd === undefined ? '' : String(r.fd);
  if ((r.op === '>&' || r.op === '<&') && /^(\d+|-)$/.test(r.target.raw)) return `${fd}${r.op}${r.target.raw}`;
  if (r.op === '<<' || r.op === '<<-') return `${fd}${r.op}${r.target.raw}`;
  return `${fd}${r.op} ${r.target.raw}`;
}

function withRedirs(s: string, rs: Redir[]): string {
  return rs.length ? `${s} ${rs.map(redir).join(' ')}` : s;
}

function list(l: List, sep = '; '): string {
  return l.items.map((i) => printAndOr(i.cmd) + (i.bg ? ' &' : '')).join(sep);
}

function indentList(l: List): string {
  return l.items.map((i) => '    ' + printAndOr(i.cmd) + (i.bg ? ' &' : ';')).join('\n');
}

export function printCommand(c: Command): string {
  switch (c.type) {
    case 'simple':
      return [...c.assigns.map((a) => `${a.name}${a.append ? '+=' : '='}${a.value.raw}`), ...c.words.map((w) => w.raw), ...c.redirs.map(redir)].join(' ');
    case 'group': return withRedirs(`{ ${list(c.body)}; }`, c.redirs);
    case 'subshell': return withRedirs(`( ${list(c.body)} )`, c.redirs);
    case 'if': {
      let s = '';
      c.clauses.forEach((cl, i) => {
        s += `${i === 0 ? 'if' : 'elif'} ${list(cl.cond)}; then\n${indentList(cl.body)}\n`;
      });
      if (c.orElse) s += `else\n${indentList(c.orElse)}\n`;
      return withRedirs(s + 'fi', c.redirs);
    }
    case 'for':
      return withRedirs(`for ${c.name}${c.items ? ' in ' + c.items.map((w) => w.raw).join(' ') : ''};\ndo\n${indentList(c.body)}\ndone`, c.redirs);
    case 'while':
      return withRedirs(`${c.until ? 'until' : 'while'} ${list(c.cond)}; do\n${indentList(c.body)}\ndone`, c.redirs);
    case 'case':
      return withRedirs(`case ${c.word.raw} in ${c.arms.map((a) => `${a.patterns.map((p) => p.raw).join(' | ')}) ${list(a.body)} ${a.fall}`).join(' ')} esac`, c.redirs);
    case 'func': return `${c.name} () \n${printCommand(c.body)}`;
    case 'arithcmd': return withRedirs(`((${c.src}))`, c.redirs);
    case 'cond': return withRedirs('[[ ... ]]', c.redirs);
  }
}

export function printPipeline(p: Pipeline): string {
  const s = p.cmds.map((c) => printCommand(c.cmd) + (c.errToo ? ' |&' : '')).join(' | ').replace(/ \|& \| /g, ' |& ');
  const t = p.time === 'posix' ? 'time -p ' : p.time ? 'time ' : '';
  return (p.negate ? '! ' : '') + t + s;
}

export function printAndOr(a: AndOr): string {
  return [printPipeline(a.first), ...a.rest.map((r) => `${r.op} ${printPipeline(r.pipe)}`)].join(' ');
}

/** A function as `type` and `declare -f` print it. */
export function printFunction(f: Extract<Command, { type: 'func' }>): string {
  const b = f.body;
  const body = b.type === 'group'
    ? `{ \n${b.body.items.map((i) => '    ' + printAndOr(i.cmd) + (i.bg ? ' &' : '')).join('\n')}\n}${b.redirs.length ? ' ' + b.redirs.map(redir).join(' ') : ''}`
    : printCommand(b);
  return `${f.name} () \n${body}`;
}

/** How `set -x` shows a word: bare if harmless, else in single quotes. */
export function traceQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_\/.,:@%+=^~-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
