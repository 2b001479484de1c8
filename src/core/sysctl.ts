/**
 * The sysctls of one namespace (net.*), as `sysctl` and /proc/sys/net show them.
 *
 * Per-device trees (net.ipv4.conf.DEV.*, net.ipv6.conf.DEV.*) are made when a device registers
 * and copied from `default`, as devinet/addrconf do. `all` and the device values combine the way
 * each knob's kernel user reads them (IN_DEV_* macros), which the consumers implement.
 */

export const IPV4_CONF_DEFAULTS: Record<string, string> = {
  accept_local: '0', accept_redirects: '1', accept_source_route: '0', arp_accept: '0',
  arp_announce: '0', arp_evict_nocarrier: '1', arp_filter: '0', arp_ignore: '0', arp_notify: '0',
  bc_forwarding: '0', bootp_relay: '0', disable_policy: '0', disable_xfrm: '0',
  drop_gratuitous_arp: '0', drop_unicast_in_l2_multicast: '0', force_igmp_version: '0',
  forwarding: '0', igmpv2_unsolicited_report_interval: '10000', igmpv3_unsolicited_report_interval: '1000',
  ignore_routes_with_linkdown: '0', log_martians: '0', mc_forwarding: '0', medium_id: '0',
  promote_secondaries: '0', proxy_arp: '0', proxy_arp_pvlan: '0', route_localnet: '0',
  rp_filter: '0', secure_redirects: '1', send_redirects: '1', shared_media: '1', src_valid_mark: '0',
  tag: '0',
};

export const IPV6_CONF_DEFAULTS: Record<string, string> = {
  accept_dad: '1', accept_ra: '1', addr_gen_mode: '0', autoconf: '1', disable_ipv6: '0',
  forwarding: '0', hop_limit: '64', mtu: '1280',
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

export class Sysctl {
  private values = new Map<string, string>();

  constructor() {
    for (const [k, v] of Object.entries(NET_GLOBAL_DEFAULTS)) this.values.set(k, v);
    for (const dev of ['all', 'default']) this.addDevice(dev, true);
  }

  /** Makes net.ipv4.conf.DEV.* and net.ipv6.conf.DEV.* from `default` (or the built-in defaults). */
  addDevice(dev: string, builtin = false): void {
    for (const [k, v] of Object.entries(IPV4_CONF_DEFAULTS)) {
      const val = builtin ? v : (this.values.get(`net.ipv4.conf.default.${k}`) ?? v);
      this.values.set(`net.ipv4.conf.${dev}.${k}`, val);
    }
    for (const [k, v] of Object.entries(IPV6_CONF_DEFAULTS)) {
      const val = builtin ? v : (this.values.get(`net.ipv6.conf.default.${k}`) ?? v);
      this.values.set(`net.ipv6.conf.${dev}.${k}`, val);
    }
    // Each device gets its own neighbour parameters, copied from the table defaults.
    for (const fam of ['ipv4', 'ipv6']) {
      for (const [k, v] of Object.entries(NEIGH_DEFAULTS)) {
        const val = fam === 'ipv6' && k === 'locktime' ? '0' : v;
        this.values.set(`net.${fam}.neigh.${dev}.${k}`, this.values.get(`net.${fam}.neigh.default.${k}`) ?? val);
      }
    }
  }

  removeDevice(dev: string): void {
    for (const k of [...this.values.keys()]) {
      if (k.startsWith(`net.ipv4.conf.${dev}.`) || k.startsWith(`net.ipv6.conf.${dev}.`) ||
        k.startsWith(`net.ipv4.neigh.${dev}.`) || k.startsWith(`net.ipv6.neigh.${dev}.`)) this.values.delete(k);
    }
  }

  renameDevice(from: string, to: string): void {
    for (const [k, v] of [...this.values]) {
      for (const pre of [`net.ipv4.conf.${from}.`, `net.ipv6.conf.${from}.`, `net.ipv4.neigh.${from}.`, `net.ipv6.neigh.${from}.`]) {
        if (k.startsWith(pre)) {
          this.values.delete(k);
          this.values.set(pre.replace(`.${from}.`, `.${to}.`) + k.slice(pre.length), v);
        }
      }
    }
  }

  has(key: string): boolean { return this.values.has(key); }
  get(key: string): string | undefined { return this.values.get(key); }
  getInt(key: string, dflt = 0): number {
    const v = this.values.get(key);
    const n = v === undefined ? NaN : parseInt(v, 10);
    return Number.isFinite(n) ? n : dflt;
  }

  /** Raw store; semantic side effects (ip_forward → all forwarding) are applied by set(). */
  set(key: string, value: string): void {
    this.values.set(key, value);
    // devinet_sysctl_forward / ipv4_sysctl_forward: ip_forward and conf.all.forwarding mirror
    // each other and are pushed to every device and to default.
    const allFwd = key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding';
    if (allFwd) {
      const on = value.trim() === '0' ? '0' : '1';
      this.values.set('net.ipv4.ip_forward', on);
      for (const k of this.values.keys()) {
        if (/^net\.ipv4\.conf\.[^.]+\.forwarding$/.test(k)) this.values.set(k, on);
      }
    }
    if (key === 'net.ipv6.conf.all.forwarding') {
      for (const k of this.values.keys()) {
        if (/^net\.ipv6\.conf\.[^.]+\.forwarding$/.test(k)) this.values.set(k, value);
      }
    }
    if (key === 'net.ipv6.conf.all.disable_ipv6') {
      for (const k of this.values.keys()) {
        if (/^net\.ipv6\.conf\.[^.]+\.disable_ipv6$/.test(k)) this.values.set(k, value);
      }
    }
  }

  keys(): string[] { return [...this.values.keys()].sort(); }

  /** Per-device knob combined with `all` as the kernel reads it (IN_DEV_ORCONF / IN_DEV_MAXCONF). */
  devOr(dev: string, knob: string): number {
    return this.getInt(`net.ipv4.conf.all.${knob}`) | this.getInt(`net.ipv4.conf.${dev}.${knob}`);
  }
  devMax(dev: string, knob: string): number {
    return Math.max(this.getInt(`net.ipv4.conf.all.${knob}`), this.getInt(`net.ipv4.conf.${dev}.${knob}`));
  }
  devConf(dev: string, knob: string): number { return this.getInt(`net.ipv4.conf.${dev}.${knob}`); }
}
