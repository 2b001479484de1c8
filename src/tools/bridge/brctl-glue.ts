/** What brctl's sysfs writes do: one bridge attribute through br_changelink. */
import type { NlResult } from '../../core/errno.ts';
import type { KindData } from '../../core/rtnl.ts';
import { bridgeKind, type NetBridge } from '../../core/drivers/bridge/index.ts';

export function brChangeLinkForTools(br: NetBridge, data: KindData): NlResult {
  return bridgeKind.changeLink!(br.dev, data);
}
