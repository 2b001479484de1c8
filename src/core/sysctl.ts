/**
 * The sysctls of one namespace (net.*), as `sysctl` and /proc/sys/net show them.
 *
 * Per-device trees (net.ipv4.conf.DEV.*, net.ipv6.conf.DEV.*, net.ipv{4,6}.neigh.DEV.*) are made
 * when a device registers and copied from `default`, as devinet/addrconf/neigh_parms_alloc do.
 * `all` and the device values combine the way each knob's kernel user reads them (IN_DEV_*
 * macros), which the consumers implement.
 *
 * Writing net.ipv4.conf.default.X also sets X on every existing device that has not had X
 * written itself (devinet_copy_dflt_conf): the kernel keeps an "explicitly set" bit per device
 * knob (ipv4_devconf.state), set by any write to that device's knob, even of the same value. A
 * device made later copies default's bits along with its values, so knobs written on default
 * before the device existed count as set on it too. `all` writes are not copied (forwarding
 * aside), nor are the knobs with their own handlers (forwarding, the flushing ones below), and
 * IPv6 conf.default is never copied to existing devices.
 *
 * Storage: a tree is one array of values (every knob of the four families, in a fixed order),
 * shared copy-on-write — a new device takes `default`'s array by reference and the first write to
 * either side copies it — so an idle device or namespace costs a few small objects, not a map
 * entry per knob. The dotted names exist only when listed (keys()).
 */

export const IPV4_CONF_DEFAULTS: Record<string, string> = {
  accept_local: '0', accept_redirects: '1', accept_source_route: '1', arp_accept: '0',
  arp_announce: '0', arp_evict_nocarrier: '1', arp_filter: '0', arp_ignore: '0', arp_notify: '0',
  bc_forwarding: '0', bootp_relay: '0', disable_policy: '0', disable_xfrm: '0',
  drop_gratuitous_arp: '0', drop_unicast_in_l2_multicast: '0', force_igmp_version: '0',
  forwarding: '0', igmpv2_unsolicited_report_interval: '10000', igmpv3_unsolicited_report_interval: '1000',
  ignore_routes_with_linkdown: '0', log_martians: '0', mc_forwarding: '0', medium_id: '0',
  promote_secondaries: '0', proxy_arp: '0', proxy_arp_pvlan: '0', route_localnet: '0',
  rp_filter: '0', secure_redirects: '1', send_redirects: '1', shared_media: '1', src_valid_mark: '0',
  tag: '0',
};

/** net.ipv4.conf knobs whose default is not copied to existing devices (checked on 6.18). */
const IPV4_NOT_COPIED = new Set([
  'forwarding', 'mc_forwarding', 'disable_policy', 'disable_xfrm', 'promote_secondaries', 'route_localnet',
  'drop_unicast_in_l2_multicast',
]);

/** net.ipv6.conf.{default,DEV}: every knob of a fresh namespace on 6.18 (stable_secret, unset, reads EIO and is left out). */
export const IPV6_CONF_DEFAULTS: Record<string, string> = {
  accept_dad: '1', accept_ra: '1', accept_ra_defrtr: '1', accept_ra_from_local: '0', accept_ra_min_hop_limit: '1',
  accept_ra_min_lft: '0', accept_ra_mtu: '1', accept_ra_pinfo: '1', accept_ra_rt_info_max_plen: '0',
  accept_ra_rt_info_min_plen: '0', accept_ra_rtr_pref: '1', accept_redirects: '1', accept_source_route: '0',
  accept_untracked_na: '0', addr_gen_mode: '0', autoconf: '1', dad_transmits: '1', disable_ipv6: '0',
  disable_policy: '0', drop_unicast_in_l2_multicast: '0', drop_unsolicited_na: '0', enhanced_dad: '1',
  force_forwarding: '0', force_mld_version: '0', force_tllao: '0', forwarding: '0', hop_limit: '64',
  ignore_routes_with_linkdown: '0', ioam6_enabled: '0', ioam6_id: '65535', ioam6_id_wide: '4294967295',
  keep_addr_on_down: '0', max_addresses: '16', max_desync_factor: '600', mc_forwarding: '0',
  mldv1_unsolicited_report_interval: '10000', mldv2_unsolicited_report_interval: '1000', mtu: '1280',
  ndisc_evict_nocarrier: '1', ndisc_notify: '0', ndisc_tclass: '0', optimistic_dad: '0', proxy_ndp: '0',
  ra_defrtr_metric: '1024', ra_honor_pio_life: '0', ra_honor_pio_pflag: '0', regen_max_retry: '3',
  regen_min_advance: '2', router_probe_interval: '60', router_solicitation_delay: '1',
  router_solicitation_interval: '4', router_solicitation_max_interval: '3600', router_solicitations: '-1',
  rpl_seg_enabled: '0', seg6_enabled: '0', seg6_require_hmac: '0', suppress_frag_ndisc: '1',
  temp_prefered_lft: '86400', temp_valid_lft: '604800', use_oif_addrs_only: '0', use_optimistic: '0',
  use_tempaddr: '0',
};

