/**
 * The HTTP layer's UTF-8 encoder (src/http/apollo-express.ts `utf8`): the same bytes as Node's
 * own encoder for every kind of text, whichever path it takes.
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/json-text.js';

describe('utf8', () => {
  const texts: [string, string][] = [
    ['empty', ''],
    ['ASCII', '{"data":{"assets":[{"id":"a","content":"https://example.com/x?y=1"}]}}\n'],
    ['Latin-1 (one-byte in V8, two bytes in UTF-8)', '{"name":"Éléonore à l\'été","n":"ÿ"}'],
    ['BMP beyond Latin-1', '{"t":"日本語のテキスト","c":"€"}'],
    ['astral (surrogate pairs)', '{"e":"😀👍🏽","m":"𝄞"}'],
    ['lone surrogates', 'a\ud800b\udc00c\ud83d'],
    ['control characters and NUL', '\u0000\u0001\u001f\u007f\u0080'],
  ];
  for (const [name, text] of texts) {
    it(`encodes ${name} as Buffer.from(text, 'utf8') does`, () => {
      const bytes = utf8(text);
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect(bytes.length).toBe(Buffer.byteLength(text));
    });
  }

  it('encodes long texts, one-byte and two-byte, as Node does', () => {
    const ascii = JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ id: `asset-${i}`, v: i })));
    const mixed = `${ascii.slice(0, 50_000)}é${ascii.slice(50_000)}😀`;
    expect(utf8(ascii).equals(Buffer.from(ascii))).toBe(true);
    expect(utf8(mixed).equals(Buffer.from(mixed))).toBe(true);
  });
});
