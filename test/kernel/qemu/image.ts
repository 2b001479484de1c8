/**
 * Builds the qemu oracle's boot image from Debian packages, in a cache directory outside the repo
 * (nothing here is committed):
 *
 *   $VNET_QEMU_CACHE, else $XDG_CACHE_HOME/vnet-qemu, else /var/tmp/vnet-qemu
 *     debs/            the .deb files (`apt-get download`): the kernel image (linux-image-amd64's
 *                      dependency, e.g. linux-image-6.1.0-56-amd64), kmod + libkmod2 (modprobe/lsmod:
 *                      the host has no kmod), vlan (vconfig), libteam-utils and its libraries (teamd)
 *     build-XXXX/      while building (under build.lock): the packages unpacked (`dpkg-deb -x`, depmod
 *                      run on their module tree) and the modules the VM gets, with their own indexes
 *     vmlinux-KVER     the uncompressed kernel (./vmlinux.ts)
 *     initrd-KEY.cpio  the base initramfs (newc, uncompressed: unpacking is faster than inflating under TCG)
 *     image.json       what was built from what (ImageInfo); a build is reused while its key matches
 *
 * The initramfs holds: /init (./init.sh, run by busybox-static's sh), busybox-static (for /init only:
 * its applets are NOT on the scenarios' PATH, so a command that is missing stays "command not found"
 * instead of turning into a busybox look-alike), the real Debian binaries the scenarios call, copied
 * from this (Debian) host with the shared libraries `ldd` names (bash, dash as /bin/sh, iproute2's
 * ip/bridge/tc/ss/devlink, ping, arping, tcpdump, brctl, sysctl, util-linux's unshare/nsenter/mount,
 * coreutils, grep, sed, awk, …), kmod/vconfig/teamd from the downloaded packages, /etc/iproute2, a
 * minimal passwd/group (tcpdump drops privileges to its user), and the network driver modules with
 * modules.dep & co., which the kernel loads on demand (see IMAGE_MODULES).
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpioNewc, type CpioEntry } from './cpio.ts';
import { extractVmlinux } from './vmlinux.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export function cacheDir(): string {
  if (process.env.VNET_QEMU_CACHE) return process.env.VNET_QEMU_CACHE;
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'vnet-qemu');
  return '/var/tmp/vnet-qemu';
}

/** Packages downloaded for the VM only (not installed on the host). The kernel image is added to these. */
const VM_PACKAGES_REQUIRED = ['kmod', 'libkmod2'];
const VM_PACKAGES_OPTIONAL = [
  'vlan', // vconfig (a shell script around ip)
  'libteam-utils', // teamd, teamdctl
  'libteam5',
  'libteamdctl0',
  'libdaemon0',
  'libjansson4',
  'libnl-cli-3-200',
  'libnl-nf-3-200',
];

/**
 * The driver modules the image holds (with their dependencies). None is loaded at boot: the kernel
 * loads them on demand through /sbin/modprobe (`type vlan` → rtnl-link-vlan → 8021q), as on a Debian
 * machine, and /init unloads them after each scenario. Loading them all at boot would change what
 * every scenario sees: bonding adds /sys/class/net/bonding_masters to every namespace, ip_gre adds
 * gre0/gretap0/erspan0 devices to every namespace (ipip tunl0, sit sit0, ip6_tunnel ip6tnl0 likewise).
 * VNET_QEMU_PRELOAD=1 loads IMAGE_MODULES at boot anyway.
 */
export const IMAGE_MODULES = [
  'veth',
  'bridge',
  '8021q',
  'macvlan',
  'macvtap',
  'ipvlan',
  'ipvtap',
  'tap',
  'tun',
  'dummy',
  'bonding',
  'team',
  'team_mode_activebackup',
  'team_mode_loadbalance',
  'team_mode_roundrobin',
  'team_mode_broadcast',
  'team_mode_random',
  'vxlan',
  'geneve',
  'vrf',
  'nlmon',
  'ifb',
];
/** Also in the image; never preloaded (they add devices to every namespace). */
const ONDEMAND_MODULES = ['ip_gre', 'ipip', 'sit', 'ip6_tunnel', 'ip6_gre', 'macsec', 'netdevsim', 'br_netfilter'];

