/**
 * Internal. JSON held as text: the upstream sends `jsonResponse`, `jsonMetadata` and `jsonContent`
 * as JSON text inside strings, and the BFF serves them as JSON values. Instead of parsing each one
 * into objects and serialising those objects again, a text that `isJsonText` proves to be one
 * well-formed JSON value is kept as a `JsonText` and written into the response as it is
 * (`stringifyResponse`). Anything else that serialises a `JsonText` (`JSON.stringify`: the
 * response cache, graphql-ws, job stores) gets its parsed value through `toJSON`, so no consumer
 * can see the text where a value belongs. Code that needs the value reads `jsonValue(x)`.
 */
import { randomBytes } from 'node:crypto';

/** Deepest nesting `isJsonText` follows; deeper texts are parsed (the general path). */
export const JSON_TEXT_MAX_DEPTH = 128;

const UNPARSED: unique symbol = Symbol('unparsed');

/** Splicing state of the one `stringifyResponse` call running (JSON.stringify is synchronous). */
let splice: { texts: string[]; marker: string } | null = null;

/** A JSON value kept as its text, which `isJsonText` accepted. */
export class JsonText {
  private parsed: unknown = UNPARSED;
  constructor(readonly text: string) {}

  /** The value (parsed on first use, then kept). */
  get value(): unknown {
    if (this.parsed === UNPARSED) this.parsed = JSON.parse(this.text) as unknown;
    return this.parsed;
  }

  /** `JSON.stringify` hook: the value, or a splice marker inside `stringifyResponse`. */
  toJSON(): unknown {
    if (splice === null) return this.value;
    splice.texts.push(this.text);
    return splice.marker;
  }
}

/** The value of a field that may hold a `JsonText`; any other value as it is. */
export function jsonValue(value: unknown): unknown {
  return value instanceof JsonText ? value.value : value;
}

/**
 * Upstream JSON-string field → served value: '' and null → null; '{}' and '[]' → a new empty
 * object or array; a text `isJsonText` accepts → `JsonText`; other JSON that `JSON.parse` accepts
 * (nesting past `JSON_TEXT_MAX_DEPTH`, lone surrogates) → its parsed value; text that is not JSON
 * (e.g. a URL) → kept as a string.
 *
 * '{}' is the metadata of every asset created without any (the SDK sends it when none is given).
 * JSON.stringify writes an empty object faster than the splice writes its text (a `toJSON` call,
 * a marker, its search): measured on a 5,000-asset answer whose metadata are all '{}', 3.15 ms
 * instead of 4.89 ms; on a 100-asset page of 8 fields, 76 µs instead of 106 µs.
 */
export function jsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  if (value === '') return null;
  if (value === '{}') return {};
  if (value === '[]') return [];
  if (isJsonText(value)) return new JsonText(value);
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

// A random marker per process: no text from outside can hold it, because no one outside sees it.
const MARKER = `\u0000json-text:${randomBytes(12).toString('base64url')}`;
// How JSON.stringify writes the marker string (the NUL as \u0000), quotes included.
const MARKER_JSON = JSON.stringify(MARKER);
// What is searched for: the marker from its fourth character on, without the closing quote. Its
// last character is random, not the quote so common in JSON, so the search skips ahead far.
const NEEDLE_FROM = 3;
const NEEDLE = MARKER_JSON.slice(NEEDLE_FROM, -1);

/**
 * `JSON.stringify(value)`, except that every `JsonText` is written as its text; `undefined` where
 * JSON.stringify gives undefined. With `trim` 1, without its first and last characters (an
 * array's brackets).
 */
function stringifySpliced(value: unknown, trim: 0 | 1 = 0): string | undefined {
  const texts: string[] = [];
  splice = { texts, marker: MARKER };
  let json: string | undefined;
  try {
    json = JSON.stringify(value) as string | undefined;
  } finally {
    splice = null;
  }
  if (json === undefined) return json;
  if (texts.length === 0) return trim === 0 ? json : json.slice(1, -1);
  // Concatenated, not joined: the writer flattens the result once as it encodes it.
  let out = '';
  let from = trim;
  for (const text of texts) {
    // Markers appear in the order toJSON was called: depth-first, the order of the output.
    const at = json.indexOf(NEEDLE, from) - NEEDLE_FROM;
    if (at < from || !json.startsWith(MARKER_JSON, at)) throw new Error('stringifyResponse: a JSON text marker is missing from the output');
    out += json.slice(from, at);
    out += text;
    from = at + MARKER_JSON.length;
  }
  out += json.slice(from, json.length - trim);
  return out;
}

