import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * No node-redis: `@redis/client` (also loaded by `redis` and `@keyv/redis`) defines
 * `class VerbatimString extends String`, and once any object has String.prototype as its prototype,
 * V8 11.3 (Node 20) stops inlining String.prototype.charCodeAt in the whole process, making every
 * string-scanning loop (graphql-js's lexer, src/json-text.ts) 4–6× slower. Redis goes through
 * ioredis (src/cache/redis.ts). The emulator-boundary entries below repeat these restrictions: a
 * file matched by several entries gets the options of the last one that sets the rule.
 */
const NODE_REDIS_MESSAGE =
  'node-redis defines `class VerbatimString extends String`, which makes V8 (Node 20) stop inlining String.prototype.charCodeAt process-wide (string scanning 4–6× slower): use ioredis (src/cache/redis.ts).';
const nodeRedisImport = { regex: '^(redis|@redis/client|@keyv/redis)(/|$)', message: NODE_REDIS_MESSAGE };
const nodeRedisDynamicImport = { selector: 'ImportExpression[source.value=/^(redis|@redis\\/client|@keyv\\/redis)(\\/|$)/]', message: NODE_REDIS_MESSAGE };
const noNodeRedis = [
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [nodeRedisImport] }],
      'no-restricted-syntax': ['error', nodeRedisDynamicImport],
    },
  },
];

/**
 * The emulator boundary (DESIGN §2): the emulator never imports BFF code and the BFF never imports
 * the emulator; they share only the upstream schema's generated types. `src/main.ts` (`npm start`)
 * is the one BFF module that starts the embedded emulator.
 */
const emulatorBoundary = [
  {
    files: ['src/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Anything above src/emulator/ but the generated upstream types.
              regex: '^\\.\\./(?!__generated__/kili-upstream\\.js$)',
              message: 'The emulator must not import BFF code (only the upstream schema\'s generated types): DESIGN §2.',
            },
            nodeRedisImport,
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/emulator/**', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)emulator(/|$)', message: 'BFF code must not import the emulator (only src/main.ts starts it): DESIGN §2.' }, nodeRedisImport] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression[source.value=/(^|\\/)emulator(\\/|$)/]', message: 'BFF code must not import the emulator (only src/main.ts starts it): DESIGN §2.' },
        nodeRedisDynamicImport,
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/__generated__/**', 'src/resolvers/__generated__/**', 'bench/results/**', '.data/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...noNodeRedis,
  ...emulatorBoundary,
);