/**
 * Namespace-wide knobs. net.ipv4.neigh.default.* exists only in the machine's initial namespace;
 * a lab's namespaces are like `unshare -n` ones, so they have the per-device trees only.
 */
export const NET_GLOBAL_DEFAULTS: Record<string, string> = {
  'net.ipv4.ip_forward': '0',
  'net.ipv4.icmp_echo_ignore_all': '0',
  'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  'net.ipv4.ip_default_ttl': '64',
  'net.ipv4.ping_group_range': '0\t2147483647',
  'net.core.somaxconn': '4096',
  'net.core.devconf_inherit_init_net': '0',
  'net.ipv6.conf.all.disable_ipv6': '0',
};

/** Per-device neighbour parameters (net.ipv4.neigh.DEV.*), as a 6.18 kernel lists them. */
export const NEIGH_DEFAULTS: Record<string, string> = {
  anycast_delay: '100', app_solicit: '0', base_reachable_time_ms: '30000', delay_first_probe_time: '5',
  gc_stale_time: '60', interval_probe_time_ms: '5000', locktime: '100', mcast_resolicit: '0', mcast_solicit: '3',
  proxy_delay: '80', proxy_qlen: '64', retrans_time_ms: '1000', ucast_solicit: '3', unres_qlen: '101',
  unres_qlen_bytes: '212992',
};

/** One family of per-device knobs: its key prefix, and each knob's slot in a tree's array. */
interface Family {
  prefix: string; slot: Map<string, number>; knobs: string[];
  /** net.ipv{4,6}.neigh: no `all` tree, and `default` (the template of new devices) is not listed
   * outside the initial namespace. */
  neigh: boolean;
}

/** The layout of a tree's array, its built-in values, and the namespace-wide knobs. */
interface Layout {
  fams: Family[];
  builtin: readonly string[];
  /** The `all` tree's built-in values where they differ from default's (ipv4_devconf vs ipv4_devconf_dflt). */
  allBuiltin: readonly string[];
  /** lo's: inetdev_init sets NOXFRM/NOPOLICY on loopback, addrconf gives it accept_dad -1. */
  loBuiltin: readonly string[];
  forward4: number;
  forward6: number;
  /** Slots of the net.ipv4.conf knobs a default write copies to devices (devinet_copy_dflt_conf). */
  copied4: Set<number>;
  disable6: number;
  globalKeys: string[];
  globalSlot: Map<string, number>;
  globalBuiltin: readonly string[];
}

let layout: Layout | null = null;

