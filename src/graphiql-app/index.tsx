/**
 * Offline GraphiQL app (browser code, bundled by esbuild into public/graphiql/, not by tsc).
 *
 * Reads its configuration from the page's `<script type="application/json" id="graphiql-config">`
 * block written by `src/http/graphiql.ts` (endpoint, pre-filled request headers, default query),
 * then renders GraphiQL 5 against the BFF with `@graphiql/toolkit`'s fetcher: queries and mutations
 * over HTTP, subscriptions (`bulkOperation`) over WebSocket (`graphql-ws`) on the same path, the
 * headers of the editor's Headers tab sent as `connectionParams`. Styles and fonts are bundled;
 * the Monaco workers are set up by `./workers.js`, imported first.
 *
 * GraphiQL introspects with `inputValueDeprecation: true`: the deprecated filter aliases
 * (`AssetWhere.consensusMarkGt`…) are then part of its schema, so the editor accepts them (with a
 * deprecation warning) and the docs explorer lists them under "Deprecated Fields".
 */
import './workers.js';
import 'graphiql/style.css';
import '@graphiql/react/font/roboto.css';
import '@graphiql/react/font/fira-code.css';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';

interface PageConfig {
  endpoint: string;
  headers: Record<string, string>;
  query: string;
}

function readConfig(): PageConfig {
  const element = document.getElementById('graphiql-config');
  const parsed: unknown = JSON.parse(element?.textContent ?? '{}');
  const raw = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<PageConfig>;
  return {
    endpoint: typeof raw.endpoint === 'string' ? raw.endpoint : '/graphql',
    headers: typeof raw.headers === 'object' && raw.headers !== null ? raw.headers : {},
    query: typeof raw.query === 'string' ? raw.query : '',
  };
}

const config = readConfig();
const endpoint = new URL(config.endpoint, window.location.href);
const subscriptionUrl = new URL(endpoint.href);
subscriptionUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: subscriptionUrl.href });
const headers = Object.keys(config.headers).length > 0 ? JSON.stringify(config.headers, null, 2) : '';
const container = document.getElementById('graphiql');
if (!container) throw new Error('GraphiQL: the page has no #graphiql element');

createRoot(container).render(
  <GraphiQL
    fetcher={fetcher}
    inputValueDeprecation
    defaultQuery={config.query}
    initialQuery={config.query || undefined}
    defaultHeaders={headers}
    initialHeaders={headers || undefined}
    defaultEditorToolsVisibility={headers ? 'headers' : undefined}
  />,
);
