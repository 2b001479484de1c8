/**
 * The sandbox: a lab script never acts on the real machine. No real process runs, no real file is
 * read or written; files a script writes live in the lab's own filesystem and reach the real one
 * only through `vnet run --out DIR`, only under DIR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, symlinkSync, mkdirSync, linkSync, readdirSync as ls } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { runScript } from '../src/index.ts';
import { exportLabFiles } from '../src/cli/main.ts';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');

function vnet(cwd: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function records(text: string): { command: string; exit: number; stdout: string; stderr: string }[] {
  return runScript(text, { world: 'none' }).records;
}

test('no real process runs: every program outside the lab is "command not found" (127)', () => {
  const cmds = ['python3 -c "print(1)"', '/usr/bin/python3 -V', 'perl -e 1', 'curl http://192.0.2.1/', 'nc -l 80',
    'env', '/usr/bin/env ls', 'sudo id', 'systemctl status', 'mount', 'reboot'];
  for (const c of cmds) {
    const [r] = records(c + '\n');
    assert.equal(r!.exit, 127, c);
    // bash's words: a bare name was searched in PATH, a path names a file that does not exist.
    assert.match(r!.stderr, c.startsWith('/') ? /: No such file or directory\n$/ : /: command not found\n$/, c);
    assert.equal(r!.stdout, '', c);
  }
  // Shells are the lab's own interpreter; what they run is still only the lab's programs.
  for (const c of ["/bin/sh -c 'id'", "bash -c 'whoami'", 'eval id', 'echo $(id -u)', 'x=`uname -n`; echo $x', 'exec /bin/id']) {
    const rs = records(c + '\n');
    assert.match(rs.map((r) => r.stderr).join(''), /(id|whoami|uname): command not found|\/bin\/id: No such file or directory/, c);
  }
});

test('no real file is read: scripts see only the lab\'s virtual filesystem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-sandbox-'));
  const secret = join(dir, 'secret.sh');
  writeFileSync(secret, 'echo TOKEN-1b9e\n');
  const rs = records([
    'cat /etc/shadow', 'cat /etc/passwd', `cat ${join(ROOT, 'package.json')}`, `cat ${secret}`, `grep TOKEN ${secret}`,
    `source ${secret}`, `. ${secret}`, 'source /etc/profile', `read x < ${secret}`, `cat < ${secret}`, `sh ${secret}`,
    `bash ${secret}`, 'ls /work /home /proc/1', `ls ${dir}`, `test -e ${secret} && echo leak`,
  ].join('\n') + '\n');
  for (const r of rs) {
    assert.doesNotMatch(r.stdout, /TOKEN|root:|"name"/, r.command);
    assert.notEqual(r.exit, 0, r.command);
  }
  assert.match(rs[0]!.stderr, /^cat: \/etc\/shadow: No such file or directory\n$/);
  assert.match(rs[5]!.stderr, /No such file or directory/);
});

test('files a script writes stay in the lab\'s filesystem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-sandbox-'));
  const name = `/tmp/${dir.slice(dir.lastIndexOf('/') + 1)}.txt`;
  const res = runScript(`echo data > ${name}\ncat ${name}\necho x > ${dir}/out.txt\ntouch ${dir}/t\n`, { world: 'none' });
  assert.equal(res.records[1]!.stdout, 'data\n');
  assert.equal(res.session.fs.files.get(name), 'data\n', 'in the lab\'s /tmp');
  assert.equal(existsSync(name), false, 'not in the real /tmp');
  // The real directory does not exist inside the lab at all.
  assert.match(res.records[2]!.stderr, /No such file or directory/);
  assert.deepEqual(readdirSync(dir), [], 'nothing appeared on the real disk');
});

test('the library is self-contained: it bundles for a browser and runs with no file, process or network access', () => {
  const out = mkdtempSync(join(tmpdir(), 'vnet-bundle-'));
  const entry = join(out, 'entry.ts');
  const index = relative(out, join(ROOT, 'src', 'index.ts')).split('\\').join('/');
  writeFileSync(entry, `import { runScript } from '${index.startsWith('.') ? index : './' + index}';
const r = runScript(${JSON.stringify([
    'cat /etc/passwd', 'python3 -V', "/bin/sh -c 'cat /etc/hostname'", 'tcpdump -i eth0 -w /tmp/c.pcap -c 1 &',
    'ping -c 1 192.0.2.20 > /dev/null', 'wait', 'vnet save /root/lab.state', 'ls /tmp /root', 'vnet load /root/lab.state',
  ].join('\n') + '\n')}, { world: 'default' });
process.stdout.write(JSON.stringify(r.records.map((x) => [x.command, x.exit, x.stdout, x.stderr])));
`);
  // platform 'browser': a Node built-in imported anywhere in the library would fail the build.
  const bundle = join(out, 'bundle.mjs');
  const b = buildSync({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', outfile: bundle, logLevel: 'silent' });
  assert.equal(b.errors.length, 0);
  // Node's permission model: reading the bundle is the only thing allowed (no other file, no
  // child process, no worker, no write); any attempt would throw ERR_ACCESS_DENIED.
  const r = spawnSync(process.execPath, ['--experimental-permission', `--allow-fs-read=${bundle}`, bundle], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const recs = JSON.parse(r.stdout) as [string, number, string, string][];
  const by = new Map(recs.map((x) => [x[0], x]));
  assert.equal(by.get('cat /etc/passwd')![1], 1);
  assert.equal(by.get('python3 -V')![1], 127);
  assert.equal(by.get("/bin/sh -c 'cat /etc/hostname'")![2], 'vnet\n', 'the lab\'s own /etc/hostname');
  assert.match(by.get('ls /tmp /root')![2], /lab\.state/);
  assert.match(by.get('ls /tmp /root')![2], /c\.pcap/);
  assert.equal(by.get('vnet load /root/lab.state')![1], 0);
});

test('only the command line touches the real machine (static check of every module)', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of ls(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(join(ROOT, 'src'));
  assert.ok(files.length > 50);
  for (const f of files) {
    const rel = relative(ROOT, f);
    const text = readFileSync(f, 'utf8');
    // No web server anywhere (docs/reliability.md states the rule a future one must follow).
    assert.doesNotMatch(text, /createServer|\.listen\(|from 'node:(http|https|net|dgram|http2)'/, rel);
    if (rel.startsWith('src/cli/')) continue;
    assert.doesNotMatch(text, /from 'node:|require\(|child_process|\bprocess\.(env|argv|exit|stdout|stderr|cwd)\b|\beval\(|new Function\(/, rel);
  }
});

test('vnet run --out exports the lab\'s files under DIR and nowhere else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-out-'));
  writeFileSync(join(dir, 's.sh'), [
    'tcpdump -i eth0 -w /tmp/c.pcap -c 2 &', 'ping -c 2 192.0.2.20 > /dev/null', 'wait', 'vnet save /root/lab.state',
    'echo hi > ../../../../escape.txt', 'echo x > /a/b 2>/dev/null || echo no-dir', 'echo deep > /var/f',
  ].join('\n') + '\n');
  // Without --out nothing is written at all.
  const r0 = vnet(dir, 'run', 's.sh');
  assert.equal(r0.status, 0, r0.stderr);
  assert.deepEqual(readdirSync(dir), ['s.sh']);
  const r = vnet(dir, 'run', '--out', 'out', 's.sh');
  assert.equal(r.status, 0, r.stderr);
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of ls(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p); else found.push(relative(join(dir, 'out'), p));
    }
  };
  walk(join(dir, 'out'));
  assert.deepEqual(found.sort(), ['escape.txt', 'root/lab.state', 'tmp/c.pcap', 'var/f']);
  assert.deepEqual(readdirSync(dir).sort(), ['out', 's.sh'], '../ stays inside the lab and inside DIR');
  assert.equal(readFileSync(join(dir, 'out', 'tmp', 'c.pcap')).readUInt32LE(0), 0xa1b2c3d4, 'a pcap file, byte for byte');
  assert.match(readFileSync(join(dir, 'out', 'root', 'lab.state'), 'utf8'), /^\{"magic":"vnet-state"/);
});

test('--out refuses symlinks that lead out of DIR and never writes through links', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-out-'));
  const outside = join(dir, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'victim'), 'untouched\n');
  const files = new Map<string, string>([['/tmp/f', 'lab data\n']]);
  // DIR/tmp is a symlink to a directory outside DIR.
  const d1 = join(dir, 'o1');
  mkdirSync(d1);
  symlinkSync(outside, join(d1, 'tmp'));
  assert.match(exportLabFiles(d1, files, new Map(), new Set()) ?? '', /refusing to export \/tmp\/f: .* is not a directory \(symlinks are not followed\)/);
  assert.deepEqual(readdirSync(outside), ['victim']);
  // DIR/tmp/f is a symlink to a file outside.
  const d2 = join(dir, 'o2');
  mkdirSync(join(d2, 'tmp'), { recursive: true });
  symlinkSync(join(outside, 'victim'), join(d2, 'tmp', 'f'));
  assert.match(exportLabFiles(d2, files, new Map(), new Set()) ?? '', /exists and is not a regular file/);
  // DIR/tmp/f is a hard link to a file outside: replaced by a new file, the outside one unchanged.
  const d3 = join(dir, 'o3');
  mkdirSync(join(d3, 'tmp'), { recursive: true });
  linkSync(join(outside, 'victim'), join(d3, 'tmp', 'f'));
  assert.equal(exportLabFiles(d3, files, new Map(), new Set()), null);
  assert.equal(readFileSync(join(d3, 'tmp', 'f'), 'utf8'), 'lab data\n');
  assert.equal(readFileSync(join(outside, 'victim'), 'utf8'), 'untouched\n');
  // Paths that are not plain (never made by the lab's filesystem, refused all the same).
  for (const bad of ['/../escape', '/a/../../b', '/x/\0y', '/']) {
    assert.match(exportLabFiles(join(dir, 'o4'), new Map([[bad, 'x']]), new Map(), new Set()) ?? '', /not a plain path/, JSON.stringify(bad));
  }
  assert.equal(existsSync(join(dir, 'escape')), false);
  // Through the command line: the refusal is an error (exit 2), nothing written outside.
  writeFileSync(join(dir, 's.sh'), 'echo lab > /tmp/f\n');
  const r = vnet(dir, 'run', '--world', 'none', '--out', 'o1', 's.sh');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /vnet: refusing to export \/tmp\/f/);
  assert.deepEqual(readdirSync(outside), ['victim']);
  const r2 = vnet(dir, 'run', '--out', '', 's.sh');
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /--out needs a directory/);
});
