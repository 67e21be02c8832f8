import { useEffect, useRef } from 'react';
import type { ProductView, SystemInfo } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';

export function SearchResults(props: {
  results: ProductView[];
  active: number;
  info: SystemInfo | null;
  lang: Language;
  emptyText: string;
  unitLabel: (p: ProductView) => string;
  onPick: (p: ProductView) => void;
}) {
  const activeRef = useRef<HTMLLIElement | null>(null);
  useEffect(() => {
    activeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [props.active]);
  if (props.results.length === 0) {
    return (
      <div className="search-results empty" data-testid="search-empty">
        {props.emptyText}
      </div>
    );
  }
  return (
    <ul className="search-results" role="listbox" id="search-results" data-testid="search-results">
      {props.results.map((p, i) => (
        <li
          key={p.id}
          ref={i === props.active ? activeRef : undefined}
          id={`search-result-${p.id}`}
          role="option"
          aria-selected={i === props.active}
          className={i === props.active ? 'active' : undefined}
          data-testid="search-result"
          data-product-id={p.id}
          // mousedown, not click: the input keeps focus and its blur does not close the list first.
          onMouseDown={(e) => {
            e.preventDefault();
            props.onPick(p);
          }}
        >
          <span className="name">
            {props.lang === 'en' && p.nameAlt ? p.nameAlt : p.name}
            {p.plu !== null && <span className="muted"> · PLU {p.plu}</span>}
          </span>
          <span className="price">
            {money(p.price, props.info, props.lang, true)}
            {p.unit !== 'pcs' && <span className="muted"> / {props.unitLabel(p)}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}
