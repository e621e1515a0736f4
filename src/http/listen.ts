/**
 * Listening on PORT/HOST (internal module). A socket that cannot be opened is a configuration
 * problem: the error becomes a one-line `TypeError` naming the setting, as `loadConfig` reports a bad
 * value, instead of a raw system error with its stack.
 */
import type { Server } from 'node:http';

/** The one-line message for a listen error, naming PORT or HOST; undefined for other errors. */
export function listenErrorMessage(error: NodeJS.ErrnoException, port: number, host: string): string | undefined {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Config PORT ${port} is already in use on ${host}: stop the other process or choose another PORT`;
    case 'EACCES':
      return `Config PORT ${port} cannot be opened on ${host} without more privileges: choose a PORT above 1023`;
    case 'EADDRNOTAVAIL':
      return `Config HOST ${JSON.stringify(host)} is not an address of this machine: use 0.0.0.0 (all interfaces), 127.0.0.1 or one of its addresses`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `Config HOST ${JSON.stringify(host)} does not resolve to an address (${error.code}): use 0.0.0.0 (all interfaces), 127.0.0.1 or one of this machine's addresses`;
    default:
      return undefined;
  }
}

/** Resolves once `server` listens; rejects with a `TypeError` naming PORT or HOST when it cannot. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const message = listenErrorMessage(error, port, host);
      reject(message ? new TypeError(message, { cause: error }) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
