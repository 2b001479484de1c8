/**
 * The closed set of things that can happen to a frame, and the events drivers emit.
 *
 * Every path that frees a frame names a DropReason; tests and `vnet trace` assert on these codes.
 * Emitting costs one null check when nobody listens (lab.tracer === null).
 */

export const DROP_REASONS = {
  // generic device rules
  DEV_DOWN: 'the device is administratively down, so it neither sends nor receives',
  NO_CARRIER: 'the device has no carrier, so its transmit queue is stopped and the frame is discarded',
  NOT_OUR_MAC: 'the destination MAC is not this device\'s (PACKET_OTHERHOST), so IP and ARP discard it',
  MTU_EXCEEDED: 'the frame is longer than the receiving device\'s MTU allows',
  UNKNOWN_PROTOCOL: 'no protocol handler in this namespace takes this ethertype',
  VLAN_NO_SUBDEV: 'the frame carries a VLAN id for which no VLAN sub-interface exists here',
  VLAN_SUBDEV_DOWN: 'the VLAN sub-interface for this VLAN id is down',
  LOOP_LIMIT: 'the frame was dropped by the storm guard: too many frames in this instant',
  // macvlan
  MACVLAN_NO_TARGET: 'no UP macvlan on this lower device has the destination MAC',
  MACVLAN_PRIVATE_GROUP: 'a group frame from a private/passthru/source-mode macvlan only returns to its sender',
  MACVLAN_MODE_EXCLUDED: 'the macvlan mode table leaves this receiver out of this broadcast',
  MACVLAN_PASSTHRU_DOWN: 'the passthru macvlan is down, so the lower device takes no unicast at all',
  MACVLAN_BC_QUEUE_FULL: 'the macvlan broadcast queue is full',
  MACVLAN_TO_OWN_LOWER: 'a macvlan\'s frames leave through the lower device and never reach the lower device\'s own stack',
  MACVLAN_SOURCE_NODST: 'a source-mode macvlan with nodst took the frame',
  // ipvlan
  IPVLAN_PRIVATE: 'the ipvlan port is in private mode, so one slave cannot reach another',
  IPVLAN_L3_GROUP: 'an ipvlan in l3/l3s mode does not send multicast or broadcast frames',
  IPVLAN_NOT_IP: 'an ipvlan in l3/l3s mode only routes IPv4 and IPv6 packets',
  IPVLAN_NO_ROUTE: 'the master\'s namespace has no unicast or local route for the destination of this l3-mode ipvlan packet',
  IPVLAN_BACKLOG_FULL: 'the ipvlan port\'s multicast backlog is full',
  IPVLAN_SLAVE_DOWN: 'the ipvlan slave that owns the destination address is down',
  // bonding
  BOND_INACTIVE_SLAVE: 'the frame arrived on an inactive (backup) bond slave, which passes nothing up',
  BOND_NO_SLAVE: 'the bond has no slave that can transmit (none up with link)',
  BOND_LACPDU: 'an 802.3ad LACPDU is consumed by the bond',
  TEAM_NO_PORT: 'the team has no port to send on (no mode set, no active port, or no enabled port with link)',
  TEAM_PORT_NOT_RX: 'the frame arrived on a team port that passes nothing up (disabled, or a backup in activebackup)',
  // bridge
  BR_PORT_STATE: 'the bridge port is not forwarding (disabled, listening or blocking)',
  BR_LEARNING_STATE: 'the bridge port is in learning state: frames are learned, then dropped',
  BR_INVALID_SRC: 'the source MAC is not a valid unicast address, so the bridge drops it',
  BR_HAIRPIN_OFF: 'the FDB says the destination is behind the port the frame came in on, and hairpin is off',
  BR_NO_EGRESS: 'flooding found no port to send to (only the ingress port, without hairpin)',
  BR_LINK_LOCAL: '802.3 link-local frames (01:80:c2:00:00:0x) are not forwarded',
  BR_VLAN_FILTERED: 'VLAN filtering does not allow this VLAN on the port',
  BR_FLOOD_OFF: 'flooding is turned off on this port',
  BR_ISOLATED: 'the frame came in on an isolated port and would leave through another isolated port',
  BR_PORT_LOCKED: 'the port is locked and the source MAC has no FDB entry on it',
  // neighbours and IPv4
  NEIGH_FAILED: 'ARP got no answer, so packets queued for this neighbour are dropped',
  NEIGH_QUEUE_FULL: 'too many packets are queued waiting for ARP',
  NEIGH_DEAD: 'the neighbour entry was removed (device deleted, moved or flushed) while packets waited for ARP',
  NEIGH_CREATEFAIL: 'the ARP table is full (gc_thresh3) and no entry could be freed: neighbor table overflow',
  CPU_BACKLOG: 'the receive backlog is full (netdev_max_backlog), so the frame is dropped',
  NO_ROUTE: 'no route matches the destination',
  NOT_FORWARDING: 'the packet is not for this host and IP forwarding is off',
  TTL_EXCEEDED: 'the TTL ran out while forwarding',
  LO_DOWN: 'local traffic goes through lo, and lo is down',
  IP_HDR_ERROR: 'the IPv4 header is malformed',
  ARP_NOT_FOR_US: 'the ARP request asks for an address this host does not own (or arp_ignore forbids answering)',
  ARP_NOARP: 'the receiving device does not do ARP (NOARP)',
  ARP_MALFORMED: 'the ARP packet is malformed or not Ethernet/IPv4',
  ICMP_NO_SOCKET: 'no socket is waiting for this ICMP message',
  ICMP_IGNORED: 'echo requests are ignored by sysctl icmp_echo_ignore_*',
  RP_FILTER: 'reverse-path filtering rejected the source address',
  TAP_RING_FULL: 'the macvtap queue is full',
  QUEUE_PURGED: 'the frame was waiting in a queue of a device that was deleted',
  // Overlays (drivers/vxlan.ts, gre.ts, geneve.ts; ipv4/udp.ts)
  UDP_MALFORMED: 'the UDP header is truncated, its length is wrong or its checksum is bad',
  TUNNEL_BAD_HEADER: 'the tunnel header is malformed (VXLAN without the I flag, unknown GRE flags or version)',
  TUNNEL_NO_DEVICE: 'no tunnel device here has this VNI/key and these endpoints',
  TUNNEL_OWN_SRC_MAC: 'the decapsulated frame has the tunnel device\'s own MAC as source (a loop or multicast echo)',
  TUNNEL_NO_FDB: 'the VXLAN FDB has no entry for the destination MAC and no all-zeros default entry',
  TUNNEL_NO_ROUTE: 'the underlay has no route to the remote tunnel endpoint',
  TUNNEL_LOOP: 'the route to the remote tunnel endpoint goes back through the tunnel device itself',
} as const;

