import { DEFAULT_WEIGHED_TEMPLATES, type WeighedTemplate } from '../../../src-common/barcode.js';
import type { Logo } from '../../../src-common/rpc/schemas.js';
import type { TaxSystem } from '../../../src-drivers/fiscal/registrar.js';
import { AppError } from '../../../src-common/errors.js';
import type { HeadOfficeSettingKey } from '../../../src-common/sync/settings.js';
import type { Db } from '../open.js';
import { DEFAULT_PROGRAMME, type Programme } from '../../../src-common/loyalty.js';
import { DEFAULT_SMS_SETTINGS, type SmsSettings } from '../../../src-common/sms-schemas.js';
import { DEFAULT_RECEIPT_TEMPLATE, type ReceiptTemplate } from '../../domain/receipt-text.js';

/** Every setting with its default. Stored as JSON values in the settings table. */
export interface Settings {
  'store.name': string;
  'till.id': string;
  'till.name': string;
  currency: string;
  'currency.minorDigits': number;
  locale: string;
  language: 'ru' | 'en';
  timeZone: string;
  'barcode.weighedTemplates': WeighedTemplate[];
  /** Quick cash buttons in the payment dialog, minor units. */
  'tender.quickCash': number[];
  'fiscal.mode': 'none' | 'shtrih' | 'atol';
  /** Tax system stated on fiscal receipts (tag 1055). */
  'fiscal.taxSystem': TaxSystem;
  /** The cashier's INN printed on fiscal receipts (tag 1203), empty for none. */
  'fiscal.cashierInn': string;
  /** A marking code the registrar cannot check now (it does not answer): sell it anyway, or refuse. */
  'marking.offlinePolicy': 'allow' | 'refuse';
  /** The compliance clock warns once the oldest document not confirmed by the ОФД is this many days old (the ФН blocks at 30). */
  'fiscal.warnOfdDays': number;
  /** …and this many days before the ФН expires. (The registrar shift warns like the till's: `shift.warnMinutes`.) */
  'fiscal.warnFnDays': number;
  /** Who answers the permit check (разрешительный режим) of a marked unit before it is sold: nobody, or the ЛМ ЧЗ. */
  'marking.permit.provider': 'none' | 'local_module';
  /** The Честный знак local module's address (http(s), no credentials in it). */
  'marking.permit.url': string;
  'marking.permit.login': string;
  /** Never logged, never sent to a screen: the fiscal settings show it only as set or not set. */
  'marking.permit.password': string;
  /** Notes and coins of the currency in minor units, largest first: what a drawer count lists. */
  'cash.denominations': number[];
  /** A closing count may differ from the expected cash by this much without a reason. */
  'cash.tolerance': number;
  /** A shift older than this refuses sales until it is closed (54-ФЗ: 24 hours). */
  'shift.maxHours': number;
  /** How long before that limit the till starts warning. */
  'shift.warnMinutes': number;
  /** Discounts above this share of the line or receipt need the discount_over_limit permission. */
  'discount.maxBpWithoutApproval': number;
  /** Lock the till after this many idle minutes (0: never). */
  'session.autoLockMinutes': number;
  /** The printed receipt's header, footer and optional parts. */
  'receipt.template': ReceiptTemplate;
  /** The store's logo for receipts (a 1-bit raster), or none. */
  'receipt.logo': Logo | null;
  /** The loyalty programme's rules (points, tiers, birthday, expiry, the offline cap). */
  'loyalty.programme': Programme;
  /** SMS to customers: provider, sender name, templates, quiet hours (src-common/sms-schemas.ts). */
  sms: SmsSettings;
  demo: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  'store.name': 'Лавка',
  'till.id': '',
  'till.name': 'Касса 1',
  currency: 'RUB',
  'currency.minorDigits': 2,
  locale: 'ru-RU',
  language: 'ru',
  timeZone: 'Europe/Moscow',
  'barcode.weighedTemplates': DEFAULT_WEIGHED_TEMPLATES,
  'tender.quickCash': [10_000, 50_000, 100_000, 200_000, 500_000],
  'fiscal.mode': 'none',
  'fiscal.taxSystem': 'osn',
  'fiscal.cashierInn': '',
  'marking.offlinePolicy': 'allow',
  'fiscal.warnOfdDays': 25,
  'fiscal.warnFnDays': 30,
  'marking.permit.provider': 'none',
  'marking.permit.url': '',
  'marking.permit.login': '',
  'marking.permit.password': '',
  // Rouble notes 5000…50, coins 10…1 ₽ and 50, 10, 5, 1 kopecks (rare, but legal tender: a total
  // to the kopeck can only be counted exactly with them).
  'cash.denominations': [500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 1_000, 500, 200, 100, 50, 10, 5, 1],
  'cash.tolerance': 0,
  'shift.maxHours': 24,
  'shift.warnMinutes': 60,
  'discount.maxBpWithoutApproval': 1_000,
  'session.autoLockMinutes': 10,
  'receipt.template': DEFAULT_RECEIPT_TEMPLATE,
  'receipt.logo': null,
  'loyalty.programme': DEFAULT_PROGRAMME,
  sms: DEFAULT_SMS_SETTINGS,
  demo: false,
};

