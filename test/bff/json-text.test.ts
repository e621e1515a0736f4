/**
 * JSON kept as upstream text (src/json-text.ts): the checker accepts only what JSON.parse accepts,
 * the response writer splices the texts in place of their values, and every other serialiser
 * sees values.
 */
import { describe, expect, it } from 'vitest';
import { isJsonText, jsonField, jsonValue, JsonText, JSON_TEXT_MAX_DEPTH, serializeResponse, stringifyResponse } from '../../src/json-text.js';

/** A small deterministic PRNG (mulberry32), so every run checks the same texts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 20-digit number of the texts below, as JSON.parse reads it. */
const BIG = Number('12345678901234567890');

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 4 ? 5 : 7));
  const chars = 'aZ09 "\\/\b\f\n\r\t\u0001\u001f\u00e9\u20ac\ud83d\ude00{}[]:,';
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return [0, -0.5, 1e21, 123456789, -3.25e-7, 42][Math.floor(next() * 6)];
    case 3:
    case 4:
      return Array.from({ length: Math.floor(next() * 8) }, () => chars[Math.floor(next() * chars.length)]).join('');
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`k${i}${chars[Math.floor(next() * chars.length)]}`, randomValue(next, depth + 1)]));
  }
}

describe('isJsonText', () => {
  it('accepts every text JSON.stringify writes, compact or indented', () => {
    const next = prng(1);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next, 0);
      expect(isJsonText(JSON.stringify(value))).toBe(true);
      expect(isJsonText(JSON.stringify(value, null, 2))).toBe(true);
      expect(isJsonText(` \n\t${JSON.stringify(value)}\r\n `)).toBe(true);
    }
  });

  it.each([
    '', ' ', '{', '}', '[', ']', '{"a":}', '{"a" 1}', '{"a":1,}', '{,}', '{1:2}', "{'a':1}", '[1,]', '[,1]', '[1 2]', '{"a":1]', '[1}',
    '"abc', '"a\\x"', '"\\u12g4"', '"\\u12"', '"tab\there"', '"nl\nhere"', '01', '-', '1.', '.5', '+1', '1e', '1e+', '-01', '0x10',
    'NaN', 'Infinity', 'nul', 'tru', 'fals', 'True', 'null null', '{"a":1}x', '[] []', '\u00a0{}', '\ufeff{}', 'undefined',
  ])('refuses %j, which JSON.parse refuses too', (text) => {
    expect(parses(text)).toBe(false);
    expect(isJsonText(text)).toBe(false);
  });

  it('never accepts a text JSON.parse refuses, over 20,000 random edits of valid texts', () => {
    const next = prng(7);
    const alphabet = ' "\\{}[]:,0123456789-+.eEtrufalsn\n\u0000\u00e9\ud800';
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = JSON.stringify(randomValue(next, 0));
      const at = Math.floor(next() * (base.length + 1));
      const ch = alphabet[Math.floor(next() * alphabet.length)] ?? '';
      const edits = [base.slice(0, at) + base.slice(at + 1), base.slice(0, at) + ch + base.slice(at), base.slice(0, at) + ch + base.slice(at + 1)];
      for (const text of edits) {
        const ok = isJsonText(text);
        if (ok) accepted += 1;
        // Sound: what it accepts parses. Complete except for its documented refusals.
        if (ok) expect(parses(text)).toBe(true);
        else if (parses(text)) expect(/[\ud800-\udfff]/.test(text)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(10_000);
  });

  it(`refuses nesting deeper than ${JSON_TEXT_MAX_DEPTH} and lone surrogates (they are parsed instead)`, () => {
    expect(isJsonText('['.repeat(JSON_TEXT_MAX_DEPTH) + ']'.repeat(JSON_TEXT_MAX_DEPTH))).toBe(true);
    expect(isJsonText('['.repeat(JSON_TEXT_MAX_DEPTH + 1) + ']'.repeat(JSON_TEXT_MAX_DEPTH + 1))).toBe(false);
    expect(isJsonText('"\ud800"')).toBe(false);
    expect(isJsonText('"\udc00x"')).toBe(false);
    expect(isJsonText('"\ud83d\ude00"')).toBe(true);
    expect(isJsonText('"\\ud800"')).toBe(true); // an escape is plain ASCII text
  });
});