/** Made once, when the first namespace is made (the tables above are constants). */
function getLayout(): Layout {
  if (layout) return layout;
  const fams: Family[] = [];
  const builtin: string[] = [];
  const add = (prefix: string, table: Record<string, string>, adjust?: (k: string, v: string) => string): Family => {
    const f: Family = { prefix, slot: new Map(), knobs: [], neigh: prefix.includes('.neigh.') };
    for (const [k, v] of Object.entries(table)) {
      f.slot.set(k, builtin.length);
      f.knobs.push(k);
      builtin.push(adjust ? adjust(k, v) : v);
    }
    fams.push(f);
    return f;
  };
  const c4 = add('net.ipv4.conf.', IPV4_CONF_DEFAULTS);
  const c6 = add('net.ipv6.conf.', IPV6_CONF_DEFAULTS);
  add('net.ipv4.neigh.', NEIGH_DEFAULTS);
  // The IPv6 neighbour table has no lock time by default (nd_tbl: locktime 0).
  add('net.ipv6.neigh.', NEIGH_DEFAULTS, (k, v) => (k === 'locktime' ? '0' : v));
  const globalKeys: string[] = [];
  const globalSlot = new Map<string, number>();
  const globalBuiltin: string[] = [];
  for (const [k, v] of Object.entries(NET_GLOBAL_DEFAULTS)) {
    // A global that is also a knob of the `all` tree (net.ipv6.conf.all.disable_ipv6) is that knob.
    if (treeKnob(fams, k, 'all')) continue;
    globalSlot.set(k, globalKeys.length);
    globalKeys.push(k);
    globalBuiltin.push(v);
  }
  // Checked in a fresh `unshare --net` namespace on 6.18: all.accept_source_route 0 (default 1),
  // all.accept_dad 0 (default 1); lo: disable_policy 1, disable_xfrm 1, IPv6 accept_dad -1, use_tempaddr -1,
  // mtu 65536 (its device MTU: the IPv6 mtu of other devices does not follow their MTU in vnet yet).
  const variant = (changes: [Family, string, string][]): readonly string[] => {
    const v = [...builtin];
    for (const [f, k, val] of changes) v[f.slot.get(k)!] = val;
    return Object.freeze(v);
  };
  layout = {
    fams, builtin: Object.freeze(builtin),
    allBuiltin: variant([[c4, 'accept_source_route', '0'], [c6, 'accept_dad', '0']]),
    loBuiltin: variant([[c4, 'disable_policy', '1'], [c4, 'disable_xfrm', '1'], [c6, 'accept_dad', '-1'], [c6, 'use_tempaddr', '-1'], [c6, 'mtu', '65536']]),
    copied4: new Set(c4.knobs.filter((k) => !IPV4_NOT_COPIED.has(k)).map((k) => c4.slot.get(k)!)),
    forward4: c4.slot.get('forwarding')!, forward6: c6.slot.get('forwarding')!,
    disable6: c6.slot.get('disable_ipv6')!, globalKeys, globalSlot, globalBuiltin: Object.freeze(globalBuiltin),
  };
  return layout;
}

/** Is `key` a knob of `dev`'s trees? */
function treeKnob(fams: Family[], key: string, dev: string): boolean {
  const knob = key.slice(key.lastIndexOf('.') + 1);
  return fams.some((f) => key === `${f.prefix}${dev}.${knob}` && f.slot.has(knob));
}

export class Sysctl {
  private readonly lay = getLayout();
  private globals: string[];
  private globalsOwn = false;
  /** Each tree's values (all, default, then every device, by name); arrays may be shared. */
  private readonly trees = new Map<string, string[]>();
  /** The arrays of `trees` that belong to one tree alone and may be written in place. */
  private owned: Set<string[]> | null = null;
  /** Keys set that are neither a global nor a knob of an existing tree (raw store). */
  private extra: Map<string, string> | null = null;
  /** Per tree (default and devices), the copied IPv4 knobs written on it (ipv4_devconf.state). */
  private explicit: Map<string, Set<number>> | null = null;

  constructor() {
    this.globals = this.lay.globalBuiltin as string[];
    this.trees.set('all', this.lay.allBuiltin as string[]);
    this.trees.set('default', this.lay.builtin as string[]);
  }

