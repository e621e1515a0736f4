/**
 * Emulator internals: imported first by the CLI (src/emulator/main.ts), before graphql-js loads.
 * graphql-js reads NODE_ENV once, at load time; outside production it runs a cross-realm check on
 * every failed `instanceof`, which weighs on variable coercion (100 `AssetWhere` + 100 `AssetData`
 * per `updatePropertiesInAssets` batch: ~20% of that call's cost). An explicit NODE_ENV is kept.
 */
process.env.NODE_ENV ??= 'production';
