/**
 * The frame in flight, as the kernel's sk_buff: bytes plus the metadata the receive and transmit
 * paths read. `data` always starts at the Ethernet header. Frames are shared between clones and
 * treated as immutable; code that must change bytes (a VLAN tag, a TTL) makes a copy first.
 */
import type { NetDevice } from './netdev.ts';

export const enum PacketType {
  HOST = 0, BROADCAST = 1, MULTICAST = 2, OTHERHOST = 3, OUTGOING = 4, LOOPBACK = 5,
}

export const PKT_TYPE_NAMES = ['HOST', 'BROADCAST', 'MULTICAST', 'OTHERHOST', 'OUTGOING', 'LOOPBACK'] as const;

export class SkBuff {
  /** VLAN tag moved out of the frame into metadata (skb_vlan_untag / hw accel). */
  vlanPresent = false;
  vlanProto = 0;
  vlanTci = 0;
  /** Index of the device the frame first arrived on in this namespace (skb_iif). */
  iif = 0;
  mark = 0;
  priority = 0;
  /** Set by the bridge on frames it hands up or forwards, so taps and tracing can tell. */
  brIngress: NetDevice | null = null;
  /** Receive rounds this frame (and the frames it was cloned from) went through: a loop detector. */
  hops = 0;
  /** For transmitted IP packets: the neighbour error callback (ICMP host unreachable). */
  onNeighFail: ((skb: SkBuff) => void) | null = null;

  constructor(
    public data: Uint8Array,
    public dev: NetDevice,
    public pktType: PacketType = PacketType.HOST,
    /** Trace identity of the original packet; clones and copies keep it. */
    public packetId = 0,
  ) {}

  get len(): number { return this.data.length; }

  /**
   * A clone shares the bytes and copies the metadata (skb_clone). It is one more frame in
   * flight, which must end delivered or dropped like any other (lab.counters balance).
   */
  clone(): SkBuff {
    this.dev.netns.lab.counters.framesCreated++;
    const c = new SkBuff(this.data, this.dev, this.pktType, this.packetId);
    c.vlanPresent = this.vlanPresent; c.vlanProto = this.vlanProto; c.vlanTci = this.vlanTci;
    c.iif = this.iif; c.mark = this.mark; c.priority = this.priority;
    c.brIngress = this.brIngress; c.onNeighFail = this.onNeighFail; c.hops = this.hops;
    return c;
  }

  /** Ethertype of the frame (after any tag moved to metadata). */
  get ethertype(): number { return (this.data[12]! << 8) | this.data[13]!; }
}
