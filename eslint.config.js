// Layering is enforced here, not in prose (STYLE §2). `npm test` runs this, and
// test/lint-layering.test.ts proves that each forbidden import really fails.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'examples/**', 'coverage/**', '**/*.d.ts', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'shared/ runs everywhere (main, server, renderer): no Node built-ins.' })),
        patterns: [{
          group: ['electron', 'react', 'react-dom', 'better-sqlite3', 'better-sqlite3-napi', 'parquet-wasm', 'ws', 'cytoscape', '**/src-main/**', '**/src-renderer/**'],
          message: 'shared/ runs everywhere (main, server, renderer): it imports nothing from Node, DOM, React or Electron.',
        }],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'src-main must run under plain Node; put Electron code in src-main/electron/.' }],
        patterns: [{ group: ['**/src-renderer/**'], message: 'The core never imports the renderer; share code through shared/.' }],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser sandbox: no Node built-ins.' })),
        patterns: [{
          group: ['electron', 'better-sqlite3', 'better-sqlite3-napi', 'ws', 'parquet-wasm', '**/src-main/**'],
          message: 'The renderer talks to main only through the shared/ contract.',
        }],
      }],
    },
  },
);