describe('jsonField', () => {
  it('keeps well-formed JSON as text, parses what only JSON.parse takes, and keeps other text as a string', () => {
    expect(jsonField('')).toBeNull();
    expect(jsonField(null)).toBeNull();
    expect(jsonField(undefined)).toBeNull();
    expect(jsonField('https://example.com/a.png')).toBe('https://example.com/a.png');
    expect(jsonField('{"a":')).toBe('{"a":');
    const kept = jsonField('{"a": [1, 2]}');
    expect(kept).toBeInstanceOf(JsonText);
    expect((kept as JsonText).text).toBe('{"a": [1, 2]}');
    expect(jsonValue(kept)).toEqual({ a: [1, 2] });
    const deep = '['.repeat(JSON_TEXT_MAX_DEPTH + 1) + ']'.repeat(JSON_TEXT_MAX_DEPTH + 1);
    expect(jsonField(deep)).toEqual(JSON.parse(deep));
    expect(jsonField('"\ud800"')).toBe('\ud800');
    expect(jsonValue(7)).toBe(7);
  });

  it('reads an empty object or array as a new value of its own, and other short texts as texts', () => {
    const a = jsonField('{}');
    const b = jsonField('{}');
    expect(a).toEqual({});
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(a).not.toBe(b);
    (a as Record<string, unknown>)['x'] = 1; // a caller may change its own value
    expect(b).toEqual({});
    expect(jsonField('[]')).toEqual([]);
    expect(Array.isArray(jsonField('[]'))).toBe(true);
    for (const text of ['{ }', '[ ]', ' {}', '0', '""', 'null']) expect(jsonField(text)).toBeInstanceOf(JsonText);
    expect(stringifyResponse({ data: { m: jsonField('{}'), l: [jsonField('[]'), jsonField('{ }')] } })).toBe('{"data":{"m":{},"l":[[],{ }]}}\n');
  });
});

describe('stringifyResponse', () => {
  it('writes each JSON text as it is, where its value belongs, in order, repeated ones included', () => {
    const a = new JsonText('{"n": 12345678901234567890, "s": "x\\u00e9"}');
    const b = new JsonText('[true,null]');
    const text = stringifyResponse({ data: { list: [a, b, a], one: b, plain: 'p' }, extensions: { x: 1 } });
    expect(text).toBe('{"data":{"list":[{"n": 12345678901234567890, "s": "x\\u00e9"},[true,null],{"n": 12345678901234567890, "s": "x\\u00e9"}],"one":[true,null],"plain":"p"},"extensions":{"x":1}}\n');
    expect(JSON.parse(text)).toEqual({ data: { list: [{ n: BIG, s: 'xé' }, [true, null], { n: BIG, s: 'xé' }], one: [true, null], plain: 'p' }, extensions: { x: 1 } });
  });

  it('equals JSON.stringify of the parsed values, after parsing, for random documents', () => {
    const next = prng(3);
    for (let i = 0; i < 500; i++) {
      const values = Array.from({ length: 5 }, () => randomValue(next, 0));
      const texts = values.map((v) => jsonField(JSON.stringify(v)));
      expect(JSON.parse(stringifyResponse({ data: { texts, values } }))).toEqual(JSON.parse(JSON.stringify({ data: { texts: values, values } })));
    }
  });

  it('leaves strings that look like its markers alone', () => {
    const lookalikes = ['\u0000json-text:', '\u0000json-text:abc', '\u0000'];
    const text = stringifyResponse({ data: { lookalikes, t: new JsonText('1') } });
    expect(JSON.parse(text)).toEqual({ data: { lookalikes, t: 1 } });
  });

  it('gives every other serialiser the value, not the text', () => {
    const t = new JsonText('{"a": 1}');
    expect(JSON.stringify({ t })).toBe('{"t":{"a":1}}');
    expect(stringifyResponse({ data: null })).toBe('{"data":null}\n');
    // A serialiser that runs after one that threw is not left splicing.
    expect(() => stringifyResponse({ bad: 1n })).toThrow(TypeError);
    expect(JSON.stringify([t])).toBe('[{"a":1}]');
  });
});

