/**
 * The Linux bridge (net/bridge/). `installBridge(lab)` is module load: it registers the
 * "bridge" link kind and the netdevice notifier that keeps ports in step with their devices.
 */
import type { Lab } from '../../lab.ts';
import { registerKind } from '../../rtnl.ts';
import { bridgeKind } from './netlink.ts';
import { bridgeNetdevEvent, setBridgeConfig, type BridgeConfig } from './device.ts';

const installed = new WeakSet<Lab>();

export function installBridge(lab: Lab, opts: Partial<BridgeConfig> = {}): void {
  setBridgeConfig(lab, { vlanFiltering: opts.vlanFiltering ?? false });
  if (installed.has(lab)) return;
  installed.add(lab);
  registerKind(lab, bridgeKind);
  lab.notifiers.push(bridgeNetdevEvent);
}

export type { BridgeConfig } from './device.ts';
export { bridgeKind, bridgeSetLink, brFillInfo, brPortFillAttrs, brSetPort, fdbAddRequest, fdbDelRequest,
  fdbDumpAll, vlanDump, vlanRequest, brAddBridge, brDelBridge, type FdbDumpEntry, type VlanDumpEntry,
} from './netlink.ts';
export { brAddIf, brDelIf, brDevDelete, bridgeConfig, portCost } from './device.ts';
export {
  NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NTF_MASTER, NTF_SELF, NTF_STICKY, NTF_USE,
  NUD_NOARP, NUD_PERMANENT, NUD_REACHABLE, NUD_STALE, fdbFind, type FdbRequest,
} from './fdb.ts';
export {
  BR_STATE_BLOCKING, BR_STATE_DISABLED, BR_STATE_FORWARDING, BR_STATE_LEARNING, BR_STATE_LISTENING,
  STP_STATE_NAMES, bridgeOf, portOf, jiffiesToClockT, type BridgePort, type FdbEntry, type NetBridge,
} from './types.ts';
export { BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_UNTAGGED } from './vlan.ts';
