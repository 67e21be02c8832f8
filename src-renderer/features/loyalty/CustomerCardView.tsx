import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentPurpose, CustomerCard } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat, money } from '../../app/format.js';
import { call, errorText, reportError } from '../../app/rpc.js';
import { showToast, useApp, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { FieldError } from '../../ui/FieldError.js';
import { birthdayText, parseWhole, phoneText, pointsText } from './loyalty-format.js';
import { useHoldEscape } from './loyalty-ui.js';
import { historyReason, useCustomerCard } from './use-customer-card.js';

/** Hand the customer's data (customers.export) to the browser as a JSON file. */
async function downloadCustomer(card: CustomerCard): Promise<void> {
  try {
    const { json } = await call('customers.export', { id: card.id });
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `customer-${card.cardNo ?? card.id}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    reportError(e);
  }
}

/**
 * A customer's card for the manager: the record, the consents (each can be given or withdrawn; the
 * programme's own only by erasing), points and their history, and the data subject's rights:
 * export everything held, or erase it.
 */
export function CustomerCardView(props: { customerId: string; lang: Language; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const manage = useMyPermissions().includes('loyalty_manage');
  const { card, error, reload, setCard } = useCustomerCard(props.customerId);
  const [erasing, setErasing] = useState(false);
  useHoldEscape(erasing);

  if (!card) {
    return (
      <section className="admin-panel" data-testid="loyalty-customer-card-loading">
        <FieldError text={error} testId="loyalty-card-error" />
      </section>
    );
  }
  const when = dateTimeFormat(lang);
  const day = dateTimeFormat(lang, { dateStyle: 'short' });
  const setConsent = async (purpose: ConsentPurpose, granted: boolean) => {
    try {
      setCard(await call('customers.setConsent', { id: card.id, purpose, granted }));
    } catch (e) {
      reportError(e);
    }
  };
  const erase = async () => {
    try {
      await call('customers.erase', { id: card.id });
      setErasing(false);
      showToast(t('loyalty.admin.erased'), 'info');
      reload();
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <section className="admin-panel loyalty-card" data-testid="loyalty-customer-card" data-customer-id={card.id} data-erased={card.erased}>
      <div className="stock-doc-head">
        <button data-testid="loyalty-customer-back" onClick={props.onClose}>
          ← {t('loyalty.admin.toList')}
        </button>
        <h3 data-testid="loyalty-card-name">{card.erased ? t('loyalty.panel.erased') : (card.name ?? t('loyalty.noName'))}</h3>
        <span className="spacer" />
        {manage && (
          <button data-testid="loyalty-export" onClick={() => void downloadCustomer(card)}>
            {t('loyalty.admin.export')}
          </button>
        )}
        {manage && !card.erased && (
          <button className="danger" data-testid="loyalty-erase" onClick={() => setErasing(true)}>
            {t('loyalty.admin.erase')}
          </button>
        )}
      </div>
      {card.erased && <p className="notice alarm">{t('loyalty.admin.erasedNote')}</p>}
      <div className="loyalty-card-columns">
        <dl className="sync-facts" data-testid="loyalty-card-facts">
          <dt>{t('loyalty.card')}</dt>
          <dd data-testid="loyalty-card-card">{card.cardNo ?? '—'}</dd>
          <dt>{t('loyalty.phone')}</dt>
          <dd data-testid="loyalty-card-phone">{phoneText(card.phone) || '—'}</dd>
          <dt>{t('loyalty.birthday')}</dt>
          <dd>{birthdayText(card.birthday) || '—'}</dd>
          <dt>{t('loyalty.admin.since')}</dt>
          <dd>{day.format(card.createdAt)}</dd>
          <dt>{t('loyalty.admin.tier')}</dt>
          <dd data-testid="loyalty-card-tier">{card.tier ?? '—'}</dd>
          <dt>{t('loyalty.admin.balance')}</dt>
          <dd>
            <strong data-testid="loyalty-card-points">{t('loyalty.points', { count: card.points, points: pointsText(card.points, lang) })}</strong> = {money(card.pointsValue, info, lang, true)}
          </dd>
          <dt>{t('loyalty.admin.spend')}</dt>
          <dd>{money(card.spend, info, lang, true)}</dd>
          <dt>{t('loyalty.admin.confirmed')}</dt>
          <dd data-testid="loyalty-card-confirmed">
            {card.confirmedAt === null ? t('loyalty.admin.neverConfirmed') : when.format(card.confirmedAt)}
            {card.online ? ` · ${t('loyalty.panel.online')}` : ''}
          </dd>
        </dl>
        {!card.erased && (
          <fieldset className="consents" data-testid="loyalty-card-consents">
            <legend>{t('loyalty.consents.title')}</legend>
            <label className="consent">
              <input type="checkbox" checked disabled data-testid="loyalty-consent-loyalty" />
              <span>
                {t('loyalty.consents.loyalty')}
                <br />
                <small className="muted">{t('loyalty.admin.leaveIsErase')}</small>
              </span>
            </label>
            {(['service', 'advertising'] as const).map((purpose) => (
              <label key={purpose} className="consent">
                <input type="checkbox" data-testid={`loyalty-consent-${purpose}`} checked={card.consents[purpose]} onChange={(e) => void setConsent(purpose, e.target.checked)} />
                <span>
                  {t(`loyalty.consents.${purpose}`)}
                  <br />
                  <small className="muted">{t(`loyalty.consents.${purpose}Explain`)}</small>
                </span>
              </label>
            ))}
          </fieldset>
        )}
      </div>
      {manage && !card.erased && <AdjustPoints customerId={card.id} lang={lang} onDone={setCard} />}
      <h4>{t('loyalty.admin.history')}</h4>
      {card.history.length === 0 ? (
        <p className="muted">{t('loyalty.admin.noHistory')}</p>
      ) : (
        <table className="admin-table" data-testid="loyalty-history">
          <thead>
            <tr>
              <th>{t('admin.when')}</th>
              <th>{t('loyalty.admin.entry')}</th>
              <th className="num">{t('loyalty.admin.pointsColumn')}</th>
              <th>{t('loyalty.admin.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {card.history.map((h) => (
              <tr key={h.id} data-testid="loyalty-history-row" data-kind={h.kind}>
                <td>{when.format(h.at)}</td>
                <td>
                  {t(`loyalty.kinds.${h.kind}`)}
                  {h.offline && <span className="badge">{t('loyalty.admin.offlineEntry')}</span>}
                </td>
                <td className="num" data-testid="loyalty-history-points">
                  {h.points > 0 ? `+${pointsText(h.points, lang)}` : h.points < 0 ? `−${pointsText(-h.points, lang)}` : '0'}
                </td>
                <td>{historyReason(h.reason, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {erasing && (
        <Dialog title={t('loyalty.admin.eraseTitle')} onClose={() => setErasing(false)} testId="loyalty-erase-dialog">
          <p>{t('loyalty.admin.eraseWhat', { name: card.name ?? card.cardNo ?? '' })}</p>
          <ul className="erase-list">
            <li>{t('loyalty.admin.eraseHere')}</li>
            <li>{t('loyalty.admin.eraseEverywhere')}</li>
            <li>{t('loyalty.admin.eraseReceipts')}</li>
            <li>{t('loyalty.admin.erasePoints')}</li>
          </ul>
          <p className="muted">{t('loyalty.admin.eraseExportFirst')}</p>
          <div className="dialog-actions">
            <button data-testid="loyalty-erase-cancel" autoFocus onClick={() => setErasing(false)}>
              {t('admin.cancel')} <kbd>Esc</kbd>
            </button>
            <button className="danger" data-testid="loyalty-erase-confirm" onClick={() => void erase()}>
              {t('loyalty.admin.eraseConfirm')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/** Points added or taken off by the manager, with the reason kept in the ledger. */
function AdjustPoints(props: { customerId: string; lang: Language; onDone: (c: CustomerCard) => void }) {
  const { t } = useTranslation();
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const n = parseWhole(points, true);
    if (n === null || n === 0 || Math.abs(n) > 1_000_000) return setError(t('loyalty.admin.adjustPointsInvalid'));
    const r = reason.trim();
    if (r.length < 3 || r.length > 40) return setError(t('loyalty.admin.adjustReasonInvalid'));
    setBusy(true);
    try {
      props.onDone(await call('customers.adjustPoints', { id: props.customerId, points: n, reason: r }));
      setPoints('');
      setReason('');
      setError(null);
      showToast(t('loyalty.admin.adjusted', { points: `${n > 0 ? '+' : '−'}${pointsText(Math.abs(n), props.lang)}` }), 'info');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="admin-form loyalty-adjust"
      data-testid="loyalty-adjust"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        <span>{t('loyalty.admin.adjustPoints')}</span>
        <input inputMode="numeric" data-testid="loyalty-adjust-points" placeholder="+50 / −50" value={points} onChange={(e) => setPoints(e.target.value)} />
      </label>
      <label>
        <span>{t('loyalty.admin.reason')}</span>
        <input data-testid="loyalty-adjust-reason" maxLength={40} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" data-testid="loyalty-adjust-save" disabled={busy}>
        {t('loyalty.admin.adjust')}
      </button>
      <FieldError text={error} testId="loyalty-adjust-error" />
    </form>
  );
}
