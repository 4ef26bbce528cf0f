/** Every command Keysmith contributes; package.json must list exactly these (checked by a test). */
export const CommandId = {
  generateSecret: 'keysmith.generateSecret',
  generateSecretLastFormat: 'keysmith.generateSecretLastFormat',
  copySecret: 'keysmith.copySecret',
  addSecretToEnv: 'keysmith.addSecretToEnv',
  populateEmptyKeys: 'keysmith.populateEmptyKeys',
  syncExample: 'keysmith.syncExample',
  addToGitignore: 'keysmith.addToGitignore',
  untrackFile: 'keysmith.untrackFile',
  regenerateValue: 'keysmith.regenerateValue',
  rotateSecret: 'keysmith.rotateSecret',
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];

/** The commands served by the .env tools (loaded on first need). */
export const ENV_COMMANDS = [
  CommandId.addSecretToEnv,
  CommandId.populateEmptyKeys,
  CommandId.addToGitignore,
  CommandId.untrackFile,
  CommandId.regenerateValue,
  CommandId.syncExample,
  CommandId.rotateSecret,
] as const;
export type EnvCommandId = (typeof ENV_COMMANDS)[number];