/**
 * `text` as UTF-8, encoded by the fastest of Node 20's encoders for it. A text whose UTF-8 length
 * equals its length is ASCII, whose UTF-8 bytes are its Latin-1 bytes: a plain copy. Otherwise
 * TextEncoder, several times faster than Buffer's own UTF-8 writer, which is also what the socket
 * uses for a string. Measured on a 105 KB ASCII answer: 204 µs (Buffer.from or the socket), 23 µs
 * here; on 1 MB, 3.66 ms against 0.55 ms with TextEncoder.
 */
export function utf8(text: string): Buffer {
  if (Buffer.byteLength(text) === text.length) return Buffer.from(text, 'latin1');
  const bytes = encoder.encode(text);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const encoder = new TextEncoder();

/** Size of the buffer answers are encoded in, and of the largest part of an answer, bytes. */
const SCRATCH_BYTES = 1024 * 1024;

/** The buffer answers are encoded in, reused from one answer to the next (serialisation is synchronous). */
let scratch: Buffer | null = null;

/**
 * UTF-8 bytes, encoded into a reused buffer of 1 MB and copied out at their exact size: once for
 * an answer of up to 1 MB, in parts of 1 MB beyond. Each answer's bytes are thus what it needs and
 * no more, as Node counts them (external memory drives V8's full collections), and the buffer it is
 * encoded in costs fresh memory once per process. Each text is encoded on its own (a slice of an
 * array at most), never the text of a whole answer: see `serializeResponse`.
 */
class Utf8Sink {
  private readonly parts: Buffer[] = [];
  private readonly buffer: Buffer;
  private length = 0;

  constructor() {
    // A serialisation started inside another (no caller does) gets a buffer of its own.
    this.buffer = scratch ?? Buffer.allocUnsafe(SCRATCH_BYTES);
    scratch = null;
  }

  add(text: string): void {
    // Flattens the text if it is made of parts; its UTF-8 length equals its length when it is ASCII.
    const size = Buffer.byteLength(text);
    if (this.length + size > this.buffer.length) {
      this.flush();
      if (size > this.buffer.length) {
        this.parts.push(utf8(text));
        return;
      }
    }
    if (size === text.length) this.length += this.buffer.write(text, this.length, 'latin1');
    else this.length += encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  /** The bytes written, in order; the buffer goes back for the next answer. */
  end(): Buffer[] {
    this.flush();
    scratch = this.buffer;
    return this.parts;
  }

  private flush(): void {
    if (this.length === 0) return;
    // Not Buffer.from(view), which zero-fills a new backing store before copying.
    const part = Buffer.allocUnsafe(this.length);
    this.buffer.copy(part, 0, 0, this.length);
    this.parts.push(part);
    this.length = 0;
  }
}

/** Longest array written by one JSON.stringify call; longer ones are written in slices of this length. */
const ARRAY_SLICE = 64;
/** Nesting down to which objects and arrays are walked here, in search of long arrays. */
const WALK_DEPTH = 8;

/** Whether JSON.stringify would write `value` as the members of an object, with no `toJSON`. */
function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** Whether `value` is written by `write` member by member (never left out, as JSON.stringify leaves out undefined). */
function walked(value: unknown, depth: number): value is object {
  if (typeof value !== 'object' || value === null || depth >= WALK_DEPTH) return false;
  if (Array.isArray(value)) return value.length > ARRAY_SLICE && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
  return isPlainObject(value);
}

/** Writes `value` as JSON.stringify would, JSON texts spliced; returns false when there is nothing to write (undefined). */
function write(value: unknown, sink: Utf8Sink, depth: number): boolean {
  if (!walked(value, depth)) {
    const json = stringifySpliced(value);
    if (json === undefined) return false;
    sink.add(json);
    return true;
  }
  if (Array.isArray(value)) {
    // Slices of the array, each written without its brackets.
    for (let i = 0; i < value.length; i += ARRAY_SLICE) {
      sink.add(i === 0 ? '[' : ',');
      sink.add(stringifySpliced(value.slice(i, i + ARRAY_SLICE), 1) as string);
    }
    sink.add(']');
    return true;
  }
  let first = true;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const member = object[key];
    const name = `${first ? '{' : ','}${JSON.stringify(key)}:`;
    if (walked(member, depth + 1)) {
      sink.add(name);
      write(member, sink, depth + 1);
    } else {
      const json = stringifySpliced(member);
      if (json === undefined) continue; // left out, as JSON.stringify leaves it out
      sink.add(name);
      sink.add(json);
    }
    first = false;
  }
  sink.add(first ? '{}' : '}');
  return true;
}

/**
 * The UTF-8 bytes of `JSON.stringify(value)` with every `JsonText` written as its text, and a
 * final newline (as Apollo Server's default). Used for every GraphQL response body.
 *
 * Written in pieces: objects are walked member by member and long arrays written by slices of
 * `ARRAY_SLICE` elements, each piece by JSON.stringify and encoded as it comes (`Utf8Sink`).
 * No text of the whole answer is built: a string past V8's regular object size (128 KB) is placed
 * in fresh memory, which on these machines costs about 4 ms per MB to fill, and JSON.stringify's
 * output for a large value is a string of parts, flattened (copied into one such string) before
 * it can be searched or encoded. Measured in the server on a 5,000-asset answer of 904 KB:
 * 4.2–7.1 ms from the answer to its bytes (six traced reads), against 16–20 ms for one
 * JSON.stringify and the splicing (10.0–12.3 ms), then the encoding of that text (5.8–8.5 ms);
 * scavenges that fall in it come on top, in both. Answers of 100 assets take as long as before
 * (the SDK's default selection, 100 KB: 0.25 ms).
 * (A `toJSON` met inside a sliced array is called with the index in its slice; `JsonText` and
 * `Date`, the ones an answer holds, ignore it.)
 */
export function serializeResponse(value: unknown): Buffer[] {
  const sink = new Utf8Sink();
  let written: boolean;
  try {
    written = write(value, sink, 0);
  } catch (error) {
    sink.end(); // the buffer goes back for the next answer
    throw error;
  }
  if (!written) {
    sink.end();
    throw new TypeError('serializeResponse: the value has no JSON text');
  }
  sink.add('\n');
  return sink.end();
}

/** `serializeResponse` as text (the response cache stores it). */
export function stringifyResponse(value: unknown): string {
  const parts = serializeResponse(value);
  return (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)).toString('utf8');
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);

