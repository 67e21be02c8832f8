import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';
import { PERMISSIONS, type Permission, type Role } from '../../../src-common/rpc/schemas.js';
import { call, errorText } from '../../app/rpc.js';

type Matrix = { role: Role; permissions: Permission[] }[];

/** The permission matrix as the backend stores it: one checkbox per role and permission. */
export function RolesPanel(props: { editable: boolean }) {
  const { t } = useTranslation();
  const [matrix, setMatrix] = useState<Matrix>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    call('roles.matrix', {}).then(setMatrix, (e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  const toggle = async (role: Role, permission: Permission, granted: boolean) => {
    setError(null);
    try {
      await call('roles.set', { role, permission, granted });
    } catch (e) {
      setError(errorText(e));
    }
    load();
  };

  return (
    <section className="admin-panel" data-testid="admin-roles">
      <FieldError text={error} testId="admin-error" />
      <table className="admin-table matrix">
        <thead>
          <tr>
            <th />
            {matrix.map((m) => (
              <th key={m.role}>{t(`login.roles.${m.role}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PERMISSIONS.map((p) => (
            <tr key={p}>
              <th scope="row">{t(`admin.permissions.${p}`)}</th>
              {matrix.map((m) => (
                <td key={m.role}>
                  <input
                    type="checkbox"
                    aria-label={`${t(`login.roles.${m.role}`)}: ${t(`admin.permissions.${p}`)}`}
                    data-testid={`perm-${m.role}-${p}`}
                    checked={m.permissions.includes(p)}
                    disabled={!props.editable}
                    onChange={(e) => void toggle(m.role, p, e.target.checked)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
