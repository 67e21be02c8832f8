import type { EventMap, ParamsIn } from '../../../src-common/rpc/contract.js';
import { SMS_TRIGGER_KINDS, SmsStateSchema, type SmsAudience, type SmsBalance, type SmsPurpose, type SmsState } from '../../../src-common/sms-schemas.js';

export type SmsAlert = EventMap['sms.alert'];

/** The banners to show: the latest `sms.alert`, else what `sms.balance` says is wrong now (low, or an account problem). */
export function smsBanners(balance: SmsBalance | null, alert: SmsAlert | null): SmsAlert[] {
  const out: SmsAlert[] = [];
  if (alert?.kind === 'account') out.push(alert);
  else if (balance?.problem) out.push({ kind: 'account', code: balance.problem.code, message: balance.problem.message });
  if (alert?.kind === 'low_balance') out.push(alert);
  else if (balance?.low && balance.balance !== null) out.push({ kind: 'low_balance', balance: balance.balance, threshold: balance.threshold });
  return out;
}

/** What a campaign preview was asked for: a send is offered only while name, text and audience are still these. */
export function campaignKey(name: string, text: string, audience: SmsAudience): string {
  return JSON.stringify([name.trim(), text.trim(), audience.lapsed, audience.birthdayThisMonth, audience.minSpend]);
}

/** "no consent: 2, too long: 1" from a campaign's refusals, biggest first; '' when none. */
export function refusedList(refused: Readonly<Record<string, number>>, one: (reason: string, n: number) => string): string {
  return Object.entries(refused)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => one(reason, n))
    .join(', ');
}

export const LOG_STATES: readonly SmsState[] = SmsStateSchema.options;
export const LOG_KINDS: readonly string[] = [...SMS_TRIGGER_KINDS, 'campaign'];

/** The send log's filters as the selects hold them ('' for any). */
export interface LogFilter {
  state: SmsState | '';
  kind: string;
  purpose: SmsPurpose | '';
}

export const NO_FILTER: LogFilter = { state: '', kind: '', purpose: '' };

/** `sms.log` params for the filters: the first page, or the one after `before`; `limit` rows. */
export function logParams(f: LogFilter, limit: number, before?: string | null): ParamsIn<'sms.log'> {
  return {
    ...(f.state !== '' ? { state: f.state } : {}),
    ...(f.kind !== '' ? { kind: f.kind } : {}),
    ...(f.purpose !== '' ? { purpose: f.purpose } : {}),
    ...(before ? { before } : {}),
    limit: Math.max(1, Math.min(200, limit)),
  };
}

/** How many rows to ask for when the log is read again from the top (an event): as many as are shown, at least a page. */
export function reloadLimit(shown: number, page: number): number {
  return Math.min(200, Math.max(page, shown));
}

/** A failed message may be sent again (`sms.retry`); nothing else may. */
export function canRetry(state: SmsState): boolean {
  return state === 'failed';
}
