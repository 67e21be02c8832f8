import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import { extend } from '../../../src-common/money.js';
import type { PaymentMethod, ProductView } from '../../../src-common/rpc/schemas.js';
import type { Minor, Qty } from '../../../src-common/units.js';
import { money, quantity } from '../../app/format.js';
import { attempt, call } from '../../app/rpc.js';
import { showToast, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { SearchResults } from '../checkout/SearchResults.js';
import { parseReturnQty } from './refund.js';

interface Line {
  product: ProductView;
  qtyText: string;
}

const SEARCH_DEBOUNCE_MS = 80;

/**
 * A return with no receipt to go by: the goods (found by name, or scanned), how much, how the money
 * goes back and why. The backend gates it: a cashier needs a manager's PIN (the approval flow).
 */
export function ReturnWithoutReceipt(props: { lang: Language; registerScan: (fn: ((code: string) => void) | null) => void }) {
  const { t } = useTranslation();
  const { lang, registerScan } = props;
  const info = useApp((s) => s.info);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ProductView[] | null>(null);
  const [active, setActive] = useState(0);
  const [lines, setLines] = useState<Line[]>([]);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const reasonRef = useRef<HTMLInputElement | null>(null);
  const name = (p: ProductView) => (lang === 'en' && p.nameAlt ? p.nameAlt : p.name);

  const add = (p: ProductView) => {
    setMessage(null);
    setQuery('');
    setResults(null);
    setLines((ls) => {
      const i = ls.findIndex((l) => l.product.id === p.id);
      if (i >= 0 && p.unit === 'pcs') {
        const cur = parseReturnQty(ls[i]?.qtyText ?? '', 'pcs') ?? 0;
        return ls.map((l, j) => (j === i ? { ...l, qtyText: quantity(cur + 1000, 'pcs', lang) } : l));
      }
      if (i >= 0) return ls;
      return [...ls, { product: p, qtyText: p.unit === 'pcs' ? '1' : '' }];
    });
  };

  const lookup = async (code: string) => {
    const p = await call('catalog.lookup', { code }).catch(() => null);
    if (p) add(p);
    else showToast(t('errors.unknown_barcode', { code }));
  };

  // Scans on this screen add the goods to the return.
  useEffect(() => {
    registerScan((code) => void lookup(code));
    return () => registerScan(null);
  });

  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (!/\p{L}/u.test(q) || q.length < 2) {
      setResults(null);
      return;
    }
    const timer = setTimeout(() => {
      call('catalog.search', { text: q, limit: 8 })
        .then((r) => {
          if (mine !== seq.current) return;
          setResults(r);
          setActive(0);
        })
        .catch(() => {});
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const parsed = lines.map((l) => ({ l, q: parseReturnQty(l.qtyText, l.product.unit) }));
  const total = parsed.reduce((a, { l, q }) => a + (q && q > 0 ? extend(l.product.price as Minor, q as Qty) : 0), 0);
  const m = (a: number, sym = false) => money(a, info, lang, sym);

  const confirm = async () => {
    if (busy) return;
    if (lines.length === 0) return setMessage(t('returns.noGoods'));
    if (parsed.some(({ q }) => q === null || q <= 0)) return setMessage(t('returns.invalidQty'));
    const why = reason.trim();
    if (!why) {
      setMessage(t('returns.reasonRequired'));
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    const view = await attempt('returns.completeWithoutReceipt', {
      lines: parsed.map(({ l, q }) => ({ productId: l.product.id, qty: q as number })),
      method,
      reason: why,
    });
    setBusy(false);
    if (view) useApp.setState({ completed: view, screen: 'checkout', returnTarget: null });
  };

  return (
    <div className="returns-body">
      <div className="scan-box">
        <input
          autoFocus
          className="scan-input"
          data-testid="returns-product-search"
          placeholder={t('returns.productPlaceholder')}
          value={query}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setQuery(e.target.value)}
          onBlur={() => setResults(null)}
          onKeyDown={(e) => {
            const list = results && results.length > 0 ? results : null;
            if (list && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
              e.preventDefault();
              setActive((a) => (e.key === 'ArrowDown' ? Math.min(list.length - 1, a + 1) : Math.max(0, a - 1)));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              const q = query.trim();
              const hit = list?.[active];
              if (hit) add(hit);
              else if (/^\d+$/.test(q)) {
                setQuery('');
                void lookup(q);
              }
            }
          }}
        />
        {results && (
          <SearchResults
            results={results}
            active={active}
            info={info}
            lang={lang}
            emptyText={t('checkout.noResults')}
            unitLabel={(p) => t(`checkout.${p.unit}`)}
            onPick={add}
          />
        )}
      </div>
      {lines.length === 0 ? (
        <p className="muted returns-empty">{t('returns.freeHint')}</p>
      ) : (
        <div className="lines-scroll">
          <table className="lines compact" data-testid="returns-free-lines">
            <thead>
              <tr>
                <th>{t('checkout.name')}</th>
                <th className="num">{t('checkout.price')}</th>
                <th className="num">{t('returns.qty')}</th>
                <th className="num">{t('checkout.amount')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {parsed.map(({ l, q }) => (
                <tr key={l.product.id} data-testid="returns-free-line">
                  <td data-testid="returns-free-name">{name(l.product)}</td>
                  <td className="num">
                    {m(l.product.price)}
                    {l.product.unit !== 'pcs' && ` / ${t(`checkout.${l.product.unit}`)}`}
                  </td>
                  <td className="num qty-cell">
                    <input
                      className={q === null || q === 0 ? 'qty-input invalid' : 'qty-input'}
                      inputMode={l.product.unit === 'pcs' ? 'numeric' : 'decimal'}
                      autoComplete="off"
                      autoFocus={l.product.unit !== 'pcs'}
                      data-testid="returns-free-qty"
                      value={l.qtyText}
                      onChange={(e) => setLines((ls) => ls.map((x) => (x.product.id === l.product.id ? { ...x, qtyText: e.target.value } : x)))}
                    />{' '}
                    {t(`checkout.${l.product.unit}`)}
                  </td>
                  <td className="num">{q && q > 0 ? m(extend(l.product.price as Minor, q as Qty)) : ''}</td>
                  <td>
                    <button className="small" data-testid="returns-free-remove" aria-label={t('checkout.remove')} onClick={() => setLines((ls) => ls.filter((x) => x !== l))}>
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FieldError text={message} testId="returns-message" />
      <div className="returns-footer">
        <div className="segmented" role="radiogroup" aria-label={t('returns.method')}>
          {(['cash', 'card'] as const).map((k) => (
            <button key={k} role="radio" aria-checked={method === k} className={method === k ? 'on' : ''} data-testid={`returns-free-method-${k}`} onClick={() => setMethod(k)}>
              {t(`returns.method_${k}`)}
            </button>
          ))}
        </div>
        <label className="field grow">
          <span>{t('returns.reasonRequiredLabel')}</span>
          <input
            ref={reasonRef}
            data-testid="returns-free-reason"
            maxLength={200}
            value={reason}
            onChange={(e) => {
              setMessage(null);
              setReason(e.target.value);
            }}
          />
        </label>
        <div className="returns-total">
          <span>{t('returns.toRefund')}</span>
          <strong data-testid="returns-free-total">{m(total, true)}</strong>
        </div>
        <button className="primary big" data-testid="returns-free-confirm" disabled={busy} onClick={() => void confirm()}>
          {t('returns.confirm')}
        </button>
      </div>
    </div>
  );
}
