/**
 * Internal. What `npm start` gives GraphiQL when it runs the embedded emulator: the demo API key
 * is pre-filled in the headers editor only when the BFF listens on a loopback address (only this
 * machine can load the page); on any other address the page is reachable by others, so the key is
 * left out and a notice at start says so.
 */
import { isIP } from 'node:net';

export interface DemoGraphiql {
  graphiql: { defaultHeaders?: Record<string, string>; defaultQuery?: string };
  /** A line for the start-up banner when the key is not pre-filled; null otherwise. */
  notice: string | null;
}

/** `localhost`, 127.0.0.0/8 and ::1 (an IPv4-mapped 127.x too). */
export function isLoopbackHost(host: string): boolean {
  const address = host.startsWith('::ffff:') ? host.slice(7) : host;
  if (address === 'localhost' || address === '::1') return true;
  return isIP(address) === 4 && address.startsWith('127.');
}

export function demoGraphiql(host: string, apiKey: string, defaultQuery?: string): DemoGraphiql {
  if (isLoopbackHost(host)) return { graphiql: { defaultHeaders: { Authorization: `X-API-Key: ${apiKey}` }, defaultQuery }, notice: null };
  return {
    graphiql: { defaultQuery },
    notice: `NOTE: HOST=${host} is not a loopback address, so GraphiQL does not pre-fill the demo API key (anyone reaching this port could read it): paste it into the Headers tab yourself.`,
  };
}
