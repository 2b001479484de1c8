/**
 * IEEE "slow protocols" (ethertype 0x8809) as tcpdump 4.99 prints them: LACP and Marker
 * (802.3ad, what an 802.3ad bond sends) and 802.3ah OAM. One line without -v; with -v the TLVs,
 * with -vv each TLV's value in hex as well.
 */
import { bittok2str, Ctx, hex2, printUnknownData, tok2str } from './ctx.ts';
import { etherName, ouiName } from './names.ts';

const LACP = 1, MARKER = 2, OAM = 3;

const protoValues: ReadonlyMap<number, string> = new Map([[LACP, 'LACP'], [MARKER, 'MARKER'], [OAM, 'OAM']]);

/** TLV names by (subtype << 8) + type: the same type code means different things in LACP and Marker. */
const tlvValues: ReadonlyMap<number, string> = new Map([
  [(LACP << 8) + 0, 'Terminator'], [(LACP << 8) + 1, 'Actor Information'],
  [(LACP << 8) + 2, 'Partner Information'], [(LACP << 8) + 3, 'Collector Information'],
  [(MARKER << 8) + 0, 'Terminator'], [(MARKER << 8) + 1, 'Marker Information'],
]);

const lacpStateValues: [number, string][] = [
  [0x01, 'Activity'], [0x02, 'Timeout'], [0x04, 'Aggregation'], [0x08, 'Synchronization'],
  [0x10, 'Collecting'], [0x20, 'Distributing'], [0x40, 'Default'], [0x80, 'Expired'],
];

const oamFlagValues: [number, string][] = [
  [0x0001, 'Link Fault'], [0x0002, 'Dying Gasp'], [0x0004, 'Critical Event'], [0x0008, 'Local Evaluating'],
  [0x0010, 'Local Stable'], [0x0020, 'Remote Evaluating'], [0x0040, 'Remote Stable'],
];
const oamCodeValues: ReadonlyMap<number, string> = new Map([
  [0x00, 'Information'], [0x01, 'Event Notification'], [0x02, 'Variable Request'],
  [0x03, 'Variable Response'], [0x04, 'Loopback Control'], [0xfe, 'Vendor Private'],
]);
const oamInfoTypeValues: ReadonlyMap<number, string> = new Map([
  [0x00, 'End of TLV marker'], [0x01, 'Local'], [0x02, 'Remote'], [0xfe, 'Organization specific'],
]);
const oamParserValues: ReadonlyMap<number, string> = new Map([
  [0, 'forwarding'], [1, 'looping back'], [2, 'discarding'], [3, 'reserved'],
]);
const oamMuxValues: ReadonlyMap<number, string> = new Map([[0, 'forwarding'], [4, 'discarding']]);
const oamConfigValues: [number, string][] = [
  [0x01, 'Active'], [0x02, 'Unidirectional'], [0x04, 'Remote-Loopback'], [0x08, 'Link-Events'], [0x10, 'Variable-Retrieval'],
];
const oamLinkEventValues: ReadonlyMap<number, string> = new Map([
  [0x00, 'End of TLV marker'], [0x01, 'Errored Symbol Period Event'], [0x02, 'Errored Frame Event'],
  [0x03, 'Errored Frame Period Event'], [0x04, 'Errored Frame Seconds Summary Event'], [0xfe, 'Organization specific'],
]);
const oamLoopbackCmdValues: ReadonlyMap<number, string> = new Map([
  [0x01, 'Enable OAM Remote Loopback'], [0x02, 'Disable OAM Remote Loopback'],
]);

/** Sizes of the fixed TLV bodies (tcpdump checks lengths against its struct sizes). */
const LACP_ACTOR_PARTNER_LEN = 18, LACP_COLLECTOR_LEN = 14, MARKER_INFO_LEN = 14;
const OAM_INFO_LEN = 16, OAM_LINK_EVENT_LEN = 40;

/** Thrown to reach the printers' "packet is too short" exit. */
const TOO_SHORT = Symbol('tooshort');

function sysMac(ctx: Ctx, at: number): string {
  return etherName(ctx.etheraddr(at), ctx.f.n);
}

function u64(ctx: Ctx, at: number): string {
  return ((BigInt(ctx.u32(at)) << 32n) | BigInt(ctx.u32(at + 4))).toString();
}

const hex6 = (v: number) => v.toString(16).padStart(6, '0');
const hex8 = (v: number) => v.toString(16).padStart(8, '0');