  /** Makes DEV's trees from `default` (or the built-in defaults), sharing its values until either changes. */
  addDevice(dev: string, builtin = false, loopback = false): void {
    if (loopback) {
      // lo is made with the namespace, while default still has its built-in values.
      this.trees.set(dev, this.lay.loBuiltin as string[]);
      this.explicit?.delete(dev);
      return;
    }
    const d = builtin ? undefined : this.trees.get('default');
    // Both now share the array: the next write on either side copies it.
    if (d) this.owned?.delete(d);
    this.trees.set(dev, d ?? this.lay.builtin as string[]);
    // The new in_device copies default's state bits with its values.
    const bits = d ? this.explicit?.get('default') : undefined;
    if (bits) this.explicit!.set(dev, new Set(bits));
    else this.explicit?.delete(dev);
  }

  removeDevice(dev: string): void {
    const vals = this.trees.get(dev);
    if (vals) this.owned?.delete(vals);
    this.trees.delete(dev);
    this.explicit?.delete(dev);
    if (this.extra) this.dropExtra(dev);
  }

  renameDevice(from: string, to: string): void {
    const t = this.trees.get(from);
    if (t) { this.trees.delete(from); this.trees.set(to, t); }
    const bits = this.explicit?.get(from);
    if (bits) { this.explicit!.delete(from); this.explicit!.set(to, bits); }
    if (this.extra) {
      for (const [k, v] of [...this.extra]) {
        for (const f of this.lay.fams) {
          const pre = `${f.prefix}${from}.`;
          if (k.startsWith(pre) && !k.slice(pre.length).includes('.')) {
            this.extra.delete(k);
            this.extra.set(`${f.prefix}${to}.${k.slice(pre.length)}`, v);
          }
        }
      }
    }
  }

  private dropExtra(dev: string): void {
    for (const k of [...this.extra!.keys()]) {
      for (const f of this.lay.fams) {
        const pre = `${f.prefix}${dev}.`;
        if (k.startsWith(pre) && !k.slice(pre.length).includes('.')) this.extra!.delete(k);
      }
    }
  }

  /** The tree and slot a dotted key names, or null (device names may contain dots; knobs do not). */
  private locate(key: string): { dev: string; vals: string[]; slot: number } | null {
    if (key.length < 16 || key.charCodeAt(0) !== 110 /* n */) return null;
    for (const f of this.lay.fams) {
      if (!key.startsWith(f.prefix)) continue;
      const dot = key.lastIndexOf('.');
      if (dot <= f.prefix.length) return null;
      const slot = f.slot.get(key.slice(dot + 1));
      if (slot === undefined) return null;
      const dev = key.slice(f.prefix.length, dot);
      if (f.neigh && (dev === 'all' || dev === 'default')) return null;
      const vals = this.trees.get(dev);
      return vals ? { dev, vals, slot } : null;
    }
    return null;
  }

  has(key: string): boolean {
    return this.lay.globalSlot.has(key) || this.locate(key) !== null || (this.extra?.has(key) ?? false);
  }

  get(key: string): string | undefined {
    const g = this.lay.globalSlot.get(key);
    if (g !== undefined) return this.globals[g];
    const at = this.locate(key);
    if (at) return at.vals[at.slot];
    return this.extra?.get(key);
  }

  getInt(key: string, dflt = 0): number { return toInt(this.get(key), dflt); }

