/**
 * od (src/tools/od.ts) against GNU coreutils 9.1 od on Debian 12: the expected texts below were
 * printed by the real od for the same input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../src/index.ts';

const INPUT = String.raw`printf 'hello\x00\xff\x80 world\nabcdefghijklmnopqrstuvwxyz0123456789' > /tmp/in.bin`;

function od(args: string, input = INPUT): { out: string; err: string; exit: number } {
  const { records } = runScript(`${input}\nod ${args}`, { world: 'none' });
  const r = records[records.length - 1]!;
  return { out: r.stdout, err: r.stderr, exit: r.exit };
}

test('od: the default and the -t integer types', () => {
  assert.equal(od('/tmp/in.bin').out,
    '0000000 062550 066154 000157 100377 073440 071157 062154 060412\n' +
    '0000020 061542 062544 063546 064550 065552 066554 067556 070560\n' +
    '0000040 071562 072564 073566 074570 030172 031061 032063 033065\n' +
    '0000060 034067 000071\n0000063\n');
  assert.equal(od('-tx1 /tmp/in.bin').out.split('\n')[0], '0000000 68 65 6c 6c 6f 00 ff 80 20 77 6f 72 6c 64 0a 61');
  assert.equal(od('-td1 /tmp/in.bin').out.split('\n')[0],
    '0000000  104  101  108  108  111    0   -1 -128   32  119  111  114  108  100   10   97');
  assert.equal(od('-tu2 /tmp/in.bin').out.split('\n')[3], '0000060 14391    57');
  assert.equal(od('-td4 /tmp/in.bin').out.split('\n')[0], '0000000  1819043176 -2130771857  1919907616  1628071020');
  assert.equal(od('-td8 /tmp/in.bin').out.split('\n')[0], '0000000 -9151595439233145496  6992511788385269536');
  assert.equal(od('-to4 /tmp/in.bin').out.split('\n')[3], '0000060 00016234067');
  assert.equal(od('-x /tmp/in.bin').out, od('-tx2 /tmp/in.bin').out);
});

test('od: characters, named characters, the z trailer and mixed types share one width', () => {
  assert.equal(od('-c /tmp/in.bin').out.split('\n')[0], '0000000   h   e   l   l   o  \\0 377 200       w   o   r   l   d  \\n   a');
  assert.equal(od('-ta /tmp/in.bin').out.split('\n')[0], '0000000   h   e   l   l   o nul del nul  sp   w   o   r   l   d  nl   a');
  assert.equal(od('-tx1z /tmp/in.bin').out.split('\n')[3], '0000060 37 38 39' + ' '.repeat(39) + '  >789<');
  assert.equal(od('-tx2z -tc /tmp/in.bin').out.split('\n')[6], '0000060    3837    0039' + ' '.repeat(48) + '  >789<');
  assert.deepEqual(od('-td1 -tx2 /tmp/in.bin').out.split('\n').slice(0, 2), [
    '0000000  104  101  108  108  111    0   -1 -128   32  119  111  114  108  100   10   97',
    '             6568      6c6c      006f      80ff      7720      726f      646c      610a',
  ]);
});

test('od: address radix, skip, count, width and duplicate lines', () => {
  assert.equal(od('-An -tx1 -w8 -N 10 /tmp/in.bin').out, ' 68 65 6c 6c 6f 00 ff 80\n 20 77\n');
  assert.equal(od('-N5 -j2 -tx1 /tmp/in.bin').out, '0000002 6c 6c 6f 00 ff\n0000007\n');
  assert.equal(od('-Ax -tx1 /tmp/in.bin').out.split('\n').at(-2), '000033');
  assert.equal(od('-Ad -tx1 /tmp/in.bin').out.split('\n').at(-2), '0000051');
  const dup = `printf '${'a'.repeat(40)}' > /tmp/dup`;
  assert.equal(od('-tx1 /tmp/dup', dup).out,
    '0000000 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61\n*\n0000040 61 61 61 61 61 61 61 61\n0000050\n');
  assert.equal(od('-v -An -tx1 /tmp/dup', dup).out.split('\n').length, 4);
});

test('od: stdin and errors as coreutils prints them', () => {
  const { records } = runScript("printf 'abc' | od -An -tx1", { world: 'none' });
  assert.equal(records[0]!.stdout, ' 61 62 63\n');
  assert.deepEqual(od('/nonexistent'), { out: '', err: 'od: /nonexistent: No such file or directory\n', exit: 1 });
  assert.equal(od('-Az /tmp/in.bin').err, "od: invalid output address radix 'z'; it must be one character from [doxn]\n");
  assert.equal(od('-tq /tmp/in.bin').exit, 1);
});
