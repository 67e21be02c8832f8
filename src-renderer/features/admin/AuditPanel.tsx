import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import type { AuditEntry, UserView } from '../../../src-common/rpc/schemas.js';
import { dateTimeFormat } from '../../app/format.js';
import { call, errorText } from '../../app/rpc.js';
import type { Language } from '../../i18n/index.js';

/** Action families the filter offers; "shift" matches shift.open and shift.close. */
const FAMILIES = ['login', 'override', 'line', 'receipt', 'price', 'sale', 'return', 'cash', 'drawer', 'shift', 'user', 'settings', 'sync'] as const;
const PAGE = 100;

interface Verify {
  entries: number;
  brokenAt: number | null;
  /** Which check this is (1, 2, …): a repeated check shows as a new result. */
  n: number;
}

function dayStart(date: string): number | undefined {
  return date ? new Date(`${date}T00:00:00`).getTime() : undefined;
}

/** The audit log, newest first, filtered by user, action and date; and the chain check. */
export function AuditPanel(props: { lang: Language; users: UserView[] }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState<number | ''>('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [verify, setVerify] = useState<Verify | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fmt = dateTimeFormat(props.lang, { dateStyle: 'short', timeStyle: 'medium' });

  const load = useCallback(
    async (beforeSeq?: number) => {
      setError(null);
      const toMs = dayStart(to);
      try {
        const page = await call('audit.list', {
          limit: PAGE,
          ...(userId !== '' ? { userId } : {}),
          ...(action ? { action } : {}),
          ...(from ? { from: dayStart(from) } : {}),
          ...(toMs !== undefined ? { to: toMs + 86_400_000 } : {}),
          ...(beforeSeq !== undefined ? { beforeSeq } : {}),
        });
        setRows((prev) => (beforeSeq === undefined ? page : [...prev, ...page]));
        setMore(page.length === PAGE);
      } catch (e) {
        setError(errorText(e));
      }
    },
    [userId, action, from, to],
  );
  useEffect(() => void load(), [load]);

  const check = async () => {
    try {
      const r = await call('audit.verify', {});
      setVerify((prev) => ({ entries: r.entries, brokenAt: r.brokenAt, n: (prev?.n ?? 0) + 1 }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="admin-panel" data-testid="admin-audit">
      <div className="admin-filters">
        <select value={userId} data-testid="audit-filter-user" onChange={(e) => setUserId(e.target.value ? Number(e.target.value) : '')}>
          <option value="">{t('admin.allUsers')}</option>
          {props.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <select value={action} data-testid="audit-filter-action" onChange={(e) => setAction(e.target.value)}>
          <option value="">{t('admin.allActions')}</option>
          {FAMILIES.map((f) => (
            <option key={f} value={f}>
              {t(`admin.actions.${f}`)}
            </option>
          ))}
        </select>
        <label>
          {t('admin.from')} <input type="date" value={from} data-testid="audit-filter-from" onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('admin.to')} <input type="date" value={to} data-testid="audit-filter-to" onChange={(e) => setTo(e.target.value)} />
        </label>
        <span className="spacer" />
        <button data-testid="audit-verify" onClick={() => void check()}>
          {t('admin.verify')}
        </button>
      </div>
      {verify && (
        <div className={verify.brokenAt === null ? 'notice ok' : 'notice alarm'} role="status" data-testid="audit-verify-result" data-check={verify.n}>
          {verify.brokenAt === null ? t('admin.chainIntact', { entries: verify.entries }) : t('admin.chainBroken', { seq: verify.brokenAt })}
        </div>
      )}
      <FieldError text={error} testId="admin-error" />
      <table className="admin-table audit">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('admin.when')}</th>
            <th>{t('admin.who')}</th>
            <th>{t('admin.what')}</th>
            <th>{t('admin.details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} data-testid="audit-row" className={verify?.brokenAt === r.seq ? 'alarm' : ''}>
              <td>{r.seq}</td>
              <td>{fmt.format(r.at)}</td>
              <td>{r.user ?? '—'}</td>
              <td data-testid="audit-action">{r.action}</td>
              <td className="details">{r.details === '{}' ? '' : r.details}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <button data-testid="audit-more" onClick={() => void load(rows[rows.length - 1]?.seq)}>
          {t('admin.more')}
        </button>
      )}
    </section>
  );
}