/**
 * Scans a JSON string character by character, starting after its opening quote; returns the
 * index after the closing quote, or -1 when it is malformed or holds what must not be written out
 * as is (a control character, a lone surrogate).
 */
function scanStringByCharacter(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i++);
    if (c === 34) return i;
    if (c === 92) {
      const e = s.charCodeAt(i++);
      if (e === 117) {
        if (!(isHex(s.charCodeAt(i)) && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3)))) return -1;
        i += 4;
      } else if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) return -1;
    } else if (c < 32 || c !== c) {
      return -1; // a control character, or the end of the text (NaN)
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate pair is one character; a lone surrogate is not UTF-8 (parsed instead).
      if (c > 0xdbff) return -1;
      const low = s.charCodeAt(i);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return -1;
      i += 1;
    }
  }
}

/** A character after which a string cannot be taken up to its next quote as it is. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const SPECIAL = /[\\\u0000-\u001f\ud800-\udfff]/g;
/**
 * Where the next such character is in the text `isJsonText` is checking (its length when there is
 * none), valid from the last position it was searched from; -1 when not searched yet. Reset by
 * `isJsonText` for each text.
 */
let nextSpecial = -1;

/**
 * Scans a JSON string starting after its opening quote; returns the index after the closing
 * quote, or -1 (as `scanStringByCharacter`). A string with no backslash, control character or
 * surrogate before its closing quote, most of them, ends at that quote: both are found by the
 * engine's own searches (`indexOf` and one regular expression search per such character in the
 * text), about ten times faster than a loop over the characters in JavaScript. Any other string is
 * scanned character by character.
 */
