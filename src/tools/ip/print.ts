/**
 * iproute2's dual output: the same print calls produce either the text form or JSON (-j, -p),
 * with the streaming JSON writer's exact spacing and comma rules. Text goes into a buffer that
 * the tool flushes to stdout when it ends.
 */

export type PType = 'any' | 'fp' | 'json';
export type ColorAttr = 'ifname' | 'mac' | 'inet' | 'inet6' | 'up' | 'down';

/** The streaming JSON writer (one value per call, commas and pretty indentation as json_writer.c). */
class JsonWriter {
  depth = 0;
  sep = '';
  constructor(private readonly emit: (s: string) => void, readonly pretty: boolean) {}
  private indent(): void { for (let i = 0; i < this.depth; i++) this.emit('    '); }
  private eol(): void { if (!this.pretty) return; this.emit('\n'); this.indent(); }
  private eor(): void { if (this.sep) this.emit(this.sep); this.sep = ','; }
  private begin(c: string): void { this.eor(); this.emit(c); this.depth++; this.sep = ''; }
  private end(c: string): void { this.depth--; if (this.sep) this.eol(); this.emit(c); this.sep = ','; }
  name(n: string): void {
    this.eor(); this.eol(); this.sep = '';
    this.emit(quote(n)); this.emit(':');
    if (this.pretty) this.emit(' ');
  }
  raw(text: string): void { this.eor(); this.emit(text); }
  string(v: string): void { this.eor(); this.emit(quote(v)); }
  startObject(): void { this.begin('{'); }
  endObject(): void { this.end('}'); }
  startArray(): void { this.begin('['); if (this.pretty) this.emit(' '); }
  endArray(): void { if (this.pretty && this.sep) this.emit(' '); this.sep = ''; this.end(']'); }
}

function quote(s: string): string {
  let o = '"';
  for (const ch of s) {
    switch (ch) {
      case '\t': o += '\\t'; break;
      case '\n': o += '\\n'; break;
      case '\r': o += '\\r'; break;
      case '\f': o += '\\f'; break;
      case '\b': o += '\\b'; break;
      case '\\': o += '\\\\'; break;
      case '"': o += '\\"'; break;
      default: o += ch;
    }
  }
  return o + '"';
}

export class Printer {
  buf = '';
  jw: JsonWriter | null = null;
  /** _SL_: "\n", or "\\" in oneline mode. */
  sl = '\n';
  private arrayWrapped = false;
  /** `-c`: colour the fields iproute2 colours (enabled only outside JSON). */
  colorOn = false;
  darkBg = false;

  constructor(readonly json: boolean, readonly pretty: boolean) {}

  /** color_fprintf: wraps text in the palette's escape codes when colour is on. */
  col(attr: ColorAttr, text: string): string {
    if (!this.colorOn || this.jw) return text;
    const light: Record<ColorAttr, string> = { ifname: '\x1b[36m', mac: '\x1b[33m', inet: '\x1b[35m',
      inet6: '\x1b[34m', up: '\x1b[32m', down: '\x1b[31m' };
    const dark: Record<ColorAttr, string> = { ifname: '\x1b[1;36m', mac: '\x1b[1;33m', inet: '\x1b[1;35m',
      inet6: '\x1b[1;34m', up: '\x1b[1;32m', down: '\x1b[1;31m' };
    return (this.darkBg ? dark : light)[attr] + text + '\x1b[0m';
  }

  get isJson(): boolean { return this.jw !== null; }

  /** new_json_obj(json): starts the top-level array in JSON mode. */
  newJsonObj(plain = false): void {
    if (!this.json) return;
    this.jw = new JsonWriter((s) => { this.buf += s; }, this.pretty);
    this.arrayWrapped = !plain;
    if (!plain) this.jw.startArray();
  }

  deleteJsonObj(): void {
    if (!this.jw) return;
    if (this.arrayWrapped) this.jw.endArray();
    this.buf += '\n';
    this.jw = null;
  }

  private inCtx(t: PType): 'json' | 'fp' | null {
    if (this.jw) return t === 'fp' ? null : 'json';
    return t === 'json' ? null : 'fp';
  }

  /** Raw text in text mode only (fprintf(fp, …) or print_*(PRINT_FP)). */
  fp(text: string): void { if (!this.jw) this.buf += text; }

  /** print_nl */
  nl(): void { if (!this.jw) this.buf += this.sl; }

  string(t: PType, key: string | null, text: string, value: string): void {
    const c = this.inCtx(t);
    if (c === 'fp') this.buf += text;
    else if (c === 'json') {
      if (key !== null) this.jw!.name(key);
      this.jw!.string(value);
    }
  }

  /** Numbers (print_int/uint/u64/luint/hhu…): JSON writes the decimal value. */
  num(t: PType, key: string | null, text: string, value: number | bigint): void {
    const c = this.inCtx(t);
    if (c === 'fp') this.buf += text;
    else if (c === 'json') {
      if (key !== null) this.jw!.name(key);
      this.jw!.raw(String(value));
    }
  }

  bool(t: PType, key: string | null, text: string, value: boolean): void {
    const c = this.inCtx(t);
    if (c === 'fp') this.buf += text;
    else if (c === 'json') {
      if (key !== null) this.jw!.name(key);
      this.jw!.raw(value ? 'true' : 'false');
    }
  }

  /** print_on_off: text "on"/"off", JSON true/false. */
  onOff(t: PType, key: string, textFmt: (v: string) => string, value: boolean): void {
    this.bool(t, key, textFmt(value ? 'on' : 'off'), value);
  }

  null(t: PType, key: string | null, text: string): void {
    const c = this.inCtx(t);
    if (c === 'fp') this.buf += text;
    else if (c === 'json') {
      if (key !== null) this.jw!.name(key);
      this.jw!.raw('null');
    }
  }

  /** print_0xhex: JSON gets the "%#llx" string. */
  hex0x(t: PType, key: string, text: string, value: number): void {
    const c = this.inCtx(t);
    if (c === 'fp') this.buf += text;
    else if (c === 'json') { this.jw!.name(key); this.jw!.string(cHex0x(value)); }
  }

  /** A key with a raw JSON value (jsonw_name + jsonw_printf). */
  jsonRaw(key: string, raw: string): void {
    if (!this.jw) return;
    this.jw.name(key);
    this.jw.raw(raw);
  }

  openObject(key: string | null): void {
    if (!this.jw) return;
    if (key !== null) this.jw.name(key);
    this.jw.startObject();
  }
  closeObject(): void { if (this.jw) this.jw.endObject(); }

  /** open_json_array: JSON key, or the text delimiter in text mode. */
  openArray(t: PType, keyOrText: string | null): void {
    const c = this.inCtx(t);
    if (c === 'json') {
      if (keyOrText !== null) this.jw!.name(keyOrText);
      this.jw!.startArray();
    } else if (c === 'fp' && keyOrText !== null) this.buf += keyOrText;
  }
  closeArray(t: PType, text: string | null): void {
    const c = this.inCtx(t);
    if (c === 'json') this.jw!.endArray();
    else if (c === 'fp' && text !== null) this.buf += text;
  }

  take(): string { const s = this.buf; this.buf = ''; return s; }
}

/** C's "%#llx": "0" for zero, "0x…" otherwise. */
export function cHex0x(v: number): string { return v === 0 ? '0' : '0x' + v.toString(16); }
