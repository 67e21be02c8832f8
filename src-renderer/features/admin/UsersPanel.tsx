import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import type { Role, UserAdminView } from '../../../src-common/rpc/schemas.js';
import { call, errorText } from '../../app/rpc.js';
import { useApp } from '../../app/store.js';

const ROLES: readonly Role[] = ['owner', 'manager', 'senior_cashier', 'cashier', 'stock_clerk'];

interface Draft {
  id?: number;
  name: string;
  role: Role;
  active: boolean;
  pin: string;
}

const EMPTY: Draft = { name: '', role: 'cashier', active: true, pin: '' };

/** Users of this till: add, rename, change role, deactivate, reset a PIN (which also clears a lockout). */
export function UsersPanel() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<UserAdminView[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    call('users.list', {}).then(setUsers, (e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const save = async () => {
    if (!draft) return;
    if (draft.name.trim() === '') return setError(t('admin.nameRequired'));
    if (draft.pin !== '' && !/^\d{4,8}$/.test(draft.pin)) return setError(t('admin.pinFormat'));
    if (draft.id === undefined && draft.pin === '') return setError(t('admin.pinRequired'));
    try {
      await call('users.save', {
        ...(draft.id !== undefined ? { id: draft.id } : {}),
        name: draft.name.trim(),
        role: draft.role,
        active: draft.active,
        ...(draft.pin !== '' ? { pin: draft.pin } : {}),
      });
      setDraft(null);
      setError(null);
      load();
      // The login screen lists active users: refresh it.
      useApp.setState({ users: await call('session.users', {}) });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="admin-panel" data-testid="admin-users">
      <table className="admin-table">
        <thead>
          <tr>
            <th>{t('admin.name')}</th>
            <th>{t('admin.role')}</th>
            <th>{t('admin.status')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr
              key={u.id}
              className={u.active ? '' : 'muted'}
              data-testid="admin-user-row"
              onClick={() => {
                setError(null);
                setDraft({ id: u.id, name: u.name, role: u.role, active: u.active, pin: '' });
              }}
            >
              <td>{u.name}</td>
              <td>{t(`login.roles.${u.role}`)}</td>
              <td>{!u.active ? t('admin.inactive') : u.lockedUntil > Date.now() ? t('admin.locked') : t('admin.active')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft ? (
        <div className="admin-form" data-testid="admin-user-form">
          <label>
            {t('admin.name')}
            <input value={draft.name} maxLength={60} data-testid="admin-user-name" onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          </label>
          <label>
            {t('admin.role')}
            <select value={draft.role} data-testid="admin-user-role" onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`login.roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {draft.id === undefined ? t('admin.pin') : t('admin.newPin')}
            <input
              value={draft.pin}
              inputMode="numeric"
              type="password"
              maxLength={8}
              data-testid="admin-user-pin"
              onChange={(e) => setDraft({ ...draft, pin: e.target.value.replace(/\D/g, '') })}
            />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={draft.active} data-testid="admin-user-active" onChange={(e) => setDraft({ ...draft, active: e.target.checked })} />
            {t('admin.active')}
          </label>
          <FieldError text={error} testId="admin-error" />
          <div className="dialog-actions">
            <button onClick={() => setDraft(null)}>{t('admin.cancel')}</button>
            <button className="primary" data-testid="admin-user-save" onClick={() => void save()}>
              {t('admin.save')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <FieldError text={error} testId="admin-error" />
          <button className="primary" data-testid="admin-user-add" onClick={() => setDraft({ ...EMPTY })}>
            {t('admin.addUser')}
          </button>
        </>
      )}
    </section>
  );
}
