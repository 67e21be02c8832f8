import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { UserTiles } from '../../ui/UserTiles.js';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { UserView } from '../../../src-common/rpc/schemas.js';
import { bindingFacts, settleApproval } from '../../app/approval.js';
import { bareQuantity, money, quantity } from '../../app/format.js';
import { call, errorText, reportError } from '../../app/rpc.js';
import { useApp, type ApprovalRequest } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Numpad } from '../../ui/Numpad.js';

const MAX_PIN = 12;
/** Who usually approves, first: the preselected tile when no one approved yet in this window. */
const ROLE_ORDER = ['manager', 'owner', 'senior_cashier', 'cashier', 'stock_clerk'];
let lastApproverId: number | null = null;

function defaultApprover(users: UserView[]): number | null {
  if (lastApproverId !== null && users.some((u) => u.id === lastApproverId)) return lastApproverId;
  const sorted = [...users].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  return sorted[0]?.id ?? null;
}

/**
 * A manager approves one gated action of the cashier with their PIN: pick who approves (anyone but
 * the cashier), type the PIN, and the command that was refused is sent again with the approval.
 * Keys typed here stay here (the checkout's hotkeys and the scanner do not see them).
 */
export function ApprovalDialog(props: { request: ApprovalRequest; lang: Language }) {
  const { t } = useTranslation();
  const { request, lang } = props;
  const info = useApp((s) => s.info);
  const me = useApp((s) => s.user);
  const receipt = useApp((s) => s.receipt);
  const matrix = useApp((s) => s.matrix);
  // Only those whose role holds the permission can approve it (the backend refuses anyone else);
  // until the matrix is known, everyone but the cashier is offered.
  const users = useApp((s) => s.users).filter(
    (u) => u.id !== me?.id && (matrix.length === 0 || (matrix.find((m) => m.role === u.role)?.permissions.includes(request.action) ?? false)),
  );
  const [userId, setUserId] = useState<number | null>(() => defaultApprover(users));
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approver = users.find((u) => u.id === userId) ?? null;

  const facts = bindingFacts(request.binding);
  const line = facts.lineId ? (receipt?.lines.find((l) => l.id === facts.lineId) ?? null) : null;
  const m = (a: number) => money(a, info, lang, true);

  const cancel = () => {
    if (!busy) settleApproval(null);
  };
  const edit = (v: string) => {
    setError(null);
    setPin(v.replace(/\D/g, '').slice(0, MAX_PIN));
  };
  const choose = (id: number) => {
    setUserId(id);
    setPin('');
    setError(null);
  };

  const submit = async () => {
    if (busy || userId === null || pin === '') return;
    setBusy(true);
    try {
      const granted = await call('approvals.grant', { action: request.action, binding: request.binding, userId, pin });
      lastApproverId = userId;
      settleApproval(granted.approvalId);
    } catch (e) {
      setPin('');
      if (e instanceof RpcError && e.code === 'unauthenticated') {
        settleApproval(null);
        reportError(e);
      } else if (e instanceof RpcError && e.code === 'forbidden') {
        setError(t('approval.approverForbidden', { name: approver?.name ?? '' }));
      } else if (e instanceof RpcError && e.code === 'approval_invalid') {
        setError(t('approval.self'));
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  };

  // Every key pressed in the dialog is the dialog's: none reaches the screens' window listeners.
  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void submit();
    }
  };
  const keepFocus = (e: React.MouseEvent) => e.preventDefault();

  return (
    <div className="overlay approval-overlay" onKeyDown={onKeyDown}>
      <div className="dialog wide" role="dialog" aria-modal="true" aria-label={t('approval.title')} data-testid="approval-dialog" data-action={request.action}>
        <header className="dialog-head">
          <h2>{t('approval.title')}</h2>
          <button className="icon" onMouseDown={keepFocus} onClick={cancel} aria-label={t('approval.cancel')}>
            ✕ <kbd>Esc</kbd>
          </button>
        </header>
        <div className="approval-what">
          <strong data-testid="approval-action">{t(`approval.actions.${request.action}`, { defaultValue: request.action })}</strong>
          {line && (
            <span data-testid="approval-subject">
              {line.name} · {m(line.amount)}
              {facts.qty && (
                <>
                  {' '}
                  · {quantity(facts.qty.from, line.unit, lang)} → {quantity(facts.qty.to, line.unit, lang)} {t(`checkout.${line.unit}`)}
                </>
              )}
            </span>
          )}
          {!line && facts.qty && (
            <span data-testid="approval-subject">
              {bareQuantity(facts.qty.from, lang)} → {bareQuantity(facts.qty.to, lang)}
            </span>
          )}
          {facts.amount !== null && (
            <span className="approval-figure" data-testid="approval-amount">
              {t('approval.amount')}: <strong>{m(facts.amount)}</strong>
            </span>
          )}
          {facts.price !== null && (
            <span className="approval-figure" data-testid="approval-amount">
              {t('approval.price')}: <strong>{m(facts.price)}</strong>
            </span>
          )}
          {facts.percentBp !== null && (
            <span className="approval-figure" data-testid="approval-amount">
              {t('approval.percent')}: <strong>{new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-US', { maximumFractionDigits: 2 }).format(facts.percentBp / 100)} %</strong>
            </span>
          )}
          {facts.method && <span data-testid="approval-method">{t(`approval.method.${facts.method}`)}</span>}
        </div>
        {request.retry && (
          <div className="field-error" role="alert" data-testid="approval-retry">
            {t(`approval.retry.${request.retry}`)}
          </div>
        )}
        <div className="approval-grid">
          <section>
            <h3>{t('approval.approver')}</h3>
            <UserTiles users={users} selectedId={userId} onChoose={choose} testIdPrefix="approval-user-" compact />
          </section>
          <section className="pin">
            <h3>{approver ? t('login.enterPinFor', { name: approver.name }) : t('approval.chooseApprover')}</h3>
            <input
              className="big-input pin-input"
              autoFocus
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              aria-label={t('login.enterPin')}
              data-testid="approval-pin"
              value={pin}
              readOnly={busy}
              onChange={(e) => edit(e.target.value)}
            />
            <div className="pin-message" role="alert" data-testid="approval-error">
              {error}
            </div>
            <Numpad value={pin} onChange={edit} testIdPrefix="approval-key" />
            <div className="dialog-actions">
              <button data-testid="approval-cancel" onMouseDown={keepFocus} onClick={cancel}>
                {t('approval.cancel')} <kbd>Esc</kbd>
              </button>
              <button
                className="primary"
                data-testid="approval-submit"
                disabled={busy || userId === null || pin === ''}
                onMouseDown={keepFocus}
                onClick={() => void submit()}
              >
                {t('approval.submit')} <kbd>Enter</kbd>
              </button>
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}
