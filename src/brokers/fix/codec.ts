/**
 * FIX tag=value messages: fields separated by SOH (0x01), BeginString(8) first, BodyLength(9)
 * second (the bytes from the field after it to the SOH before CheckSum), CheckSum(10) last (the
 * byte sum modulo 256, three digits). A message is its fields in order, so repeating groups keep
 * their order; `get` reads the first occurrence of a tag.
 */
export const SOH = '\x01';

export type FixField = readonly [tag: number, value: string];

export class FixMessage {
  constructor(readonly fields: FixField[]) {}

  get type(): string {
    return this.get(35) ?? '';
  }

  get seq(): number {
    return Number(this.get(34) ?? 0);
  }

  get(tag: number): string | undefined {
    for (const [t, v] of this.fields) if (t === tag) return v;
    return undefined;
  }

  all(tag: number): string[] {
    return this.fields.filter(([t]) => t === tag).map(([, v]) => v);
  }

  num(tag: number): number | undefined {
    const v = this.get(tag);
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }

  /** The entries of a repeating group: each starts at `first` (the group's first field) after the count tag. */
  groups(countTag: number, first: number): FixMessage[] {
    const start = this.fields.findIndex(([t]) => t === countTag);
    if (start < 0) return [];
    const out: FixField[][] = [];
    for (const field of this.fields.slice(start + 1)) {
      if (field[0] === first) out.push([]);
      else if (out.length === 0) break;
      out.at(-1)!.push(field);
    }
    return out.map((f) => new FixMessage(f));
  }

  /** The message with SOH shown as `|`, for logs and errors (passwords are removed by the caller). */
  toString(): string {
    return this.fields.map(([t, v]) => `${t}=${v}`).join('|');
  }
}

/** Encodes header + body fields, computing BodyLength(9) and CheckSum(10). `fields` exclude 8, 9 and 10. */
export function encodeFix(beginString: string, fields: readonly FixField[]): string {
  const body = fields.map(([t, v]) => `${t}=${v}${SOH}`).join('');
  const head = `8=${beginString}${SOH}9=${Buffer.byteLength(body, 'latin1')}${SOH}`;
  return `${head}${body}10=${checksum(head + body)}${SOH}`;
}

export function checksum(text: string): string {
  let sum = 0;
  const bytes = Buffer.from(text, 'latin1');
  for (const b of bytes) sum += b;
  return String(sum % 256).padStart(3, '0');
}

export class FixFramingError extends Error {}

/**
 * Splits a byte stream into messages: buffers partial input, checks BeginString, BodyLength and
 * CheckSum, and throws `FixFramingError` on a message that fails them (the caller disconnects:
 * a garbled stream cannot be resynchronised safely).
 */
export class FixParser {
  private buffer = '';

  constructor(private readonly beginString: string) {}

  push(chunk: Buffer | string): FixMessage[] {
    this.buffer += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const out: FixMessage[] = [];
    for (;;) {
      if (this.buffer.length === 0) break;
      const lengthEnd = this.buffer.indexOf(SOH, this.buffer.indexOf(SOH) + 1);
      if (lengthEnd < 0) break;
      const begin = `8=${this.beginString}${SOH}9=`;
      if (!this.buffer.startsWith(begin)) throw new FixFramingError(`a message does not start with 8=${this.beginString}|9=`);
      const length = Number(this.buffer.slice(begin.length, lengthEnd));
      if (!Number.isInteger(length) || length <= 0) throw new FixFramingError('BodyLength(9) is not a positive integer');
      const bodyEnd = lengthEnd + 1 + length;
      const end = bodyEnd + 7; // "10=nnn" + SOH
      if (this.buffer.length < end) break;
      const trailer = this.buffer.slice(bodyEnd, end);
      if (!/^10=\d{3}\x01$/.test(trailer)) throw new FixFramingError('BodyLength(9) does not end where CheckSum(10) starts');
      if (trailer.slice(3, 6) !== checksum(this.buffer.slice(0, bodyEnd))) throw new FixFramingError('CheckSum(10) does not match the message');
      const body = this.buffer.slice(lengthEnd + 1, bodyEnd);
      this.buffer = this.buffer.slice(end);
      out.push(new FixMessage(parseFields(body)));
    }
    return out;
  }
}

function parseFields(body: string): FixField[] {
  const fields: FixField[] = [];
  for (const part of body.split(SOH)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const tag = Number(part.slice(0, eq));
    if (eq <= 0 || !Number.isInteger(tag)) throw new FixFramingError(`"${part.slice(0, 20)}" is not a tag=value field`);
    fields.push([tag, part.slice(eq + 1)]);
  }
  return fields;
}

/** UTCTimestamp (yyyyMMdd-HH:mm:ss.SSS). */
export function fixTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 23)}`;
}

export function parseFixTimestamp(text: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/.exec(text ?? '');
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ? Math.round(Number(m[7]) * 1000) : 0);
}
