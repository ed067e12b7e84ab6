// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

/** Import boundaries (STYLE.md rule 1): core imports nothing of ours; modules meet at index.ts. */
const boundaries = [
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@vigil/*', '@vigil/*/*'], message: 'core imports nothing of ours' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@vigil/server', '@vigil/server/*', '@vigil/cli', '@vigil/cli/*'],
              message: 'the sdk depends on core only',
            },
            { group: ['@vigil/core/*'], message: 'use the package surface' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/*/**/*.ts'],
    ignores: ['packages/server/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // another module's files: only its index.ts is public
              regex: '^\\.\\./(?!index\\.js$)[^./][^/]*/(?!index\\.js$).+',
              message: 'import another module through its index.ts, not its files',
            },
            { group: ['@vigil/*/src/*'], message: 'use the package surface, not its src/' },
            {
              group: ['@vigil/cli', '@vigil/sdk'],
              message: 'the server does not depend on the cli or sdk',
            },
          ],
        },
      ],
    },
  },
]

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'packages/web/**', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'max-params': ['error', 3],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      eqeqeq: 'error',
      'import-x/no-cycle': 'error',
      'no-console': 'error',
    },
  },
  ...boundaries,
  {
    files: ['**/*.test.ts', 'bench/**', 'packages/core/src/testing/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'max-lines': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['packages/cli/**', 'bench/**', 'packages/server/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
      },
    },
  },
)
