// Types of scripts/package-vsix.mjs for the TypeScript tests.
export const VSIX_RUNTIME: readonly string[];
export const VSIX_DOCS: readonly string[];
export function vsixFiles(root?: string): string[];
export function vsixManifest(pkg: Record<string, unknown>, files: readonly string[]): Record<string, unknown>;
export function stage(root?: string, options?: { standIns?: boolean }): string;
export function vsceList(dir: string): string[];