/** Host commands copied into the image (found on PATH; the first ones are required). */
const HOST_TOOLS_REQUIRED = ['bash', 'ip', 'unshare', 'timeout', 'env', 'cat', 'sleep', 'mount', 'base64'];
const HOST_TOOLS_OPTIONAL = [
  'dash', 'bridge', 'tc', 'ss', 'devlink', 'ping', 'arping', 'tcpdump', 'brctl', 'sysctl', 'nsenter', 'umount',
  'ls', 'head', 'tail', 'od', 'echo', 'printf', 'test', '[', 'true', 'false', 'wc', 'sort', 'uniq', 'tr', 'cut',
  'tee', 'mkdir', 'rmdir', 'rm', 'touch', 'readlink', 'realpath', 'seq', 'stat', 'date', 'basename', 'dirname',
  'chmod', 'ln', 'cp', 'mv', 'id', 'uname', 'nproc', 'expr', 'mktemp', 'nohup', 'yes', 'dd', 'md5sum', 'sha256sum',
  'sed', 'grep', 'awk', 'find', 'xargs', 'hexdump', 'xxd', 'cmp', 'diff', 'ps', 'pgrep', 'pkill', 'kill',
  'ethtool', 'stty', 'sync', 'hostname',
];

/** Host sysctls whose value the VM copies at boot, so both oracles start alike (see init.sh). */
const HOST_SYSCTLS = ['net.core.default_qdisc'];

