/**
 * Monaco web workers for the offline GraphiQL (browser code, bundled by esbuild, not by tsc).
 *
 * GraphiQL 5 runs its editors on Monaco, which starts three web workers: the generic editor
 * worker, the JSON worker (variables, headers, response) and the GraphQL worker. The build
 * (`scripts/build-graphiql.mjs`) bundles each of them as its own file next to the app bundle
 * and injects their hashed file names as `__GRAPHIQL_WORKERS__`; here they are loaded from the
 * BFF itself, relative to this bundle's URL, so nothing is ever fetched from a CDN.
 * Imported first by `index.tsx`, before anything can start Monaco.
 */

interface WorkerFiles {
  editor: string;
  json: string;
  graphql: string;
}

declare const __GRAPHIQL_WORKERS__: WorkerFiles;

interface MonacoEnvironment {
  getWorker(workerId: string, label: string): Worker;
}

function workerFile(label: string): string {
  switch (label) {
    case 'json':
      return __GRAPHIQL_WORKERS__.json;
    case 'graphql':
      return __GRAPHIQL_WORKERS__.graphql;
    default:
      return __GRAPHIQL_WORKERS__.editor;
  }
}

const environment: MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(new URL(workerFile(label), import.meta.url), { name: label });
  },
};

(globalThis as unknown as { MonacoEnvironment: MonacoEnvironment }).MonacoEnvironment = environment;
