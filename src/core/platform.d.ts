// The only platform APIs src/core may use: present in Node >= 19, browsers and web workers.
// Declared here (instead of pulling in the DOM or Node typings) so that core code that reaches
// for anything else fails to type-check.
declare global {
  interface Crypto {
    getRandomValues<T extends Uint8Array | Uint16Array | Uint32Array>(array: T): T;
  }
  var crypto: Crypto;
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
    decode(input?: Uint8Array, options?: { stream?: boolean }): string;
  }
  class TextEncoder {
    encode(input?: string): Uint8Array;
  }
}
export {};
