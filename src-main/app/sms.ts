import { businessDay, type Clock } from '../../src-common/clock.js';
import { AppError } from '../../src-common/errors.js';
import type { SmsBalance, SmsLogItem, SmsMethodName, SmsParams, SmsResult, SmsSettings, SmsSettingsView } from '../../src-common/sms-schemas.js';
import type { Db } from '../db/open.js';
import { NEVER, smsRepo, type SmsRow } from '../db/repos/sms.js';
import { maskPhone } from '../sms/outbox.js';
import { checkTemplates, previewSms, sampleValues } from '../sms/templates.js';
import { afterSale, campaignPreview, daily, sendCampaign, type TriggerDeps } from '../sms/triggers.js';
import { requireUser, type HandlerCtx, type Repos } from './context.js';

/** What the handlers need of the running SMS sender (src-main/sms/sender.ts SmsSender). */
export interface SmsWorker {
  /** Messages were queued: send them (after the commit). */
  kick(): void;
  /** Settings saved or a message retried: try now, ending an offline wait or a hold. */
  wake(): void;
  balance(): SmsBalance;
}

/**
 * Where the `sms` setting and the sender are reached from a handler. Once `sms` is a key of
 * `Settings` and the sender a service: `{ settings: (ctx) => ctx.repos.settings.get('sms'),
 * saveSettings: (ctx, s) => ctx.repos.settings.set('sms', s), worker: (ctx) => ctx.services.sms }`.
 */
export interface SmsAppDeps {
  settings(ctx: HandlerCtx): SmsSettings;
  saveSettings(ctx: HandlerCtx, s: SmsSettings): void;
  worker(ctx: HandlerCtx): SmsWorker | null;
}

export type SmsHandlers = { [M in SmsMethodName]: (params: SmsParams<M>, ctx: HandlerCtx) => SmsResult<M> };

/** The trigger functions' view of a handler's context. */
export function triggerDeps(ctx: HandlerCtx, settings: SmsSettings): TriggerDeps {
  return {
    repo: smsRepo(ctx.db),
    settings,
    storeName: ctx.repos.settings.get('store.name'),
    programme: ctx.repos.settings.get('loyalty.programme'),
    now: ctx.clock.now(),
  };
}

function today(ctx: HandlerCtx): string {
  return businessDay(ctx.clock.now(), ctx.repos.settings.get('timeZone'));
}

/**
 * For the sale's completion (checkout): queue the points and survey messages in its transaction and
 * kick the sender after the commit. Never throws for a message that cannot go (it is just not queued).
 */
export function smsAfterSale(ctx: HandlerCtx, deps: SmsAppDeps, receiptId: string): number {
  const settings = deps.settings(ctx);
  if (!settings.enabled) return 0;
  const n = afterSale(triggerDeps(ctx, settings), receiptId);
  if (n > 0) ctx.afterCommit(() => deps.worker(ctx)?.kick());
  return n;
}

/**
 * The sender's `daily` hook (SmsSenderDeps.daily): the day's birthday and win-back messages, in the
 * transaction the sender opens. Returns how many were queued.
 */
export function smsDaily(db: Db, repos: Repos, clock: Clock, settings: () => SmsSettings): (today: string) => number {
  return (today) => {
    const t: TriggerDeps = {
      repo: smsRepo(db),
      settings: settings(),
      storeName: repos.settings.get('store.name'),
      programme: repos.settings.get('loyalty.programme'),
      now: clock.now(),
    };
    const n = daily(t, today);
    return n.birthdays + n.winback;
  };
}

function settingsView(s: SmsSettings): SmsSettingsView {
  const { apiKey, ...rest } = s;
  return { ...rest, apiKeySet: apiKey !== '' };
}

function logItem(r: SmsRow, names: Map<string, string | null>): SmsLogItem {
  const waiting = r.state === 'queued' || (r.state === 'sent' && r.providerId !== null && r.nextAttemptAt < NEVER);
  return {
    id: r.id,
    customerId: r.customerId,
    customerName: r.customerId === null ? null : (names.get(r.customerId) ?? null),
    phone: r.phone === null ? null : maskPhone(r.phone),
    purpose: r.purpose,
    kind: r.kind,
    campaignId: r.campaignId,
    text: r.text,
    segments: r.segments,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: waiting ? r.nextAttemptAt : null,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    deliveredAt: r.deliveredAt,
  };
}

