import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialStoreFor, KeychainCredentialStore, type KeychainCipher } from '../../src-main/electron/credentials.js';
import { FileCredentialStore } from '../../src-main/sync/credentials.js';

/** A stand-in for the OS keychain: reversible, keyed, and unlike the plain text. */
function keychain(key = 0x5a, available = true): KeychainCipher {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ key));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.concat([Buffer.from('K1'), xor(Buffer.from(s, 'utf8'))]),
    decryptString: (b: Buffer) => {
      if (b.subarray(0, 2).toString() !== 'K1') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const plain = xor(b.subarray(2)).toString('utf8');
      if (!plain.startsWith('till_')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return plain;
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lavka-cred-'));
  dirs.push(d);
  return d;
}

describe('the head-office credential under the OS keychain (Electron)', () => {
  it('is stored sealed, owner-only, and reads back; clear removes it', () => {
    const path = join(dir(), 'sync-credential');
    const store = credentialStoreFor(keychain(), path);
    expect(store).toBeInstanceOf(KeychainCredentialStore);
    store.write('till_secret-credential-123');
    expect(existsSync(path)).toBe(false);
    const onDisk = readFileSync(`${path}.enc`, 'utf8');
    expect(onDisk).not.toContain('secret-credential');
    expect(statSync(`${path}.enc`).mode & 0o777).toBe(0o600);
    expect(store.read()).toBe('till_secret-credential-123');
    store.clear();
    expect(store.read()).toBeNull();
    expect(existsSync(`${path}.enc`)).toBe(false);
  });

  it('a credential from browser mode (the plain file) moves under the keychain on first read', () => {
    const path = join(dir(), 'sync-credential');
    new FileCredentialStore(path).write('till_from-browser-mode');
    const store = credentialStoreFor(keychain(), path);
    expect(store.read()).toBe('till_from-browser-mode');
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.enc`, 'utf8')).not.toContain('from-browser-mode');
    expect(store.read()).toBe('till_from-browser-mode');
  });

  it('a keychain that can no longer open it reads as none (enroll again), and never throws at the sync loop', () => {
    const path = join(dir(), 'sync-credential');
    credentialStoreFor(keychain(0x5a), path).write('till_old-keyring');
    expect(credentialStoreFor(keychain(0x33), path).read()).toBeNull();
    writeFileSync(`${path}.enc`, 'not base64 ciphertext at all');
    expect(credentialStoreFor(keychain(), path).read()).toBeNull();
  });

  it('without a keychain (encryption unavailable) it is the 0600 file beside the database', () => {
    const path = join(dir(), 'sync-credential');
    const store = credentialStoreFor(keychain(0x5a, false), path);
    expect(store).toBeInstanceOf(FileCredentialStore);
    store.write('till_plain');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