export interface ImageInfo {
  key: string;
  kernelPackage: string;
  kernelVersion: string;
  vmlinux: string;
  initrd: string;
  initrdBytes: number;
  tools: string[];
  missingTools: string[];
  modules: string[];
  preload: string[];
  builtMs: number;
}

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; argv0?: string } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  return { ok: r.status === 0 && !r.error, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** /bin/x → /usr/bin/x etc.: the image has a merged /usr like Debian 12. */
function canonical(p: string): string {
  return p.replace(/^\/(bin|sbin|lib|lib64)\//, '/usr/$1/');
}

/** The kernel package linux-image-amd64 points to (e.g. linux-image-6.1.0-56-amd64). */
function kernelPackageName(): string {
  if (process.env.VNET_QEMU_KERNEL_PKG) return process.env.VNET_QEMU_KERNEL_PKG;
  const r = sh('apt-cache', ['depends', 'linux-image-amd64']);
  const m = /Depends:\s*(linux-image-\S+)/.exec(r.stdout);
  if (!m) throw new Error(`cannot tell which kernel linux-image-amd64 depends on: ${r.stderr.trim() || 'no apt lists (apt-get update)'}`);
  return m[1]!;
}

function debFor(debs: string, pkg: string): string | undefined {
  if (!existsSync(debs)) return undefined;
  const f = readdirSync(debs).find((n) => n.startsWith(`${pkg}_`) && n.endsWith('.deb'));
  return f ? join(debs, f) : undefined;
}

/** apt-get download PKG into `debs` unless a .deb of it is there already. */
function download(debs: string, pkg: string, required: boolean, log: (s: string) => void): string | undefined {
  const have = debFor(debs, pkg);
  if (have) return have;
  mkdirSync(debs, { recursive: true });
  log(`apt-get download ${pkg}`);
  const r = sh('apt-get', ['download', '-q', pkg], { cwd: debs });
  const got = debFor(debs, pkg);
  if (!got) {
    const msg = `apt-get download ${pkg} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`;
    if (required) throw new Error(msg);
    log(`${msg} (optional: left out)`);
  }
  return got;
}

/** The kernel package to use: what is downloaded already, else linux-image-amd64's dependency. */
function chooseKernel(debs: string): string {
  if (process.env.VNET_QEMU_KERNEL_PKG) return process.env.VNET_QEMU_KERNEL_PKG;
  if (existsSync(debs)) {
    const f = readdirSync(debs).find((n) => /^linux-image-\d.*\.deb$/.test(n));
    if (f) return f.split('_')[0]!;
  }
  return kernelPackageName();
}

function hostToolPath(name: string): string | undefined {
  const r = sh('bash', ['-c', `type -P -- "$1"`, 'bash', name], { env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' } });
  const p = r.stdout.trim();
  return r.ok && p ? p : undefined;
}

/** What a build depends on: this code, init.sh, the .deb files, the host tools. */
function buildKey(debFiles: string[], tools: Array<[string, string]>): string {
  const h = createHash('sha256');
  for (const f of ['image.ts', 'init.sh', 'cpio.ts', 'vmlinux.ts']) h.update(readFileSync(join(HERE, f)));
  for (const d of [...debFiles].sort()) h.update(`deb ${posix.basename(d)}\n`);
  h.update(`preload ${process.env.VNET_QEMU_PRELOAD === '1'}\n`);
  for (const [name, p] of tools) {
    const st = statSync(p);
    h.update(`tool ${name} ${p} ${st.size} ${st.mtimeMs}\n`);
  }
  for (const k of HOST_SYSCTLS) h.update(`sysctl ${k}=${hostSysctl(k)}\n`);
  return h.digest('hex').slice(0, 16);
}

function hostSysctl(key: string): string {
  try {
    return readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The image in the cache, if one was built and still matches its inputs. */
export function cachedImage(): ImageInfo | undefined {
  const dir = cacheDir();
  try {
    const info = JSON.parse(readFileSync(join(dir, 'image.json'), 'utf8')) as ImageInfo;
    if (!existsSync(info.vmlinux) || !existsSync(info.initrd)) return undefined;
    return info;
  } catch {
    return undefined;
  }
}

/** The host tools to copy, as [name, path]; and the names not found. */
function hostTools(): { tools: Array<[string, string]>; missing: string[] } {
  const tools: Array<[string, string]> = [];
  const missing: string[] = [];
  for (const name of [...HOST_TOOLS_REQUIRED, ...HOST_TOOLS_OPTIONAL]) {
    const p = hostToolPath(name);
    if (p) tools.push([name, p]);
    else if (HOST_TOOLS_REQUIRED.includes(name)) throw new Error(`${name} is not installed on this host`);
    else missing.push(name);
  }
  return { tools, missing };
}

/**
 * Returns the image, building it when there is none or its inputs changed. Downloads packages
 * with apt-get when they are not in the cache yet (needs apt lists: `apt-get update`).
 */
export function ensureImage(opts: { force?: boolean; log?: (s: string) => void } = {}): ImageInfo {
  const log = opts.log ?? (() => {});
  const dir = cacheDir();
  const debs = join(dir, 'debs');
  const { tools, missing } = hostTools();
  const kernelPkg = chooseKernel(debs);
  const haveDebs = [kernelPkg, ...VM_PACKAGES_REQUIRED, ...VM_PACKAGES_OPTIONAL].map((p) => debFor(debs, p)).filter((x): x is string => !!x);
  const cached = cachedImage();
  if (!opts.force && cached && cached.key === buildKey(haveDebs, tools)) return cached;
  mkdirSync(dir, { recursive: true });
  const unlock = lock(join(dir, 'build.lock'), log);
  try {
    // someone else may have built it while we waited
    const again = cachedImage();
    if (!opts.force && again && again.key === buildKey(haveDebs, tools)) return again;
    return build(dir, kernelPkg, tools, missing, log);
  } finally {
    unlock();
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A lock directory holding the owner's pid; a lock whose owner is gone is taken over. */
function lock(path: string, log: (s: string) => void): () => void {
  const deadline = Date.now() + 10 * 60_000;
  let said = false;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(path, 'pid'), 'utf8'));
    } catch {
      // being created or removed right now
    }
    let alive = true;
    if (Number.isInteger(owner) && owner > 0) {
      try {
        process.kill(owner, 0);
      } catch {
        alive = false;
      }
    } else if (Date.now() - statSafe(path) > 30_000) alive = false; // no pid for 30 s: a crashed creator
    if (!alive) {
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${path} is held by pid ${owner} for too long`);
    if (!said) log(`waiting for the image build of pid ${owner}`);
    said = true;
    sleepSync(500);
  }
}

function statSafe(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return Date.now();
  }
}

function build(dir: string, kernelPkg: string, tools: Array<[string, string]>, missingTools: string[], log: (s: string) => void): ImageInfo {
  const t0 = Date.now();
  if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox')) throw new Error('busybox-static is not installed');
  const busybox = existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : '/bin/busybox';
  if (!/statically linked|static-pie/.test(sh('file', ['-L', busybox]).stdout) && sh('ldd', [busybox]).ok) {
    throw new Error(`${busybox} is not statically linked: install busybox-static`);
  }
  const debs = join(dir, 'debs');
  const debFiles: string[] = [];
  debFiles.push(download(debs, kernelPkg, true, log)!);
  for (const p of VM_PACKAGES_REQUIRED) debFiles.push(download(debs, p, true, log)!);
  for (const p of VM_PACKAGES_OPTIONAL) {
    const f = download(debs, p, false, log);
    if (f) debFiles.push(f);
  }

  // unpack (everything is built in a private work directory, then renamed into place)
  for (const old of readdirSync(dir)) if (old.startsWith('build-')) rmSync(join(dir, old), { recursive: true, force: true });
  const work = mkdtempSync(join(dir, 'build-'));
  try {
    return buildIn(dir, work, kernelPkg, debFiles, tools, missingTools, log, t0);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function buildIn(
  dir: string,
  work: string,
  kernelPkg: string,
  debFiles: string[],
  tools: Array<[string, string]>,
  missingTools: string[],
  log: (s: string) => void,
  t0: number,
): ImageInfo {
  const busybox = existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : '/bin/busybox';
  const pkgroot = join(work, 'pkgroot');
  mkdirSync(pkgroot, { recursive: true });
  for (const f of debFiles) {
    const r = sh('dpkg-deb', ['-x', f, pkgroot]);
    if (!r.ok) throw new Error(`dpkg-deb -x ${f}: ${r.stderr}`);
  }
  const pkgLibDirs = ['usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu'].map((d) => join(pkgroot, d)).filter(existsSync);
  const pkgEnv = { ...process.env, LD_LIBRARY_PATH: pkgLibDirs.join(':') };

  // the kernel
  const modRoot = existsSync(join(pkgroot, 'lib/modules')) ? join(pkgroot, 'lib/modules') : join(pkgroot, 'usr/lib/modules');
  const kver = readdirSync(modRoot)[0];
  if (!kver) throw new Error(`${kernelPkg} has no modules directory`);
  const bz = [join(pkgroot, 'boot', `vmlinuz-${kver}`)].find(existsSync);
  if (!bz) throw new Error(`${kernelPkg} has no /boot/vmlinuz-${kver}`);
  log(`extracting vmlinux from ${posix.basename(bz)}`);
  const vmlinux = join(dir, `vmlinux-${kver}`);
  writeFileSync(join(work, 'vmlinux'), extractVmlinux(readFileSync(bz)));
  renameSync(join(work, 'vmlinux'), vmlinux);

  // modules: depmod over the whole tree (for the dependencies), then a subset with its own indexes
  const kmod = join(pkgroot, 'bin/kmod');
  const depmod = (base: string) => {
    const r = sh(kmod, ['-b', base, kver], { env: pkgEnv, argv0: 'depmod' });
    if (!r.ok) throw new Error(`depmod -b ${base}: ${r.stderr}`);
  };
  log('depmod (package tree)');
  const baseOfModRoot = dirname(dirname(modRoot)); // pkgroot, or pkgroot/usr
  depmod(baseOfModRoot);
  const kdir = join(modRoot, kver);
  const deps = new Map<string, string[]>(); // relative path -> dependency paths
  const byName = new Map<string, string>(); // module name -> relative path
  for (const line of readFileSync(join(kdir, 'modules.dep'), 'utf8').split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    deps.set(m[1]!, m[2]!.split(/\s+/).filter(Boolean));
    byName.set(posix.basename(m[1]!).replace(/\.ko(\.\w+)?$/, '').replace(/-/g, '_'), m[1]!);
  }
  const wanted = new Set<string>();
  const add = (rel: string) => {
    if (wanted.has(rel)) return;
    wanted.add(rel);
    for (const d of deps.get(rel) ?? []) add(d);
  };
  const preload: string[] = [];
  for (const name of [...IMAGE_MODULES, ...ONDEMAND_MODULES]) {
    const rel = byName.get(name);
    if (!rel) {
      log(`module ${name}: not in ${kernelPkg} (built in or absent)`);
      continue;
    }
    add(rel);
    if (process.env.VNET_QEMU_PRELOAD === '1' && IMAGE_MODULES.includes(name)) preload.push(name);
  }
  const stage = join(work, 'modstage');
  const skdir = join(stage, 'lib/modules', kver);
  for (const rel of wanted) {
    mkdirSync(dirname(join(skdir, rel)), { recursive: true });
    copyFileSync(join(kdir, rel), join(skdir, rel));
  }
  for (const f of ['modules.order', 'modules.builtin', 'modules.builtin.modinfo']) {
    if (existsSync(join(kdir, f))) copyFileSync(join(kdir, f), join(skdir, f));
  }
  log(`depmod (${wanted.size} modules)`);
  depmod(stage);

  // the file system
  const entries = new Map<string, CpioEntry>();
  const addDir = (p: string) => {
    const parts = p.replace(/^\/+/, '').split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const q = parts.slice(0, i).join('/');
      const e = entries.get(q);
      if (!e) entries.set(q, { type: 'dir', path: q });
      else if (e.type === 'symlink') throw new Error(`${q} is a symlink in the image`);
    }
  };
  const addFile = (dest: string, data: Buffer | string, mode = 0o644) => {
    const p = canonical(dest).replace(/^\/+/, '');
    addDir(posix.dirname(p));
    entries.set(p, { type: 'file', path: p, data, mode });
  };
  const addLink = (dest: string, target: string) => {
    const p = dest.replace(/^\/+/, '');
    addDir(posix.dirname(p));
    entries.set(p, { type: 'symlink', path: p, target });
  };
  for (const d of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'usr/local/bin', 'usr/local/sbin', 'proc', 'sys', 'dev', 'run', 'tmp', 'root', 'etc', 'var', 'mnt']) addDir(d);
  addLink('bin', 'usr/bin');
  addLink('sbin', 'usr/sbin');
  addLink('lib', 'usr/lib');
  addLink('lib64', 'usr/lib64');
  addLink('var/run', '../run');
  entries.set('dev/console', { type: 'chardev', path: 'dev/console', major: 5, minor: 1 });
  entries.set('dev/null', { type: 'chardev', path: 'dev/null', major: 1, minor: 3, mode: 0o666 });

  const libsDone = new Set<string>();
  const addLibsOf = (bin: string) => {
    const r = sh('ldd', [bin], { env: pkgEnv });
    if (!r.ok) return; // static, or a script
    for (const line of r.stdout.split('\n')) {
      if (/not found/.test(line)) throw new Error(`${bin}: ${line.trim()}`);
      const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
      if (!m) continue;
      const lib = m[1]!;
      let dest = lib;
      if (lib.startsWith(pkgroot)) dest = lib.slice(pkgroot.length);
      dest = canonical(dest);
      if (libsDone.has(dest)) continue;
      libsDone.add(dest);
      addFile(dest, readFileSync(realpathSync(lib)), 0o755);
    }
  };
  const addBinary = (dest: string, src: string) => {
    addFile(dest, readFileSync(realpathSync(src)), 0o755);
    addLibsOf(src);
  };

  const copied: string[] = [];
  for (const [name, p] of tools) {
    if (name === 'dash') {
      addBinary('/usr/bin/dash', p);
      addLink('usr/bin/sh', 'dash');
    } else {
      addBinary(p, p);
    }
    copied.push(name);
  }
  // busybox: for /init only, outside PATH
  addFile('/usr/lib/vnet/busybox', readFileSync(busybox), 0o755);

  // kmod, vconfig, teamd from the packages
  addBinary('/usr/bin/kmod', kmod);
  for (const n of ['modprobe', 'insmod', 'rmmod', 'depmod', 'modinfo']) addLink(`usr/sbin/${n}`, '../bin/kmod');
  addLink('usr/bin/lsmod', 'kmod');
  copied.push('modprobe', 'lsmod', 'insmod', 'rmmod', 'modinfo', 'depmod');
  for (const [rel, dest] of [
    ['sbin/vconfig', '/usr/sbin/vconfig'],
    ['usr/sbin/vconfig', '/usr/sbin/vconfig'],
    ['usr/bin/teamd', '/usr/bin/teamd'],
    ['usr/bin/teamdctl', '/usr/bin/teamdctl'],
    ['usr/bin/teamnl', '/usr/bin/teamnl'],
  ] as const) {
    const src = join(pkgroot, rel);
    if (!existsSync(src)) continue;
    try {
      addBinary(dest, src);
      copied.push(posix.basename(dest));
    } catch (e) {
      log(`left out ${dest}: ${(e as Error).message}`);
    }
  }

  // modules
  const walk = (src: string, dest: string) => {
    for (const name of readdirSync(src)) {
      const s = join(src, name);
      const st = lstatSync(s);
      if (st.isDirectory()) walk(s, `${dest}/${name}`);
      else if (st.isFile()) addFile(`${dest}/${name}`, readFileSync(s));
    }
  };
  walk(skdir, `/usr/lib/modules/${kver}`);

  // /etc
  if (existsSync('/etc/iproute2')) {
    const copyTree = (src: string, dest: string) => {
      for (const name of readdirSync(src)) {
        const s = join(src, name);
        const st = statSync(s);
        if (st.isDirectory()) copyTree(s, `${dest}/${name}`);
        else addFile(`${dest}/${name}`, readFileSync(s));
      }
    };
    copyTree('/etc/iproute2', '/etc/iproute2');
    if (existsSync('/usr/share/iproute2')) copyTree('/usr/share/iproute2', '/usr/share/iproute2');
  }
  for (const f of ['/etc/protocols', '/etc/services', '/etc/ethertypes']) if (existsSync(f)) addFile(f, readFileSync(f));
  // the host's user and group names (a Debian system's: `ip tuntap … group users` prints `group users`);
  // tcpdump drops privileges to its user. No shadow file.
  for (const f of ['/etc/passwd', '/etc/group']) {
    addFile(f, existsSync(f) ? readFileSync(f) : f === '/etc/passwd' ? 'root:x:0:0:root:/root:/bin/bash\n' : 'root:x:0:\n');
  }
  addFile('/etc/nsswitch.conf', 'passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\n');
  addFile('/etc/hosts', '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n');
  addFile('/etc/hostname', 'vnet-qemu\n');
  addFile('/etc/os-release', existsSync('/etc/os-release') ? readFileSync('/etc/os-release') : '');

  // what /init reads
  addFile('/usr/lib/vnet/modules.load', preload.join('\n') + '\n');
  addFile('/usr/lib/vnet/sysctl.conf', HOST_SYSCTLS.map((k) => `${k}=${hostSysctl(k)}`).filter((l) => !l.endsWith('=')).join('\n') + '\n');
  addFile('/init', readFileSync(join(HERE, 'init.sh')), 0o755);

  const key = buildKey(debFiles, tools);
  const initrd = join(dir, `initrd-${key}.cpio`);
  const cpio = cpioNewc([...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  writeFileSync(join(work, 'initrd'), cpio);
  renameSync(join(work, 'initrd'), initrd);

  const info: ImageInfo = {
    key,
    kernelPackage: kernelPkg,
    kernelVersion: kver,
    vmlinux,
    initrd,
    initrdBytes: cpio.length,
    tools: copied,
    missingTools,
    modules: [...wanted].map((r) => posix.basename(r).replace(/\.ko.*$/, '')),
    preload,
    builtMs: Date.now() - t0,
  };
  writeFileSync(join(work, 'image.json'), JSON.stringify(info, null, 2) + '\n');
  renameSync(join(work, 'image.json'), join(dir, 'image.json'));
  // older images (a run that started before may still be reading one: unlinking does not disturb it)
  for (const f of readdirSync(dir)) {
    if ((/^initrd-.*\.cpio$/.test(f) && f !== posix.basename(initrd)) || f === 'initrd.cpio' || f === 'pkgroot' || f === 'modstage') {
      rmSync(join(dir, f), { recursive: true, force: true });
    }
  }
  log(`image built in ${info.builtMs} ms: ${kernelPkg} (${kver}), initrd ${(cpio.length / 1e6).toFixed(1)} MB`);
  return info;
}
