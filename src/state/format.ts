/**
 * The state file format. Line 1 is a header, the rest the body (pretty JSON, readable):
 *
 *   {"magic":"vnet-state","version":1,"sha256":"<hex of the body's UTF-8 bytes>"}
 *   { "options": …, "journal": […], "point": …, "digest": … }
 *
 * The checksum catches truncation and corruption before anything is parsed; a file from a newer
 * format version is refused by name rather than half-understood.
 */
import { sha256Hex } from './sha256.ts';
import type { Json } from './digest.ts';
import { DEFAULT_LIMITS } from '../core/limits.ts';
import { validKernelConfig } from '../core/kconfig.ts';

/** A JSON object of known limits with positive integer values. */
function validLimits(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, n]) => k in DEFAULT_LIMITS && Number.isSafeInteger(n) && (n as number) > 0);
}

export const STATE_MAGIC = 'vnet-state';
export const STATE_VERSION = 1;

/** One top-level input the session executed, in order. */
export type JournalEntry = (
  | { kind: 'world'; text: string }
  | { kind: 'script'; name: string; text: string }
  | { kind: 'line'; text: string }
  /** Limits changed from here on (`text`: JSON of the changed ones). */
  | { kind: 'limits'; text: string }
) & {
  /** A save made by a command inside this entry: the replay stops the lab at that process number. */
  cut?: number;
};

export interface StateOptions {
  seed: number;
  ipv6: boolean;
  backlogDelayNs?: number;
  maxFramesPerMs?: number;
  limits?: Record<string, number>;
  /** Kernel build options that differ from the default build (src/core/kconfig.ts). */
  kernelConfig?: Record<string, boolean>;
}

/** Where the saved state is: after the first `entries` journal entries (the last one may be cut). */
export interface StatePoint { entries: number }

export interface StateBody {
  options: StateOptions;
  journal: JournalEntry[];
  point: StatePoint;
  digest: { [k: string]: Json };
}

export function encodeState(body: StateBody): string {
  const text = JSON.stringify(body, null, 1) + '\n';
  return JSON.stringify({ magic: STATE_MAGIC, version: STATE_VERSION, sha256: sha256Hex(text) }) + '\n' + text;
}

export type Decoded = { ok: true; body: StateBody } | { ok: false; error: string };

/** Parses and checks a state file; `error` says what is wrong in words a user can act on. */
export function decodeState(text: string): Decoded {
  const nl = text.indexOf('\n');
  let header: unknown;
  try { header = JSON.parse(nl < 0 ? text : text.slice(0, nl)); } catch { header = null; }
  const h = header as { magic?: unknown; version?: unknown; sha256?: unknown } | null;
  if (!h || typeof h !== 'object' || h.magic !== STATE_MAGIC) return { ok: false, error: 'not a vnet state file' };
  if (typeof h.version !== 'number' || !Number.isInteger(h.version) || h.version < 1) {
    return { ok: false, error: h.version === undefined ? 'damaged: the header has no format version' : `unknown state format version ${JSON.stringify(h.version)}` };
  }
  if (h.version > STATE_VERSION) {
    return { ok: false, error: `written by a newer vnet (state format version ${h.version}; this vnet reads version ${STATE_VERSION})` };
  }
  if (nl < 0) return { ok: false, error: 'damaged: the file is truncated (no body)' };
  const bodyText = text.slice(nl + 1);
  if (typeof h.sha256 !== 'string' || sha256Hex(bodyText) !== h.sha256) {
    return { ok: false, error: 'damaged: checksum mismatch (the file is truncated or corrupted)' };
  }
  let body: unknown;
  try { body = JSON.parse(bodyText); } catch (e) { return { ok: false, error: `damaged: ${(e as Error).message}` }; }
  const why = checkBody(body);
  if (why) return { ok: false, error: `damaged: ${why}` };
  return { ok: true, body: body as StateBody };
}

/** Shape check (a file with a valid checksum can still have been written by hand). */
function checkBody(b: unknown): string | null {
  if (!b || typeof b !== 'object') return 'the body is not an object';
  const o = b as Record<string, unknown>;
  const opt = o['options'] as Record<string, unknown> | undefined;
  if (!opt || typeof opt['seed'] !== 'number' || typeof opt['ipv6'] !== 'boolean') return 'bad "options"';
  if (opt['limits'] !== undefined && !validLimits(opt['limits'])) return 'bad "options"';
  if (opt['kernelConfig'] !== undefined && !validKernelConfig(opt['kernelConfig'])) return 'bad "options"';
  if (!Array.isArray(o['journal'])) return 'bad "journal"';
  for (const e of o['journal'] as unknown[]) {
    const x = e as Record<string, unknown> | null;
    if (!x || typeof x['text'] !== 'string' || !['world', 'script', 'line', 'limits'].includes(x['kind'] as string)) return 'bad journal entry';
    if (x['kind'] === 'script' && typeof x['name'] !== 'string') return 'bad journal entry';
    if (x['kind'] === 'limits') {
      let l: unknown;
      try { l = JSON.parse(x['text'] as string); } catch { l = null; }
      if (!validLimits(l)) return 'bad limits in the journal';
    }
    if (x['cut'] !== undefined && (typeof x['cut'] !== 'number' || !Number.isInteger(x['cut']) || x['cut'] < 1)) return 'bad journal entry';
  }
  const p = o['point'] as Record<string, unknown> | undefined;
  if (!p || typeof p['entries'] !== 'number' || p['entries'] < 0 || p['entries'] > (o['journal'] as unknown[]).length) return 'bad "point"';
  if (!o['digest'] || typeof o['digest'] !== 'object') return 'bad "digest"';
  return null;
}