describe('serializeResponse', () => {
  /** A value with the shapes the writer treats apart: long arrays, nested objects, members JSON.stringify leaves out. */
  function answerLike(next: () => number, length: number): Record<string, unknown> {
    const asset = (i: number): Record<string, unknown> => ({
      id: `asset-${i}`,
      text: ['plain', 'é', '\u20ac €', '"quoted"\n', '\ud83d\ude00 pair'][i % 5],
      n: [0, -0.5, 1e21, 123456789][i % 4],
      missing: undefined,
      fn: () => i,
      when: new Date(Date.UTC(2026, 0, 1 + (i % 28))),
      labels: Array.from({ length: i % 3 }, (_, j) => ({ id: `l${i}-${j}`, value: randomValue(next, 2) })),
      nested: Object.assign(Object.create(null) as Record<string, unknown>, { deep: { deeper: [i, null, undefined, 'x'] } }),
    });
    return {
      data: {
        assets: Array.from({ length }, (_, i) => asset(i)),
        sparse: Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? undefined : i % 11 === 0 ? null : { i, list: Array.from({ length: i % 90 }, (_, j) => j) })),
        empty: [],
        emptyObject: {},
        onlyMissing: { a: undefined, b: undefined },
        symbol: Symbol('s'),
      },
      extensions: { warnings: Array.from({ length: 70 }, (_, i) => `w${i}`) },
    };
  }

  it('writes what JSON.stringify writes, byte for byte, for answers with long arrays, at every length around the slice size', () => {
    const next = prng(5);
    for (const length of [0, 1, 63, 64, 65, 127, 128, 129, 1000, 8000]) {
      const value = answerLike(next, length);
      const parts = serializeResponse(value);
      expect(Buffer.concat(parts).equals(Buffer.from(`${JSON.stringify(value)}\n`, 'utf8'))).toBe(true);
      // Each part holds whole characters: it decodes on its own.
      for (const part of parts) expect(Buffer.from(part.toString('utf8'), 'utf8').equals(part)).toBe(true);
      // Past 1 MB, in more than one buffer.
      // Past 1 MB (the 8,000-asset answer: 1.46 MB), in more than one buffer.
      expect(parts.length).toBe(length === 8000 ? 2 : 1);
      expect(stringifyResponse(value)).toBe(`${JSON.stringify(value)}\n`);
    }
  });

  it('splices JSON texts in long arrays and nested objects, where their values belong, in order', () => {
    const next = prng(6);
    const values = Array.from({ length: 300 }, () => randomValue(next, 0));
    const texts = values.map((v) => jsonField(JSON.stringify(v)));
    const value = { data: { list: texts.map((t, i) => ({ i, t, pair: [t, { t }] })), one: texts[0], deep: { a: { b: { c: texts.slice(0, 100) } } } } };
    const parsed = JSON.parse(stringifyResponse(value)) as unknown;
    expect(parsed).toEqual(JSON.parse(JSON.stringify({ data: { list: values.map((v, i) => ({ i, t: v, pair: [v, { t: v }] })), one: values[0], deep: { a: { b: { c: values.slice(0, 100) } } } } })));
    // The texts are written as they are, not re-serialised.
    const spaced = new JsonText('{ "a" : [1, 2.50] }');
    expect(stringifyResponse({ data: Array.from({ length: 100 }, () => spaced) })).toBe(`{"data":[${Array.from({ length: 100 }, () => spaced.text).join(',')}]}\n`);
  });

  it('writes objects nested deeper than it walks, and arrays with a toJSON, through JSON.stringify', () => {
    let deep: unknown = Array.from({ length: 100 }, (_, i) => i);
    for (let i = 0; i < 40; i++) deep = { [`level${i}`]: deep, other: [i] };
    const withToJson = Object.assign(Array.from({ length: 100 }, (_, i) => i), { toJSON: () => 'replaced' });
    const value = { data: { deep, withToJson } };
    expect(stringifyResponse(value)).toBe(`${JSON.stringify(value)}\n`);
  });

  it('refuses a value with no JSON text, and what JSON.stringify refuses', () => {
    expect(() => serializeResponse(undefined)).toThrow(TypeError);
    expect(() => serializeResponse({ data: Array.from({ length: 100 }, (_, i) => (i === 99 ? 1n : i)) })).toThrow(TypeError);
    // A serialiser that runs after one that threw is not left splicing, and the next answer is whole.
    expect(JSON.stringify([new JsonText('[1]')])).toBe('[[1]]');
    expect(stringifyResponse({ data: Array.from({ length: 100 }, (_, i) => i) })).toBe(`${JSON.stringify({ data: Array.from({ length: 100 }, (_, i) => i) })}\n`);
  });

  it('gives each answer bytes of its own', () => {
    const first = serializeResponse({ data: { a: 'x'.repeat(1000) } });
    const second = serializeResponse({ data: { b: 'y'.repeat(10) } });
    expect(Buffer.concat(first).toString('utf8')).toBe(`{"data":{"a":"${'x'.repeat(1000)}"}}\n`);
    expect(Buffer.concat(second).toString('utf8')).toBe('{"data":{"b":"yyyyyyyyyy"}}\n');
  });
});

