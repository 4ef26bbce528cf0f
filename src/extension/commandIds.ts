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
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];
