// ESLint flat config: typescript-eslint's recommended rules (syntax only, no type information: fast) for the
// TypeScript and JavaScript sources. Run `npm run lint`. Formatting is prettier's job (`npm run format`).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { ignoredPaths } from './scripts/ignored.mjs'

export default tseslint.config(
  // what .prettierignore skips (generated or deliberately malformed files)
  { ignores: ignoredPaths },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // ssh2's ed25519 generator writes a public key OpenSSH refuses about once in 256 keys: keys come from
    // test/helpers/sshd.ts's ed25519Pair, which draws such keys again
    files: ['**/*.ts'],
    ignores: ['test/helpers/sshd.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='generateKeyPairSync'][object.property.name='utils']",
          message:
            "ssh2's generateKeyPairSync can write a key OpenSSH refuses: use ed25519Pair from test/helpers/sshd.ts",
        },
      ],
    },
  },
)