/** Every setting the head office may set is one the till has (a compile-time check). */
type _HeadOfficeKeysAreSettings = HeadOfficeSettingKey extends keyof Settings ? true : never;
const _headOfficeKeysAreSettings: _HeadOfficeKeysAreSettings = true;
void _headOfficeKeysAreSettings;

/** Settings are read on hot paths (every scan reads the barcode templates): keep them in memory. */
export class SettingsRepo {
  private cache = new Map<string, unknown>();
  /** Keys the head office sets: changed here only by what it hands down. */
  private managed = new Set<string>();
  private readonly upsert;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.reload();
  }

  reload(): void {
    this.cache.clear();
    for (const row of this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) {
      this.cache.set(row.key, JSON.parse(row.value));
    }
    this.managed = new Set(this.db.prepare('SELECT DISTINCT key FROM head_office_settings').pluck().all() as string[]);
  }

  get<K extends keyof Settings>(key: K): Settings[K] {
    return (this.cache.has(key) ? this.cache.get(key) : DEFAULT_SETTINGS[key]) as Settings[K];
  }

  /** The settings the head office has set (sorted): the till does not change them itself. */
  managedKeys(): string[] {
    return [...this.managed].sort();
  }

  /**
   * Write inside the caller's transaction; the cache follows only if it commits. A setting the head
   * office has set is refused (`setting_managed`) unless the value is the one it already has (a
   * form saving several settings at once writes back what it showed).
   */
  set<K extends keyof Settings>(key: K, value: Settings[K]): void {
    if (this.managed.has(key) && JSON.stringify(value) !== JSON.stringify(this.get(key))) {
      throw new AppError('setting_managed', `"${key}" is set by the head office`, { key });
    }
    this.write(key, value);
  }

  /**
   * What the head office hands down (sync only, inside its transaction): its value, or null when it
   * takes the setting back (the till keeps the value it has, and may change it again).
   */
  setFromHeadOffice(key: HeadOfficeSettingKey, value: unknown): void {
    const wasManaged = this.managed.has(key);
    if (value === null) this.managed.delete(key);
    else {
      this.managed.add(key);
      this.write(key, value as Settings[typeof key]);
    }
    onRollback(this.db, () => {
      if (wasManaged) this.managed.add(key);
      else this.managed.delete(key);
    });
  }

  private write<K extends keyof Settings>(key: K, value: Settings[K]): void {
    this.upsert.run(key, JSON.stringify(value));
    const previous = this.cache.has(key) ? { v: this.cache.get(key) } : null;
    this.cache.set(key, value);
    onRollback(this.db, () => {
      if (previous) this.cache.set(key, previous.v);
      else this.cache.delete(key);
    });
  }
}

const rollbackHooks = new WeakMap<Db, (() => void)[]>();

/** Register an undo for in-memory state touched inside the current transaction. */
export function onRollback(db: Db, undo: () => void): void {
  if (!db.inTransaction) return;
  const list = rollbackHooks.get(db) ?? [];
  list.push(undo);
  rollbackHooks.set(db, list);
}

/** Called by the command runner: undo in reverse order after a rollback, forget after a commit. */
export function settleRollbackHooks(db: Db, committed: boolean): void {
  const list = rollbackHooks.get(db);
  rollbackHooks.delete(db);
  if (!committed && list) for (const undo of list.reverse()) undo();
}
