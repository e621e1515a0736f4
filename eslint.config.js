import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
        { patterns: [{ regex: '(^|/)emulator(/|$)', message: 'BFF code must not import the emulator (only src/main.ts starts it): DESIGN §2.' }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression[source.value=/(^|\\/)emulator(\\/|$)/]', message: 'BFF code must not import the emulator (only src/main.ts starts it): DESIGN §2.' },
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
  ...emulatorBoundary,
);
