import type { SafeStorage } from 'electron';
import { existsSync } from 'node:fs';
import { FileCredentialStore, type CredentialStore } from '../sync/credentials.js';

/** The part of Electron's safeStorage the store uses (a stub in tests). */
export type KeychainCipher = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>;

/**
 * The till's head-office credential encrypted with the OS keychain (Electron's safeStorage: DPAPI
 * on Windows, the Keychain on macOS, libsecret/kwallet on Linux) in `<path>.enc`, written
 * atomically like the plain file. A copy of the data folder alone then cannot push as this till.
 * A credential left in the plain file (browser mode before) moves into the encrypted one on first
 * read. A credential the keychain can no longer open (the OS user or keyring changed) reads as
 * none: the till asks to be enrolled again, and sells on meanwhile.
 */
export class KeychainCredentialStore implements CredentialStore {
  private readonly sealed: FileCredentialStore;
  private readonly plain: FileCredentialStore;

  constructor(
    private readonly cipher: KeychainCipher,
    private readonly path: string,
  ) {
    this.sealed = new FileCredentialStore(`${path}.enc`);
    this.plain = new FileCredentialStore(path);
  }

  read(): string | null {
    const sealed = this.sealed.read();
    if (sealed !== null) {
      try {
        return this.cipher.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        return null;
      }
    }
    const legacy = this.plain.read();
    if (legacy !== null) {
      this.write(legacy);
      return legacy;
    }
    return null;
  }

  write(credential: string): void {
    this.sealed.write(this.cipher.encryptString(credential).toString('base64'));
    if (existsSync(this.path)) this.plain.clear();
  }

  clear(): void {
    this.sealed.clear();
    this.plain.clear();
  }
}

/** The keychain where the OS offers one; else the 0600 file beside the database. */
export function credentialStoreFor(cipher: KeychainCipher, path: string): CredentialStore {
  return cipher.isEncryptionAvailable() ? new KeychainCredentialStore(cipher, path) : new FileCredentialStore(path);
}
