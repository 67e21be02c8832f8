import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import { parseReceiptCode } from '../../../src-common/receipt-code.js';
import type { ReturnSource } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat, money, quantity } from '../../app/format.js';
import { attempt } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { lineRefund, normalizeReturnQuery, parseReturnQty } from './refund.js';

type Found = { id: string; number: number; completedAt: number; cashier: string; total: number; lines: number };

/**
 * A return against a sale: find it by number, day or scanned receipt code, choose how much of each
 * line comes back (never more than is left of it), and the refund goes back the way it was paid.
 */
export function ReturnByReceipt(props: { lang: Language; registerScan: (fn: ((code: string) => void) | null) => void }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const target = useApp((s) => s.returnTarget);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [source, setSource] = useState<ReturnSource | null>(null);
  const [qty, setQty] = useState<Record<string, string>>({});
  /** Marked units brought back: the code scanned for each (it must be the one sold on that line). */
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const m = (a: number, sym = false) => money(a, info, lang, sym);
  const time = dateTimeFormat(lang);

  const load = useCallback(async (receiptId: string) => {
    setMessage(null);
    setFound(null);
    const s = await attempt('returns.source', { receiptId });
    if (!s) return;
    setSource(s);
    setQty({});
    setCodes({});
    setReason('');
  }, []);

  // A receipt code scanned anywhere lands here.
  useEffect(() => {
    if (target) void load(target.receiptId);
  }, [target, load]);

  const search = async () => {
    const q = normalizeReturnQuery(query);
    if (q === '') return;
    const id = parseReceiptCode(q);
    if (id) {
      setQuery('');
      return load(id);
    }
    if (!/^\d{1,9}$/.test(q) && !/^\d{4}-\d{2}-\d{2}$/.test(q)) {
      setMessage(t('returns.badQuery'));
      return;
    }
    setMessage(null);
    const list = await attempt('returns.find', { query: q });
    if (!list) return;
    if (list.length === 1 && list[0]) return load(list[0].id);
    setSource(null);
    setFound(list);
    if (list.length === 0) setMessage(t('returns.notFound'));
  };

  const lines = source?.lines ?? [];
  const parsed = lines.map((l) => ({ line: l, q: parseReturnQty(qty[l.lineId] ?? '', l.unit) }));
  const invalid = parsed.filter((p) => p.q === null || p.q > p.line.returnable).map((p) => p.line.lineId);
  const chosen = parsed.filter((p): p is typeof p & { q: number } => p.q !== null && p.q > 0 && p.q <= p.line.returnable);
  const refund = chosen.reduce((a, p) => a + lineRefund(p.line, p.q), 0);

  // Scans on this screen: a marked unit's code goes to the first marked line still without one (and
  // returns that unit); otherwise the hint to scan the receipt.
  const { registerScan } = props;
  useEffect(() => {
    registerScan((code) => {
      const line = lines.find((l) => l.marked && l.returnable > 0 && !codes[l.lineId]);
      if (!line) return showToast(t('returns.scanReceipt'), 'info');
      setCodes((c) => ({ ...c, [line.lineId]: code }));
      setQty((q) => ({ ...q, [line.lineId]: '1' }));
      setMessage(null);
    });
  }, [registerScan, lines, codes, t]);

  const returnAll = () => {
    const next: Record<string, string> = {};
    for (const l of lines) if (l.returnable > 0) next[l.lineId] = quantity(l.returnable, l.unit, lang);
    setQty(next);
    setMessage(null);
  };

  const confirm = async () => {
    if (!source || busy) return;
    if (invalid.length > 0) {
      setMessage(t('returns.invalidQty'));
      return;
    }
    if (chosen.length === 0) {
      setMessage(t('returns.nothingChosen'));
      return;
    }
    setBusy(true);
    const why = reason.trim();
    const view = await attempt('returns.complete', {
      originalId: source.receipt.id,
      lines: chosen.map((p) => ({ lineId: p.line.lineId, qty: p.q, ...(p.line.marked && codes[p.line.lineId] ? { markingCode: codes[p.line.lineId] } : {}) })),
      ...(why ? { reason: why } : {}),
    });
    setBusy(false);
    if (view) useApp.setState({ completed: view, screen: 'checkout', returnTarget: null });
  };

  return (
    <div className="returns-body">
      <div className="returns-search">
        <input
          ref={searchRef}
          autoFocus
          data-testid="returns-search"
          placeholder={t('returns.searchPlaceholder')}
          value={query}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void search();
            }
          }}
        />
        <button className="primary" data-testid="returns-find" onMouseDown={(e) => e.preventDefault()} onClick={() => void search()}>
          {t('returns.find')} <kbd>Enter</kbd>
        </button>
      </div>
      <FieldError text={message} testId="returns-message" />
      {found && found.length > 0 && (
        <ul className="parked-list" data-testid="returns-results">
          {found.map((r) => (
            <li key={r.id}>
              <button data-testid="returns-result" data-receipt-id={r.id} onClick={() => void load(r.id)}>
                <strong>{t('receipt.title', { number: r.number })}</strong>
                <span className="muted">{time.format(r.completedAt)}</span>
                <span className="grow">{r.cashier}</span>
                <span>{t('parked.items', { count: r.lines })}</span>
                <strong>{m(r.total, true)}</strong>
              </button>
            </li>
          ))}
        </ul>
      )}
      {!source && !found && !message && <p className="muted returns-empty">{t('returns.hint')}</p>}
      {source && (
        <section className="returns-source" data-testid="returns-source" data-receipt-id={source.receipt.id}>
          <h3 data-testid="returns-source-title">
            {t('receipt.title', { number: source.receipt.number })} · {source.receipt.completedAt ? time.format(source.receipt.completedAt) : ''} ·{' '}
            {source.receipt.cashier} · {m(source.receipt.total, true)}
          </h3>
          <p className="muted" data-testid="returns-source-paid">
            {source.receipt.payments.map((p) => `${t(`receipt.${p.method}`)} ${m(p.amount, true)}`).join(' · ')}
          </p>
          <div className="lines-scroll">
            <table className="lines compact">
              <thead>
                <tr>
                  <th>{t('checkout.name')}</th>
                  <th className="num">{t('returns.sold')}</th>
                  <th className="num">{t('returns.returned')}</th>
                  <th className="num">{t('returns.returnable')}</th>
                  <th className="num">{t('returns.qty')}</th>
                  <th className="num">{t('returns.refund')}</th>
                </tr>
              </thead>
              <tbody>
                {parsed.map(({ line: l, q }) => (
                  <tr key={l.lineId} data-testid="returns-line" data-line-id={l.lineId} className={l.returnable === 0 ? 'muted' : undefined}>
                    <td data-testid="returns-line-name">
                      {l.name}
                      {l.marked && (
                        <div className={codes[l.lineId] ? 'muted' : 'marking-needed'} data-testid="returns-marking" data-scanned={Boolean(codes[l.lineId])}>
                          {codes[l.lineId] ? t('returns.markingScanned') : t('returns.markingNeeded')}
                        </div>
                      )}
                    </td>
                    <td className="num">
                      {quantity(l.sold, l.unit, lang)} {t(`checkout.${l.unit}`)}
                    </td>
                    <td className="num">{l.returned > 0 ? `${quantity(l.returned, l.unit, lang)} ${t(`checkout.${l.unit}`)}` : ''}</td>
                    <td className="num" data-testid="returns-line-returnable">
                      {quantity(l.returnable, l.unit, lang)} {t(`checkout.${l.unit}`)}
                    </td>
                    <td className="num qty-cell">
                      <input
                        className={invalid.includes(l.lineId) ? 'qty-input invalid' : 'qty-input'}
                        inputMode={l.unit === 'pcs' ? 'numeric' : 'decimal'}
                        autoComplete="off"
                        disabled={l.returnable === 0}
                        placeholder={l.unit === 'pcs' ? '0' : lang === 'ru' ? '0,000' : '0.000'}
                        aria-label={`${t('returns.qty')}: ${l.name}`}
                        data-testid="returns-qty"
                        value={qty[l.lineId] ?? ''}
                        onChange={(e) => {
                          setMessage(null);
                          setQty({ ...qty, [l.lineId]: e.target.value });
                        }}
                        onKeyDown={(e) => {
                          if (e.key !== 'Enter') return;
                          e.preventDefault();
                          const inputs = document.querySelectorAll<HTMLInputElement>('[data-testid="returns-qty"]:not(:disabled)');
                          const list = [...inputs];
                          const next = list[list.indexOf(e.currentTarget) + 1];
                          if (next) next.focus();
                          else document.querySelector<HTMLButtonElement>('[data-testid="returns-confirm"]')?.focus();
                        }}
                      />{' '}
                      {t(`checkout.${l.unit}`)}
                    </td>
                    <td className="num" data-testid="returns-line-refund">
                      {q !== null && q > 0 && q <= l.returnable ? m(lineRefund(l, q)) : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="returns-footer">
            <button data-testid="returns-all" onClick={returnAll} disabled={source.refundable === 0}>
              {t('returns.all')}
            </button>
            <label className="field grow">
              <span>{t('returns.reason')}</span>
              <input data-testid="returns-reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
            <div className="returns-total">
              <span>{t('returns.toRefund')}</span>
              <strong data-testid="returns-refund-total">{m(refund, true)}</strong>
              <span className="muted">{t('returns.byTender')}</span>
            </div>
            <button className="primary big" data-testid="returns-confirm" disabled={busy || chosen.length === 0} onClick={() => void confirm()}>
              {t('returns.confirm')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
