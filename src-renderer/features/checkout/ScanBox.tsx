import { useEffect, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductView } from '../../../src-common/rpc/schemas.js';
import { call } from '../../app/rpc.js';
import { SCAN_TARGET_ATTR } from '../../app/scanner.js';
import { parseReceiptCode } from '../../../src-common/receipt-code.js';
import { openReturns, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { SearchResults } from './SearchResults.js';
import { submitTyped } from './scan.js';

const SEARCH_DEBOUNCE_MS = 80;
const SEARCH_LIMIT = 12;

/**
 * The main input. Digits + Enter: a barcode or PLU typed by hand. Letters: search as you type,
 * with a list driven by ↑/↓/Enter/Esc. Scanner bursts are caught before they reach it (scanner.ts).
 */
export function ScanBox(props: { lang: Language; inputRef: Ref<HTMLInputElement>; onPick: (p: ProductView) => void }) {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  const query = useApp((s) => s.query);
  const [results, setResults] = useState<ProductView[] | null>(null);
  const [active, setActive] = useState(0);
  const searchSeq = useRef(0);

  useEffect(() => {
    const q = query.trim();
    const seq = ++searchSeq.current;
    if (!/\p{L}/u.test(q) || q.length < 2) {
      setResults(null);
      return;
    }
    const timer = setTimeout(() => {
      call('catalog.search', { text: q, limit: SEARCH_LIMIT })
        .then((r) => {
          // A slower answer to an older query must not replace a newer one.
          if (seq !== searchSeq.current) return;
          setResults(r);
          setActive(0);
        })
        .catch(() => {});
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const setQuery = (q: string) => useApp.setState({ query: q });
  const pick = (p: ProductView) => {
    setQuery('');
    props.onPick(p);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    const list = results && results.length > 0 ? results : null;
    if (list && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (e.key === 'ArrowDown' ? Math.min(list.length - 1, a + 1) : Math.max(0, a - 1)));
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (results) setResults(null);
      else setQuery('');
      return;
    }
    if (e.key !== 'Enter' || e.defaultPrevented) return;
    const q = query.trim();
    // A receipt's code typed by hand: the return of that receipt, like a scan of it.
    const receiptId = parseReceiptCode(q);
    if (receiptId) {
      e.preventDefault();
      setQuery('');
      openReturns(receiptId);
      return;
    }
    if (list) {
      e.preventDefault();
      const p = list[active];
      if (p) pick(p);
    } else if (/^\d+$/.test(q)) {
      e.preventDefault();
      setQuery('');
      void submitTyped(q);
    }
  };

  return (
    <div className="scan-box">
      <input
        ref={props.inputRef}
        autoFocus
        className="scan-input"
        data-testid="scan-input"
        {...{ [SCAN_TARGET_ATTR]: '' }}
        placeholder={t('checkout.scanPlaceholder')}
        value={query}
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-expanded={results !== null}
        aria-controls="search-results"
        aria-activedescendant={results?.[active] ? `search-result-${results[active].id}` : undefined}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => setResults(null)}
      />
      {results && (
        <SearchResults
          results={results}
          active={active}
          info={info}
          lang={props.lang}
          emptyText={t('checkout.noResults')}
          unitLabel={(p) => t(`checkout.${p.unit}`)}
          onPick={pick}
        />
      )}
    </div>
  );
}
