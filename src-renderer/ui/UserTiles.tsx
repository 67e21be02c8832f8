import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../src-common/rpc/schemas.js';

const keepFocus = (e: MouseEvent) => e.preventDefault();

/** Big name-and-role tiles to pick a user by touch (login, manager approval); focus stays on the PIN. */
export function UserTiles(props: { users: readonly UserView[]; selectedId: number | null; onChoose: (id: number) => void; testIdPrefix: string; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={props.compact ? 'user-tiles compact' : 'user-tiles'}>
      {props.users.map((u) => (
        <button
          key={u.id}
          className={u.id === props.selectedId ? 'tile selected' : 'tile'}
          aria-pressed={u.id === props.selectedId}
          data-testid={`${props.testIdPrefix}${u.id}`}
          onMouseDown={keepFocus}
          onClick={() => props.onChoose(u.id)}
        >
          <span className="tile-name">{u.name}</span>
          <span className="tile-role">{t(`login.roles.${u.role}`)}</span>
        </button>
      ))}
    </div>
  );
}