/**
 * The `sms.*` handlers: settings, templates and campaigns need `loyalty_manage`; the send log,
 * `sale` (phones masked). Commands run in the dispatcher's transaction like every other.
 */
export function smsHandlers(deps: SmsAppDeps): SmsHandlers {
  return {
    'sms.settings': (_p, ctx) => {
      requireUser(ctx, 'loyalty_manage');
      return settingsView(deps.settings(ctx));
    },

    'sms.saveSettings': ({ settings }, ctx) => {
      const me = requireUser(ctx, 'loyalty_manage');
      const current = deps.settings(ctx);
      const { apiKey, ...rest } = settings;
      const next: SmsSettings = { ...rest, apiKey: apiKey ?? current.apiKey };
      checkTemplates(next, ctx.repos.settings.get('store.name'));
      if (next.enabled && next.provider === 'smsru' && next.apiKey === '') {
        throw new AppError('validation', 'SMS.ru needs the API key', { field: 'apiKey', reason: 'required' });
      }
      deps.saveSettings(ctx, next);
      // The key is never written to the audit log: only whether it changed.
      ctx.repos.audit.append(ctx.clock.now(), me.userId, 'settings.change', 'sms', { ...rest, apiKey: apiKey === undefined ? 'kept' : apiKey === '' ? 'removed' : 'changed' });
      ctx.afterCommit(() => deps.worker(ctx)?.wake());
      return { ok: true as const };
    },

    'sms.preview': ({ text, kind, sample }, ctx) => {
      requireUser(ctx, 'loyalty_manage');
      const s = deps.settings(ctx);
      return previewSms(text, kind, { ...sampleValues(ctx.repos.settings.get('store.name'), s.surveyUrl), ...sample }, s.maxSegments);
    },

    'sms.log': ({ limit, ...filter }, ctx) => {
      requireUser(ctx, 'sale');
      const repo = smsRepo(ctx.db);
      const rows = repo.log(filter, limit + 1);
      const page = rows.slice(0, limit);
      const names = repo.names(page.flatMap((r) => (r.customerId === null ? [] : [r.customerId])));
      return {
        items: page.map((r) => logItem(r, names)),
        counts: repo.counts(filter),
        nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },

    'sms.campaignPreview': ({ audience, text }, ctx) => {
      requireUser(ctx, 'loyalty_manage');
      return campaignPreview(triggerDeps(ctx, deps.settings(ctx)), audience, today(ctx), text);
    },

    'sms.campaignSend': ({ name, text, audience }, ctx) => {
      const me = requireUser(ctx, 'loyalty_manage');
      const sent = sendCampaign(triggerDeps(ctx, deps.settings(ctx)), { name, text, audience, createdBy: me.userId, today: today(ctx) });
      ctx.repos.audit.append(ctx.clock.now(), me.userId, 'sms.campaign', sent.campaignId, { name, audience, recipients: sent.recipients });
      if (sent.recipients > 0) ctx.afterCommit(() => deps.worker(ctx)?.kick());
      return sent;
    },

    'sms.balance': (_p, ctx) => {
      requireUser(ctx, 'loyalty_manage');
      const worker = deps.worker(ctx);
      if (worker) return worker.balance();
      return { balance: null, at: null, threshold: deps.settings(ctx).lowBalanceAlert, low: false, problem: null };
    },

    'sms.retry': ({ id }, ctx) => {
      const me = requireUser(ctx, 'loyalty_manage');
      const repo = smsRepo(ctx.db);
      const m = repo.byId(id);
      if (!m) throw new AppError('not_found', 'no such message', { id });
      if (!repo.retry(id, ctx.clock.now())) throw new AppError('validation', 'only a failed message can be sent again', { field: 'id', reason: 'state', state: m.state });
      ctx.repos.audit.append(ctx.clock.now(), me.userId, 'sms.retry', id, { kind: m.kind, error: m.errorCode });
      ctx.afterCommit(() => deps.worker(ctx)?.wake());
      return { ok: true as const };
    },
  };
}
