import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../i18n/index.js';
import { CouponsPanel } from './CouponsPanel.js';
import { CustomersPanel } from './CustomersPanel.js';
import { MessagesPanel } from './MessagesPanel.js';
import { ProgrammePanel } from './ProgrammePanel.js';

/** Messages (SMS): settings, templates, campaigns and the send log. */
const MESSAGES_READY = true;
type Section = 'customers' | 'programme' | 'coupons' | 'messages';
const SECTIONS: readonly Section[] = ['customers', 'programme', 'coupons', ...(MESSAGES_READY ? (['messages'] as const) : [])];

/** Admin → Loyalty (`loyalty_manage`): customers and their data, the programme's rules, coupons, SMS to customers. */
export function LoyaltyScreen(props: { lang: Language }) {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>('customers');
  return (
    <div className="admin-stack loyalty-screen" data-testid="admin-loyalty">
      <div className="segmented loyalty-sections" role="tablist">
        {SECTIONS.map((s) => (
          <button key={s} role="tab" aria-selected={section === s} className={section === s ? 'on' : ''} data-testid={`loyalty-tab-${s}`} onClick={() => setSection(s)}>
            {t(`loyalty.tabs.${s}`)}
          </button>
        ))}
      </div>
      {section === 'customers' && <CustomersPanel lang={props.lang} />}
      {section === 'programme' && <ProgrammePanel lang={props.lang} />}
      {section === 'coupons' && <CouponsPanel lang={props.lang} />}
      {section === 'messages' && <MessagesPanel lang={props.lang} />}
    </div>
  );
}
