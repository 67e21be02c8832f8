import type { ProductView, SystemInfo } from '../../../src-common/rpc/schemas.js';
import { money } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';

export function SearchResults(props: {
  results: ProductView[];
  active: number;
  info: SystemInfo | null;
  lang: Language;
  emptyText: string;
  onPick: (p: ProductView) => void;
}) {
  if (props.results.length === 0) return <div className="search-results empty">{props.emptyText}</div>;
  return (
    <ul className="search-results" role="listbox">
      {props.results.map((p, i) => (
        <li
          key={p.id}
          role="option"
          aria-selected={i === props.active}
          className={i === props.active ? 'active' : undefined}
          data-testid="search-result"
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
            {p.unit !== 'pcs' && `/${p.unit}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
