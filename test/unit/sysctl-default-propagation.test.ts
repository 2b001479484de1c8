/** net.ipv4.conf.default writes reaching existing devices (devinet_copy_dflt_conf), as 6.18 does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sysctl } from '../../src/core/sysctl.ts';

const c4 = (dev: string, k: string) => `net.ipv4.conf.${dev}.${k}`;

test('default write reaches devices that never set the knob, skips those that did', () => {
  const s = new Sysctl();
  s.addDevice('lo'); s.addDevice('a'); s.addDevice('b');
  s.set(c4('b', 'rp_filter'), '0'); // same value as before: still counts as set
  s.set(c4('default', 'rp_filter'), '2');
  assert.equal(s.get(c4('a', 'rp_filter')), '2');
  assert.equal(s.get(c4('lo', 'rp_filter')), '2');
  assert.equal(s.get(c4('b', 'rp_filter')), '0');
  assert.equal(s.get(c4('all', 'rp_filter')), '0');
});

test('a device made after a default write carries its bit: later default writes skip it', () => {
  const s = new Sysctl();
  s.addDevice('a');
  s.set(c4('default', 'medium_id'), '5');
  s.addDevice('n');
  s.set(c4('default', 'medium_id'), '7');
  assert.equal(s.get(c4('n', 'medium_id')), '5');
  assert.equal(s.get(c4('a', 'medium_id')), '7');
  // A device made with the built-in defaults (another namespace's inheritance rules) has no bits.
  s.addDevice('m', true);
  s.set(c4('default', 'medium_id'), '9');
  assert.equal(s.get(c4('m', 'medium_id')), '9');
});

test('bits follow renames and are gone with the device', () => {
  const s = new Sysctl();
  s.addDevice('a');
  s.set(c4('a', 'tag'), '1');
  s.renameDevice('a', 'z');
  s.set(c4('default', 'tag'), '2');
  assert.equal(s.get(c4('z', 'tag')), '1');
  s.removeDevice('z');
  // Made again after default's write: default's value and bit, so the next write skips it.
  s.addDevice('z');
  assert.equal(s.get(c4('z', 'tag')), '2');
  s.set(c4('default', 'tag'), '3');
  assert.equal(s.get(c4('z', 'tag')), '2');
  s.set(c4('default', 'medium_id'), '4');
  assert.equal(s.get(c4('z', 'medium_id')), '4');
});

test('knobs with their own handlers, all.X and IPv6 default are not copied', () => {
  const s = new Sysctl();
  s.addDevice('a');
  for (const k of ['forwarding', 'route_localnet', 'promote_secondaries', 'disable_policy', 'disable_xfrm', 'drop_unicast_in_l2_multicast']) {
    s.set(c4('default', k), '1');
    assert.equal(s.get(c4('a', k)), '0', k);
  }
  s.set(c4('all', 'arp_ignore'), '1');
  assert.equal(s.get(c4('a', 'arp_ignore')), '0');
  s.set('net.ipv6.conf.default.hop_limit', '9');
  assert.equal(s.get('net.ipv6.conf.a.hop_limit'), '64');
});

test('copy-on-write: a default write does not leak into a sibling that set the knob', () => {
  const s = new Sysctl();
  s.addDevice('a'); s.addDevice('b');
  s.set(c4('a', 'arp_announce'), '1');
  s.set(c4('default', 'arp_announce'), '2');
  assert.equal(s.get(c4('a', 'arp_announce')), '1');
  assert.equal(s.get(c4('b', 'arp_announce')), '2');
  assert.equal(s.get(c4('default', 'arp_announce')), '2');
});
