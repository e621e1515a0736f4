/** `npm start`'s GraphiQL pre-fills the emulator's demo key only on a loopback address. */
import { describe, expect, it } from 'vitest';
import { demoGraphiql, isLoopbackHost } from '../../src/http/graphiql-demo.js';

describe('demo GraphiQL', () => {
  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true], ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false], ['::', false], ['192.168.1.10', false], ['example.com', false], ['127.example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('pre-fills the key on loopback, with no notice', () => {
    expect(demoGraphiql('127.0.0.1', 'demo-key', '{ q }')).toEqual({ graphiql: { defaultHeaders: { Authorization: 'X-API-Key: demo-key' }, defaultQuery: '{ q }' }, notice: null });
  });

  it('leaves the key out elsewhere and says so at start', () => {
    const demo = demoGraphiql('0.0.0.0', 'demo-key', '{ q }');
    expect(demo.graphiql).toEqual({ defaultQuery: '{ q }' });
    expect(demo.notice).toBe(
      'NOTE: HOST=0.0.0.0 is not a loopback address, so GraphiQL does not pre-fill the demo API key (anyone reaching this port could read it): paste it into the Headers tab yourself.',
    );
    expect(JSON.stringify(demo.graphiql)).not.toContain('demo-key');
  });
});
