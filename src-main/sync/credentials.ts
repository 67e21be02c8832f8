import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where the till keeps the secret it got at enrollment. Deliberately not in the SQLite file: a copy
 * of the database (a backup, a support bundle, a restored store) must not let anyone push as this
 * till. The file store below is the default; in Electron the same interface can wrap
 * `safeStorage.encryptString`/`decryptString` (the OS keychain) without anything else changing.
 * Implementations never log the credential, and nothing returns it over RPC.
 */
export interface CredentialStore {
  /** The stored credential, or null when there is none (never enrolled, or removed). */
  read(): string | null;
  /** Replace the credential; durable when it returns. */
  write(credential: string): void;
  clear(): void;
}

/**
 * The credential in a file of its own beside the database (`<dataDir>/sync-credential`), readable
 * by the till's OS user only (0600). Written atomically: a temp file is written and fsynced, then
 * renamed over the old one and the directory fsynced, so a power cut leaves the old credential or
 * the new one, never half of either.
 */
export class FileCredentialStore implements CredentialStore {
  constructor(private readonly path: string) {}

  read(): string | null {
    try {
      const text = readFileSync(this.path, 'utf8').trim();
      return text === '' ? null : text;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  write(credential: string): void {
    const tmp = `${this.path}.tmp`;
    // A temp file left by a crash mid-write is only ever a half-written copy: start afresh.
    rmSync(tmp, { force: true });
    // 'wx' with mode 0600: created by us, never readable by others, not even for a moment.
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, credential);
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, this.path);
    syncDirectory(dirname(this.path));
  }

  clear(): void {
    rmSync(this.path, { force: true });
    syncDirectory(dirname(this.path));
  }
}

/** Make a rename or unlink in `dir` durable (a no-op where directories cannot be opened, e.g. Windows). */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; NTFS journals the rename itself.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Tests and hosts with no disk of their own. */
export class MemoryCredentialStore implements CredentialStore {
  private value: string | null = null;
  read(): string | null {
    return this.value;
  }
  write(credential: string): void {
    this.value = credential;
  }
  clear(): void {
    this.value = null;
  }
}
