import { readSmsSettings } from '../../src-common/sms-schemas.js';
import type { SmsAppDeps } from './sms.js';

/** How the SMS handlers and triggers reach the settings and the sender worker of this till. */
export const smsDeps: SmsAppDeps = {
  settings: (ctx) => readSmsSettings(ctx.repos.settings.get('sms')),
  saveSettings: (ctx, s) => ctx.repos.settings.set('sms', s),
  worker: (ctx) => ctx.services.sms,
};
