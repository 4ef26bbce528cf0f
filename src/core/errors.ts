/**
 * Errors raised by src/core. Each carries a stable `code` so adapters (extension, CLI) can decide
 * how to present it. Messages never contain secret values: they name formats, options and keys.
 */
export type KeysmithErrorCode =
  | 'unknown-format'
  | 'bad-option'
  | 'weak-size'
  | 'wordlist-missing'
  | 'unrepresentable'
  | 'bad-input';

export class KeysmithError extends Error {
  readonly code: KeysmithErrorCode;
  constructor(code: KeysmithErrorCode, message: string) {
    super(message);
    this.name = 'KeysmithError';
    this.code = code;
  }
}

export function isKeysmithError(e: unknown): e is KeysmithError {
  return e instanceof KeysmithError;
}