/** slow_print(): `length` is everything after the ethertype, Ethernet padding included. */
export function slowPrint(ctx: Ctx, p: number, length: number): void {
  ctx.protocol = 'slow';
  if (length < 1) return slowTooShort(ctx);
  const subtype = ctx.u8(p);
  let printVersion: number;
  if (subtype === LACP || subtype === MARKER) {
    if (length < 2) return slowTooShort(ctx);
    const version = ctx.u8(p + 1);
    if (version !== 1) {
      ctx.p(`${subtype === LACP ? 'LACP' : 'MARKER'} version ${version} packet not supported`);
      return;
    }
    printVersion = 1;
  } else printVersion = subtype === OAM ? 0 : -1;

  const name = tok2str(protoValues, 'unknown (%u)', subtype);
  ctx.p(printVersion === 1 ? `${name}v${ctx.u8(p + 1)}, length ${length}` : `${name}, length ${length}`);
  if (printVersion === -1) {
    printUnknownData(ctx, p, '\n\t', length);
    return;
  }
  if (!ctx.f.v) return;
  try {
    if (subtype === OAM) oamPrint(ctx, p + 1, length - 1);
    else markerLacpPrint(ctx, p + 2, length - 2, subtype);
  } catch (e) {
    if (e !== TOO_SHORT) throw e;
    ctx.p('\n\t\t packet is too short');
  }
}

function slowTooShort(ctx: Ctx): void {
  ctx.p(ctx.f.v ? '\n\t\t packet is too short' : ' (packet is too short)');
}

/** slow_marker_lacp_print(): the TLV list after subtype and version. */
function markerLacpPrint(ctx: Ctx, p: number, tlen: number, subtype: number): void {
  while (tlen > 0) {
    if (tlen < 2) throw TOO_SHORT;
    const type = ctx.u8(p), len = ctx.u8(p + 1);
    ctx.p(`\n\t${tok2str(tlvValues, 'Unknown', (subtype << 8) + type)} TLV (0x${hex2(type)}), length ${len}`);
    if (type === 0) return; // the terminator ends the list, whatever its length says
    if (len < 2) {
      ctx.p('\n\t    ERROR: illegal length - should be >= 2');
      return;
    }
    if (tlen < len) throw TOO_SHORT;
    ctx.check(p, len);
    const v = p + 2, vlen = len - 2;
    const key = (subtype << 8) + type;
    if (key === (LACP << 8) + 1 || key === (LACP << 8) + 2) {
      if (vlen !== LACP_ACTOR_PARTNER_LEN) ctx.p(`\n\t    ERROR: illegal length - should be ${2 + LACP_ACTOR_PARTNER_LEN}`);
      else {
        ctx.p(`\n\t  System ${sysMac(ctx, v + 2)}, System Priority ${ctx.u16(v)}, Key ${ctx.u16(v + 8)}, Port ${ctx.u16(v + 12)}, Port Priority ${ctx.u16(v + 10)}`);
        ctx.p(`\n\t  State Flags [${bittok2str(lacpStateValues, 'none', ctx.u8(v + 14))}]`);
      }
    } else if (key === (LACP << 8) + 3) {
      if (vlen !== LACP_COLLECTOR_LEN) ctx.p(`\n\t    ERROR: illegal length - should be ${2 + LACP_COLLECTOR_LEN}`);
      else ctx.p(`\n\t  Max Delay ${ctx.u16(v)}`);
    } else if (key === (MARKER << 8) + 1) {
      if (vlen !== MARKER_INFO_LEN) ctx.p(`\n\t    ERROR: illegal length - should be ${2 + MARKER_INFO_LEN}`);
      else {
        ctx.p(`\n\t  Request System ${sysMac(ctx, v + 2)}, Request Port ${ctx.u16(v)}, Request Transaction ID 0x${hex8(ctx.u32(v + 8))}`);
      }
    } else if (ctx.f.v <= 1) printUnknownData(ctx, v, '\n\t  ', vlen);
    if (ctx.f.v > 1) printUnknownData(ctx, v, '\n\t  ', vlen);
    p += len;
    tlen -= len;
  }
}