export type DropReason = keyof typeof DROP_REASONS;

/**
 * For drops a user can undo, the change that would flip the outcome. `{dev}`/`{port}`/`{ns}` are
 * filled from the event (the port is the trace detail's device where a driver names one).
 */
export const DROP_FIXES: Partial<Record<DropReason, string>> = {
  DEV_DOWN: 'ip link set {dev} up',
  NO_CARRIER: 'bring the other end up (the veth peer or the lower device) so {dev} gets carrier',
  LO_DOWN: 'ip link set lo up',
  NOT_FORWARDING: 'sysctl -w net.ipv4.ip_forward=1',
  BR_HAIRPIN_OFF: 'bridge link set dev {port} hairpin on',
  BR_NO_EGRESS: 'bridge link set dev {port} hairpin on',
  BR_PORT_STATE: 'wait for STP to put {port} in forwarding state, or turn STP off',
  BR_FLOOD_OFF: 'bridge link set dev {port} flood on',
  MACVLAN_PRIVATE_GROUP: 'use mode vepa or bridge for the sender (private mode keeps its group frames to itself)',
  MACVLAN_MODE_EXCLUDED: 'put both macvlans in bridge mode, or reflect frames with a hairpin switch port',
  MACVLAN_TO_OWN_LOWER: 'add a macvlan on the host and move the host\'s address to it',
  IPVLAN_PRIVATE: 'ip link set {dev} type ipvlan mode l2 bridge (private keeps slaves apart)',
  BOND_NO_SLAVE: 'bring a slave up with carrier (and wait for miimon to see it)',
  NEIGH_FAILED: 'check that the target exists on that link and answers ARP (or add a static neighbour)',
  NEIGH_CREATEFAIL: 'flush stale entries (ip neigh flush) or raise the limit: vnet run --limit neighbours=N',
  CPU_BACKLOG: 'a forwarding loop or flood; or raise the limit: vnet run --limit backlog=N',
  ICMP_IGNORED: 'sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0',
  ARP_NOT_FOR_US: 'the target address must be configured on this host',
};

export type Disposition =
  | 'received'       // a hop: the frame entered a device's receive path
  | 'transmitted'    // a hop: the frame was handed to a device's driver for sending
  | 'delivered'      // handed to a local protocol (ARP, IPv4 local, an ICMP socket)
  | 'forwarded'      // sent on towards one next device
  | 'flooded'        // copied to several devices
  | 'reflected'      // sent back out of the port it came in on (hairpin)
  | 'queued'         // held (ARP resolution, broadcast queue)
  | 'dropped';

export interface TraceEvent {
  time: number;
  netns: string;
  dev: string;
  dir: 'rx' | 'tx';
  /** The function that decided, named as in the kernel (e.g. macvlan_handle_frame). */
  where: string;
  disposition: Disposition;
  reason?: DropReason;
  /** Extra words for this case (which sibling, which mode, which port). */
  detail?: string;
  /** The frame, for summaries; the tracer must copy it if it keeps it. */
  frame?: Uint8Array;
  /** Identity of the original packet this frame descends from (clones keep it). */
  packetId: number;
}

export type Tracer = (ev: TraceEvent) => void;
