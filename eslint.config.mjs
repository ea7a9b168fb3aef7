// @ts-check
// Lint: typescript-eslint with type information (each file's own tsconfig.json, found by
// the project service: the root one for TypeScript, test/e2e/tsconfig.json for the e2e
// suite's JavaScript), plus naming rules. Formatting is prettier's job (.prettierrc.json),
// so no stylistic rules here.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.test-output/**', 'bench/out/**', 'server/src/core/generated/**', 'samples/**', 'test/fixtures/**'],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Node and VS Code globals come from the type information (tsc checks them), not from a list.
    files: ['**/*.{js,mjs,cjs}'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['test/e2e/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The typed protocol is declared vscode-eslint style: `namespace XRequest { type }`.
    files: ['server/src/shared/protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'describe', 'it', 'suite', 'before', 'after'], package: 'node:test' }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/naming-convention': [
        'error',
        // Values: camelCase; module-level constants may be UPPER_CASE; classes, types,
        // namespaces (TimelineRequest) and enum members PascalCase.
        { selector: 'default', format: ['camelCase'], leadingUnderscore: 'allow' },
        // PascalCase for a variable that holds a class (`const { LineIndex } = await import(...)`).
        { selector: 'variable', format: ['camelCase', 'UPPER_CASE', 'PascalCase'], leadingUnderscore: 'allow' },
        { selector: 'function', format: ['camelCase'] },
        { selector: 'parameter', format: ['camelCase'], leadingUnderscore: 'allow' },
        { selector: 'typeLike', format: ['PascalCase'] },
        { selector: 'enumMember', format: ['PascalCase', 'UPPER_CASE'] },
        { selector: 'classProperty', modifiers: ['static', 'readonly'], format: ['camelCase', 'UPPER_CASE'] },
        // Properties mirror data we do not name: AWS fields (ContactId), finding codes
        // ('json-syntax'), HTTP headers, settings keys.
        { selector: ['objectLiteralProperty', 'typeProperty', 'objectLiteralMethod'], format: null },
        { selector: 'import', format: null },
      ],
    },
  },
  {
    // esbuild.mjs and this file are in no TypeScript project: lint them without types (last,
    // so that it also turns off the typed rules configured above).
    files: ['*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
