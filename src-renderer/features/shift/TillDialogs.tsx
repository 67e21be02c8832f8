import { useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { CashDialog } from './CashDialog.js';
import { CloseShiftDialog, OpenShiftDialog } from './ShiftDialogs.js';
import { TillMenu } from './TillMenu.js';

/** The till-operation dialogs: they open from the checkout, the shift-closed panel and the Z report. */
export function TillDialogs(props: { lang: Language }) {
  const dialog = useApp((s) => s.dialog);
  switch (dialog) {
    case 'tillMenu':
      return <TillMenu lang={props.lang} />;
    case 'openShift':
      return <OpenShiftDialog lang={props.lang} />;
    case 'closeShift':
      return <CloseShiftDialog lang={props.lang} />;
    case 'cashIn':
      return <CashDialog key="in" kind="in" lang={props.lang} />;
    case 'cashOut':
      return <CashDialog key="out" kind="out" lang={props.lang} />;
    default:
      return null;
  }
}
