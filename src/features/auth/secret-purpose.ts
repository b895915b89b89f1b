/** Purposes for keyed hashes, so a token of one kind can never be replayed as another. */
export const secretPurpose = {
  authKey: 'auth-key',
  session: 'session',
  trustedBrowser: 'trusted-browser',
  binding: 'flow-binding',
  knownDevice: 'known-device',
} as const;
