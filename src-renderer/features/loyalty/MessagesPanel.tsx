import type { Language } from '../../i18n/index.js';

/**
 * Room for Loyalty → Messages: SMS templates, campaigns and the send log (`sms.settings`,
 * `sms.saveSettings`, `sms.preview`, `sms.log`, `sms.campaignPreview`, `sms.campaignSend`). Nothing
 * yet: the tab appears in LoyaltyScreen once this renders something (see MESSAGES_READY there).
 */
export function MessagesPanel(_props: { lang: Language }) {
  return null;
}
