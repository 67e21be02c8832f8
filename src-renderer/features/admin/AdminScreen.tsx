import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useEscapeToCheckout, useMyPermissions } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { FiscalAlarmsPanel } from '../fiscal/FiscalAlarmsPanel.js';
import { FiscalSettingsPanel } from '../fiscal/FiscalSettingsPanel.js';
import { LoyaltyScreen } from '../loyalty/LoyaltyScreen.js';
import { ReceiptTemplatePanel } from '../receipt-template/ReceiptTemplatePanel.js';
import { SyncPanel } from '../sync/SyncPanel.js';
import { AuditPanel } from './AuditPanel.js';
import { RolesPanel } from './RolesPanel.js';
import { UsersPanel } from './UsersPanel.js';

type Tab = 'users' | 'roles' | 'receipt' | 'fiscal' | 'sync' | 'audit' | 'loyalty';

/**
 * The owner's and manager's back office on the till: users, the role matrix, the receipt layout,
 * fiscal settings, the head office link and the audit log.
 * Tabs appear by permission; the backend checks every call again.
 */
export function AdminScreen(props: { lang: Language; onClose: () => void }) {
  const { t } = useTranslation();
  const permissions = useMyPermissions();
  const users = useApp((s) => s.users);
  const tabs: Tab[] = [
    ...(permissions.includes('users_manage') ? (['users'] as const) : []),
    'roles',
    ...(permissions.includes('settings') ? (['receipt', 'fiscal', 'sync'] as const) : []),
    ...(permissions.includes('audit_view') ? (['audit'] as const) : []),
    ...(permissions.includes('loyalty_manage') ? (['loyalty'] as const) : []),
  ];
  const [tab, setTab] = useState<Tab>(tabs[0] ?? 'roles');
  useEscapeToCheckout();
  return (
    <main className="admin-screen" data-testid="admin-screen">
      <header className="admin-head">
        <div className="segmented" role="tablist">
          {tabs.map((x) => (
            <button key={x} role="tab" aria-selected={tab === x} className={tab === x ? 'on' : ''} data-testid={`admin-tab-${x}`} onClick={() => setTab(x)}>
              {t(`admin.tabs.${x}`)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <button data-testid="admin-close" onClick={props.onClose}>
          {t('admin.back')} <kbd>Esc</kbd>
        </button>
      </header>
      {tab === 'users' && <UsersPanel />}
      {tab === 'roles' && <RolesPanel editable={permissions.includes('roles_manage')} />}
      {tab === 'receipt' && <ReceiptTemplatePanel />}
      {tab === 'fiscal' && (
        <div className="admin-stack">
          <FiscalAlarmsPanel lang={props.lang} />
          <FiscalSettingsPanel />
        </div>
      )}
      {tab === 'sync' && <SyncPanel lang={props.lang} />}
      {tab === 'audit' && <AuditPanel lang={props.lang} users={users} />}
      {tab === 'loyalty' && <LoyaltyScreen lang={props.lang} />}
    </main>
  );
}
