import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { dateTimeFormat } from '../../app/format.js';
import { attempt } from '../../app/rpc.js';
import { openReturns, showToast, useMyPermissions, useApp, type Dialog as DialogName } from '../../app/store.js';
import { i18n, type Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';

const close = () => useApp.setState({ dialog: 'none' });

/** Show the X report of the open shift; in fiscal mode the registrar prints its own as well. */
export async function showXReport(): Promise<void> {
  const report = await attempt('reports.x', {});
  if (!report) return;
  useApp.setState({ report, screen: 'report', dialog: 'none', completed: null });
  await attempt('fiscal.xReport', {});
}

/** Open the cash drawer with no sale (gated: a cashier needs a manager's approval). */
async function noSale(): Promise<void> {
  close();
  const ok = await attempt('shift.noSale', {});
  // Read when the answer comes, in the language showing then.
  if (ok) showToast(i18n.t('till.drawerOpened'), 'info');
}

interface Item {
  key: string;
  testId: string;
  label: string;
  run: () => void;
  danger?: boolean;
  /** Usable with no shift open. */
  always?: boolean;
}

/** The till operations (F10): cash in and out, returns, X report, no sale, close the shift. */
export function TillMenu(props: { lang: Language }) {
  const { t } = useTranslation();
  const shift = useApp((s) => s.shift);
  const open = (d: DialogName) => useApp.setState({ dialog: d });
  const items: Item[] = [
    { key: '1', testId: 'till-cash-in', label: t('till.cashIn'), run: () => open('cashIn') },
    { key: '2', testId: 'till-cash-out', label: t('till.cashOut'), run: () => open('cashOut') },
    { key: '3', testId: 'till-return', label: t('till.returns'), run: () => openReturns() },
    { key: '4', testId: 'till-x-report', label: t('till.xReport'), run: () => void showXReport() },
    { key: '5', testId: 'till-no-sale', label: t('till.noSale'), run: () => void noSale() },
    { key: '6', testId: 'till-close-shift', label: t('till.closeShift'), run: () => open('closeShift'), danger: true },
  ];
  const mine = useMyPermissions();
  items.push({
    key: '8',
    testId: 'till-devices',
    label: t('devices.menu'),
    run: () => useApp.setState({ screen: 'devices', dialog: 'none', completed: null }),
    always: true,
  });
  if (mine.includes('stock')) {
    items.push({
      key: '9',
      testId: 'till-stock',
      label: t('stock.menu'),
      run: () => useApp.setState({ screen: 'stock', dialog: 'none', completed: null }),
      always: true,
    });
  }
  if (mine.includes('users_manage') || mine.includes('roles_manage') || mine.includes('audit_view') || mine.includes('settings') || mine.includes('loyalty_manage')) {
    items.push({
      key: '7',
      testId: 'till-admin',
      label: t('admin.menu'),
      run: () => useApp.setState({ screen: 'admin', dialog: 'none', completed: null }),
      always: true,
    });
  }

  // Digits pick an item (1–6), like the labels say.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code);
      const item = m ? items.find((i) => i.key === m[1]) : undefined;
      if (!item || e.ctrlKey || e.altKey || e.metaKey) return;
      e.preventDefault();
      item.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const time = dateTimeFormat(props.lang);
  return (
    <Dialog title={t('till.menu')} onClose={close} testId="till-menu">
      {shift && (
        <p className="muted" data-testid="till-shift-info">
          {t('till.shiftInfo', { number: shift.number, time: time.format(shift.openedAt), name: shift.openedBy })}
        </p>
      )}
      <div className="menu-list">
        {items.map((i, n) => (
          <button key={i.key} autoFocus={n === 0} className={i.danger ? 'danger' : undefined} data-testid={i.testId} disabled={!shift && !i.always} onClick={i.run}>
            <kbd>{i.key}</kbd>
            <span className="grow">{i.label}</span>
          </button>
        ))}
      </div>
    </Dialog>
  );
}
