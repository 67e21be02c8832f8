import { AppError } from '../../../src-common/errors.js';
import type { PermitSettings } from '../../../src-common/rpc/schemas.js';
import type { SettingsRepo } from '../../db/repos/settings.js';

/** The permit settings as the screen sees them: the password only as set or not set. */
export function permitSettingsView(s: SettingsRepo): PermitSettings {
  return {
    provider: s.get('marking.permit.provider'),
    url: s.get('marking.permit.url'),
    login: s.get('marking.permit.login'),
    passwordSet: s.get('marking.permit.password') !== '',
  };
}

/** An http(s) address with a host and no credentials in it (they would end up in logs); null when fine. */
function urlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'not http(s)';
  if (!u.hostname) return 'no host';
  if (u.username || u.password) return 'credentials in the URL';
  return null;
}

/**
 * Check and store the permit settings, inside the caller's transaction. A local module needs its
 * address; the password is write-only: absent keeps the stored one, an empty string removes it.
 */
export function savePermitSettings(s: SettingsRepo, p: PermitSettings): void {
  const url = p.url.trim();
  if ((p.provider === 'local_module' || url !== '') && urlProblem(url) !== null) {
    throw new AppError('validation', `the local module address must be an http:// or https:// URL without credentials (${urlProblem(url)})`, {
      field: 'permitUrl',
      reason: 'permit_url',
    });
  }
  s.set('marking.permit.provider', p.provider);
  s.set('marking.permit.url', url);
  s.set('marking.permit.login', p.login);
  if (p.password !== undefined) s.set('marking.permit.password', p.password);
}

/** What the audit log keeps of a save: whether the password changed, never the password. */
export function auditablePermit(p: PermitSettings): Record<string, string | boolean> {
  return { provider: p.provider, url: p.url, login: p.login, passwordChanged: p.password !== undefined };
}