  /** Raw store; semantic side effects (ip_forward → all forwarding) are applied by set(). */
  set(key: string, value: string): void {
    const g = this.lay.globalSlot.get(key);
    if (g !== undefined) {
      if (!this.globalsOwn) { this.globals = this.globals.slice(); this.globalsOwn = true; }
      this.globals[g] = value;
    } else {
      const at = this.locate(key);
      if (at) {
        this.write(at.dev, at.vals, at.slot, value);
        if (at.dev !== 'all' && this.lay.copied4.has(at.slot) && key.startsWith('net.ipv4.conf.')) {
          this.markSet(at.dev, at.slot);
          if (at.dev === 'default') this.copyDefault(at.slot, value);
        }
      } else (this.extra ??= new Map()).set(key, value);
    }
    // devinet_sysctl_forward / ipv4_sysctl_forward: ip_forward and conf.all.forwarding mirror
    // each other and are pushed to every device and to default.
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      const on = value.trim() === '0' ? '0' : '1';
      this.setGlobalRaw('net.ipv4.ip_forward', on);
      this.pushAll(this.lay.forward4, on);
    }
    if (key === 'net.ipv6.conf.all.forwarding') this.pushAll(this.lay.forward6, value);
    if (key === 'net.ipv6.conf.all.disable_ipv6') this.pushAll(this.lay.disable6, value);
  }

  private setGlobalRaw(key: string, value: string): void {
    const g = this.lay.globalSlot.get(key);
    if (g === undefined) return;
    if (!this.globalsOwn) { this.globals = this.globals.slice(); this.globalsOwn = true; }
    this.globals[g] = value;
  }

  private markSet(dev: string, slot: number): void {
    const ex = this.explicit ??= new Map();
    let bits = ex.get(dev);
    if (!bits) { bits = new Set(); ex.set(dev, bits); }
    bits.add(slot);
  }

  /** devinet_copy_dflt_conf: every device that has not set the knob itself follows default. */
  private copyDefault(slot: number, value: string): void {
    for (const [dev, vals] of this.trees) {
      if (dev === 'all' || dev === 'default' || this.explicit?.get(dev)?.has(slot)) continue;
      this.write(dev, vals, slot, value);
    }
  }

  /** Sets one knob of `dev`'s trees, copying their array first unless it is theirs alone. */
  private write(dev: string, vals: string[], slot: number, value: string): void {
    if (vals[slot] === value) return;
    const owned = this.owned ??= new Set();
    if (!owned.has(vals)) {
      vals = vals.slice();
      owned.add(vals);
      this.trees.set(dev, vals);
    }
    vals[slot] = value;
  }

  /** One knob of every tree (all, default and each device) set to `value`. */
  private pushAll(slot: number, value: string): void {
    for (const [dev, vals] of this.trees) this.write(dev, vals, slot, value);
  }

  keys(): string[] {
    const out = this.lay.globalKeys.slice();
    for (const dev of this.trees.keys()) {
      for (const f of this.lay.fams) {
        if (f.neigh && (dev === 'all' || dev === 'default')) continue;
        for (const k of f.knobs) out.push(`${f.prefix}${dev}.${k}`);
      }
    }
    if (this.extra) for (const k of this.extra.keys()) out.push(k);
    return out.sort();
  }

  /** A net.ipv4.conf.DEV knob as a number (0 when the device or knob has none). */
  devConf(dev: string, knob: string): number { return this.famInt(0, dev, knob, 0); }

  /** A net.ipv6.conf.DEV knob as a number (`dflt` when the device or knob has none). */
  dev6Conf(dev: string, knob: string, dflt = 0): number { return this.famInt(1, dev, knob, dflt); }

  /** A net.ipv4.neigh.DEV knob as a number (`dflt` when the device or knob has none). */
  neighConf(dev: string, knob: string, dflt = 0): number { return this.famInt(2, dev, knob, dflt); }

  /** A knob of family `fam` (conf4, conf6, neigh4, neigh6) without building its dotted name. */
  private famInt(fam: number, dev: string, knob: string, dflt: number): number {
    const t = this.trees.get(dev);
    const slot = this.lay.fams[fam]!.slot.get(knob);
    if (t === undefined || slot === undefined) return this.getInt(`${this.lay.fams[fam]!.prefix}${dev}.${knob}`, dflt);
    return toInt(t[slot], dflt);
  }

  /** Per-device knob combined with `all` as the kernel reads it (IN_DEV_ORCONF / IN_DEV_MAXCONF). */
  devOr(dev: string, knob: string): number { return this.devConf('all', knob) | this.devConf(dev, knob); }
  devMax(dev: string, knob: string): number { return Math.max(this.devConf('all', knob), this.devConf(dev, knob)); }
}

function toInt(v: string | undefined, dflt: number): number {
  const n = v === undefined ? NaN : parseInt(v, 10);
  return Number.isFinite(n) ? n : dflt;
}