/** slow_oam_print(): flags, code and the code's TLVs (after the subtype). */
function oamPrint(ctx: Ctx, p: number, tlen: number): void {
  if (tlen < 3) throw TOO_SHORT;
  ctx.check(p, 3);
  const code = ctx.u8(p + 2);
  ctx.p(`\n\tCode ${tok2str(oamCodeValues, 'Unknown (%u)', code)} OAM PDU, Flags [${bittok2str(oamFlagValues, 'none', ctx.u16(p))}]`);
  p += 3;
  tlen -= 3;
  switch (code) {
    case 0x00: // Information
      while (tlen > 0) {
        if (tlen < 2) throw TOO_SHORT;
        ctx.check(p, 2);
        const type = ctx.u8(p), len = ctx.u8(p + 1);
        ctx.p(`\n\t  ${tok2str(oamInfoTypeValues, 'Reserved', type)} Information Type (${type}), length ${len}`);
        if (type === 0) return;
        if (len < 2) {
          ctx.p('\n\t    ERROR: illegal length - should be >= 2');
          return;
        }
        if (tlen < len) throw TOO_SHORT;
        ctx.check(p, len);
        let hexdump = true;
        if (type === 0x01 || type === 0x02) {
          if (len !== OAM_INFO_LEN) ctx.p(`\n\t    ERROR: illegal length - should be ${OAM_INFO_LEN}`);
          else {
            hexdump = false;
            const state = ctx.u8(p + 5), oui = ctx.u24(p + 9);
            ctx.p(`\n\t    OAM-Version ${ctx.u8(p + 2)}, Revision ${ctx.u16(p + 3)}`);
            ctx.p(`\n\t    State-Parser-Action ${tok2str(oamParserValues, 'Reserved', state & 3)}, State-MUX-Action ${tok2str(oamMuxValues, 'Reserved', state & 4)}`);
            ctx.p(`\n\t    OAM-Config Flags [${bittok2str(oamConfigValues, 'none', ctx.u8(p + 6))}], OAM-PDU-Config max-PDU size ${ctx.u16(p + 7) & 0x7ff}`);
            ctx.p(`\n\t    OUI ${ouiName(oui)} (0x${hex6(oui)}), Vendor-Private 0x${hex8(ctx.u32(p + 12))}`);
          }
        }
        if (ctx.f.v > 1 || hexdump) printUnknownData(ctx, p, '\n\t  ', len);
        tlen -= len;
        p += len;
      }
      break;
    case 0x01: // Event Notification
      if (tlen < 2) throw TOO_SHORT;
      ctx.p(`\n\t  Sequence Number ${ctx.u16(p)}`);
      tlen -= 2;
      p += 2;
      while (tlen > 0) {
        if (tlen < 2) throw TOO_SHORT;
        const type = ctx.u8(p), len = ctx.u8(p + 1);
        ctx.p(`\n\t  ${tok2str(oamLinkEventValues, 'Reserved', type)} Link Event Type (${type}), length ${len}`);
        if (type === 0) return;
        if (len < 2) {
          ctx.p('\n\t    ERROR: illegal length - should be >= 2');
          return;
        }
        if (tlen < len) throw TOO_SHORT;
        ctx.check(p, len);
        let hexdump = true;
        if (type >= 0x01 && type <= 0x04) {
          if (len !== OAM_LINK_EVENT_LEN) ctx.p(`\n\t    ERROR: illegal length - should be ${OAM_LINK_EVENT_LEN}`);
          else {
            hexdump = false;
            ctx.p(`\n\t    Timestamp ${ctx.u16(p + 2) * 100} ms, Errored Window ${u64(ctx, p + 4)}`);
            ctx.p(`\n\t    Errored Threshold ${u64(ctx, p + 12)}`);
            ctx.p(`\n\t    Errors ${u64(ctx, p + 20)}`);
            ctx.p(`\n\t    Error Running Total ${u64(ctx, p + 28)}`);
            ctx.p(`\n\t    Event Running Total ${ctx.u32(p + 36)}`);
          }
        }
        if (ctx.f.v > 1 || hexdump) printUnknownData(ctx, p, '\n\t  ', len);
        tlen -= len;
        p += len;
      }
      break;
    case 0x04: { // Loopback Control
      if (tlen < 1) throw TOO_SHORT;
      const cmd = ctx.u8(p);
      ctx.p(`\n\t  Command ${tok2str(oamLoopbackCmdValues, 'Unknown', cmd)} (${cmd})`);
      break;
    }
    default: // Variable Request/Response, Vendor Private and unknown codes: no decoder in tcpdump
      if (ctx.f.v <= 1) printUnknownData(ctx, p, '\n\t  ', tlen);
  }
}