function scanString(s: string, i: number): number {
  const quote = s.indexOf('"', i);
  if (quote < 0) return -1;
  if (nextSpecial < i) {
    SPECIAL.lastIndex = i;
    nextSpecial = SPECIAL.test(s) ? SPECIAL.lastIndex - 1 : s.length;
  }
  return quote < nextSpecial ? quote + 1 : scanStringByCharacter(s, i);
}

/** Scans an object member's key and colon (whitespace around them allowed) from `i`; returns the index after the colon, or -1. */
function scanKey(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (isSpace(c)) c = s.charCodeAt(++i);
  if (c !== 34) return -1;
  i = scanString(s, i + 1);
  if (i < 0) return -1;
  c = s.charCodeAt(i);
  while (isSpace(c)) c = s.charCodeAt(++i);
  return c === 58 ? i + 1 : -1;
}

/** Scans a JSON number starting at `i`; returns the index after it, or -1. */
function scanNumber(s: string, i: number): number {
  let c = s.charCodeAt(i);
  if (c === 45) c = s.charCodeAt(++i);
  if (c === 48) c = s.charCodeAt(++i);
  else if (c >= 49 && c <= 57) do c = s.charCodeAt(++i); while (isDigit(c));
  else return -1;
  if (c === 46) {
    c = s.charCodeAt(++i);
    if (!isDigit(c)) return -1;
    do c = s.charCodeAt(++i); while (isDigit(c));
  }
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    if (!isDigit(c)) return -1;
    do c = s.charCodeAt(++i); while (isDigit(c));
  }
  return i;
}

const OPEN = new Uint8Array(JSON_TEXT_MAX_DEPTH);

/**
 * Whether `s` is exactly one JSON value (RFC 8259, whitespace around it allowed) that can be
 * written into a JSON document as it is: every text it accepts, `JSON.parse` accepts too. It
 * refuses (so the caller parses instead) nesting deeper than `JSON_TEXT_MAX_DEPTH` and lone
 * surrogates. Iterative and allocation-free (one shared stack of `JSON_TEXT_MAX_DEPTH` bytes).
 */
export function isJsonText(s: string): boolean {
  const n = s.length;
  nextSpecial = -1;
  // Open containers (1 = object, 0 = array), in the one stack this synchronous function shares.
  const open = OPEN;
  let depth = 0;
  let i = 0;
  for (;;) {
    // A value is expected at i.
    let c = s.charCodeAt(i);
    while (isSpace(c)) c = s.charCodeAt(++i);
    if (c === 34) {
      i = scanString(s, i + 1);
      if (i < 0) return false;
    } else if (c === 123 || c === 91) {
      if (depth === JSON_TEXT_MAX_DEPTH) return false;
      const object = c === 123;
      c = s.charCodeAt(++i);
      while (isSpace(c)) c = s.charCodeAt(++i);
      if (c === (object ? 125 : 93)) {
        i += 1; // empty: a complete value
      } else {
        open[depth++] = object ? 1 : 0;
        // An object's first key and its colon; the value follows.
        if (object && (i = scanKey(s, i)) < 0) return false;
        continue;
      }
    } else if (c === 116) {
      if (s.charCodeAt(i + 1) !== 114 || s.charCodeAt(i + 2) !== 117 || s.charCodeAt(i + 3) !== 101) return false;
      i += 4;
    } else if (c === 102) {
      if (s.charCodeAt(i + 1) !== 97 || s.charCodeAt(i + 2) !== 108 || s.charCodeAt(i + 3) !== 115 || s.charCodeAt(i + 4) !== 101) return false;
      i += 5;
    } else if (c === 110) {
      if (s.charCodeAt(i + 1) !== 117 || s.charCodeAt(i + 2) !== 108 || s.charCodeAt(i + 3) !== 108) return false;
      i += 4;
    } else {
      i = scanNumber(s, i);
      if (i < 0) return false;
    }
    // A value ended at i: close containers, or find the next member.
    for (;;) {
      c = s.charCodeAt(i);
      while (isSpace(c)) c = s.charCodeAt(++i);
      if (depth === 0) return i === n;
      const object = open[depth - 1] === 1;
      if (c === (object ? 125 : 93)) {
        depth -= 1;
        i += 1;
        continue;
      }
      if (c !== 44) return false;
      i += 1;
      if (object && (i = scanKey(s, i)) < 0) return false;
      break;
    }
  }
}
