import type { SettingsRepo } from '../../db/repos/settings.js';
import { LocalModulePermitCheck } from './local-module.js';
import type { PermitCheckProvider, PermitProviderKind } from './permit.js';

export interface PermitConfig {
  provider: PermitProviderKind;
  url: string;
  login: string;
  password: string;
}

export function permitConfigOf(settings: SettingsRepo): PermitConfig {
  return {
    provider: settings.get('marking.permit.provider'),
    url: settings.get('marking.permit.url'),
    login: settings.get('marking.permit.login'),
    password: settings.get('marking.permit.password'),
  };
}

/** The provider a configuration names; null for `none` (no permit check at all) or an unusable address. */
export function permitProviderFor(c: PermitConfig): PermitCheckProvider | null {
  switch (c.provider) {
    case 'none':
      return null;
    case 'local_module':
      try {
        return new LocalModulePermitCheck({ url: c.url, login: c.login, password: c.password });
      } catch {
        // Settings validation refuses such an address; a store edited by hand gets "unavailable", not a crash.
        return new Unconfigured(c.url);
      }
  }
}

/** A local module whose address cannot be used: every check is unavailable, and says why. */
class Unconfigured implements PermitCheckProvider {
  readonly name = 'local_module (invalid address)';
  constructor(private readonly url: string) {}
  async check() {
    return { ok: false as const, reason: 'unreachable' as const, message: `the local module address "${this.url.slice(0, 100)}" is not a usable http(s) URL` };
  }
}

/** The provider for the settings as they are now; built again only when they change (a save in the fiscal settings). */
export class PermitProviders {
  private cached: { key: string; provider: PermitCheckProvider | null } | null = null;

  constructor(private readonly settings: SettingsRepo) {}

  current(): PermitCheckProvider | null {
    const config = permitConfigOf(this.settings);
    const key = JSON.stringify(config);
    if (this.cached?.key !== key) this.cached = { key, provider: permitProviderFor(config) };
    return this.cached.provider;
  }
}
