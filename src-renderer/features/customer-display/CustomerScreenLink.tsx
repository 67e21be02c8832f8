import { useTranslation } from 'react-i18next';
import { customerViewUrl } from './url.js';

/** One named window: a second click brings the same customer screen back instead of opening another. */
const WINDOW_NAME = 'lavka-customer-screen';

/**
 * "Customer screen": opens the customer-facing view in a new browser window, to be dragged onto
 * the second monitor. Browser mode only: Electron refuses window.open and opens that window itself
 * on a second display (src-main/electron/customer-window.ts), so there this renders nothing.
 */
export function CustomerScreenLink() {
  const { t } = useTranslation();
  if (window.lavkaIpc) return null;
  const open = (): void => {
    window.open(customerViewUrl(location.href), WINDOW_NAME, 'popup,width=1024,height=600,noopener');
  };
  return (
    <button className="small" data-testid="customer-screen-open" title={t('customerScreen.openHint')} onClick={open}>
      {t('customerScreen.open')}
    </button>
  );
}
