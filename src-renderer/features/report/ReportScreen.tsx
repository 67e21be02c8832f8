import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShiftReport } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat, localeOf, money, signedMoney } from '../../app/format.js';
import { toCheckout, useApp, useEscapeToCheckout } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';

function Row(props: { label: ReactNode; value: ReactNode; testId?: string; strong?: boolean; className?: string }) {
  return (
    <div className={['row', props.strong ? 'strong' : '', props.className ?? ''].join(' ').trim()}>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
    </div>
  );
}

/**
 * The X report (the open shift so far) or the Z report (the shift just closed): the figures a
 * manager checks, and the printable layout the backend made. A Z report ends on opening a new shift.
 */
export function ReportScreen(props: { report: ShiftReport; lang: Language }) {
  const { t } = useTranslation();
  const { report: r, lang } = props;
  const info = useApp((s) => s.info);
  const dialog = useApp((s) => s.dialog);
  const m = (a: number) => money(a, info, lang, true);
  const time = dateTimeFormat(lang);
  const percent = new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 2 });
  const isZ = r.kind === 'Z';

  // Esc leaves the report (to selling, or to the shift-closed panel after a Z).
  useEscapeToCheckout();

  return (
    <main className="report-screen" data-testid="report-view" data-kind={r.kind}>
      <section className="report-card">
        <h2 data-testid="report-title">{t(isZ ? 'report.zTitle' : 'report.xTitle', { number: r.shiftNumber })}</h2>
        <p className="muted" data-testid="report-period">
          {t('report.opened', { time: time.format(r.openedAt), name: r.openedBy })}
          {r.closedAt !== null && <> · {t('report.closed', { time: time.format(r.closedAt), name: r.closedBy ?? '' })}</>}
        </p>
        <div className="report-columns">
          <dl className="report-figures">
            <Row label={t('report.sales', { count: r.sales.count })} value={m(r.sales.amount)} testId="report-sales" />
            <Row label={t('report.returns', { count: r.returns.count })} value={m(r.returns.amount)} testId="report-returns" />
            <Row label={t('report.net')} value={m(r.net)} testId="report-net" strong />
            {r.payments.map((p) => (
              <Row key={p.method} className="sub" label={t(`report.${p.method}`)} value={m(p.net)} testId={`report-pay-${p.method}`} />
            ))}
            {r.vat.map((v) => (
              <Row
                key={`${v.code}-${v.bp}`}
                className="sub"
                label={v.code === 'none' || v.bp === 0 ? t('report.noVat') : t('report.vat', { rate: percent.format(v.bp / 100) })}
                value={m(v.salesVat - v.returnsVat)}
                testId="report-vat"
              />
            ))}
            <Row label={t('report.average')} value={m(r.averageCheck)} testId="report-average" />
            <Row label={t('report.linesPerReceipt')} value={percent.format(r.linesPerReceiptX100 / 100)} testId="report-lines" />
            <Row label={t('report.discounts')} value={m(r.discounts)} testId="report-discounts" />
            <Row label={t('report.voids', { count: r.voidedLines.count })} value={m(r.voidedLines.amount)} testId="report-voids" />
            <Row label={t('report.cancelled', { count: r.cancelledReceipts.count })} value={m(r.cancelledReceipts.amount)} testId="report-cancelled" />
            <dt className="section">{t('report.cashiers')}</dt>
            {r.cashiers.map((c) => (
              <Row key={c.name} className="sub" label={`${c.name} (${c.receipts})`} value={m(c.sales - c.returns)} testId="report-cashier" />
            ))}
          </dl>
          <dl className="report-figures">
            <dt className="section">{t('report.drawer')}</dt>
            <Row label={t('report.float')} value={m(r.cash.openingFloat)} testId="report-float" />
            <Row label={t('report.cashSales')} value={m(r.cash.sales)} testId="report-cash-sales" />
            <Row label={t('report.cashRefunds')} value={r.cash.refunds > 0 ? `−${m(r.cash.refunds)}` : m(0)} testId="report-cash-refunds" />
            <Row label={t('report.cashIn')} value={m(r.cash.cashIn)} testId="report-cash-in" />
            <Row label={t('report.cashOut')} value={r.cash.cashOut > 0 ? `−${m(r.cash.cashOut)}` : m(0)} testId="report-cash-out" />
            {r.cashMovements.map((mv) => (
              <Row
                key={mv.id}
                className="sub"
                label={`${t(mv.kind === 'in' ? 'report.cashIn' : 'report.cashOut')}: ${mv.reason} (${mv.user}${mv.approvedBy ? `, ${t('report.approvedBy', { name: mv.approvedBy })}` : ''})`}
                value={`${mv.kind === 'in' ? '+' : '−'}${m(mv.amount)}`}
                testId="report-movement"
              />
            ))}
            <Row label={t('report.expected')} value={m(r.cash.expected)} testId="report-expected" strong />
            {r.cash.counted !== null && <Row label={t('report.counted')} value={m(r.cash.counted)} testId="report-counted" strong />}
            {r.cash.difference !== null && (
              <Row
                label={t('report.difference')}
                value={signedMoney(r.cash.difference, info, lang)}
                testId="report-difference"
                strong
                className={r.cash.difference < 0 ? 'short' : r.cash.difference > 0 ? 'over' : ''}
              />
            )}
            {r.cash.reason && <Row label={t('report.reason')} value={r.cash.reason} testId="report-reason" />}
          </dl>
        </div>
        <div className="report-actions">
          {isZ ? (
            <>
              <button data-testid="report-back" onClick={toCheckout}>
                {t('report.done')} <kbd>Esc</kbd>
              </button>
              <button className="primary big" data-testid="report-open-shift" autoFocus={dialog === 'none'} onClick={() => useApp.setState({ dialog: 'openShift' })}>
                {t('report.openNew')} <kbd>Enter</kbd>
              </button>
            </>
          ) : (
            <button className="primary big" data-testid="report-back" autoFocus onClick={toCheckout}>
              {t('report.back')} <kbd>Esc</kbd>
            </button>
          )}
        </div>
      </section>
      <section className="printed">
        <h3>{t('report.printed')}</h3>
        <pre data-testid="report-text">{r.text}</pre>
      </section>
    </main>
  );
}
