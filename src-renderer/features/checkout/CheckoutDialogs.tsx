import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { MethodName, ParamsIn, Result } from '../../../src-common/rpc/contract.js';
import type { ReceiptView } from '../../../src-common/rpc/schemas.js';
import { bareQuantity, money, moneyInput, quantity } from '../../app/format.js';
import { ApprovalCancelled, attempt, command, reportError } from '../../app/rpc.js';
import { setReceipt, useApp } from '../../app/store.js';
import type { Language } from '../../i18n/index.js';
import { Dialog } from '../../ui/Dialog.js';
import { ParkedDialog } from '../parked/ParkedDialog.js';
import { PaymentDialog } from '../payment/PaymentDialog.js';
import { AmountDialog } from './AmountDialog.js';
import { DiscountDialog } from './DiscountDialog.js';

/** The methods that answer with the updated receipt. */
type ReceiptCommand = { [M in MethodName]: ReceiptView extends Result<M> ? M : never }[MethodName];

const close = () => useApp.setState({ dialog: 'none', pendingProduct: null });

/**
 * Run a receipt command from a dialog (through the approval flow when the cashier's role needs a
 * manager for it). On success the dialog closes; when the cashier abandons the approval, or on a
 * refusal that retyping cannot fix (no permission, receipt gone), it closes too; otherwise it stays
 * open to correct.
 */
async function run<M extends ReceiptCommand>(method: M, params: ParamsIn<M>, select: 'last' | 'keep' = 'keep'): Promise<void> {
  try {
    const r = (await command(method, params)) as ReceiptView;
    setReceipt(r, select);
    close();
  } catch (e) {
    if (e instanceof ApprovalCancelled) {
      close();
      return;
    }
    reportError(e);
    if (e instanceof RpcError && ['forbidden', 'receipt_not_open', 'not_found', 'unauthenticated'].includes(e.code)) close();
  }
}

/** The live weight on the scale, and the button that sells at it (Enter with nothing typed does the same). */
function ScaleWeight(props: { lang: Language; onTake: () => void }) {
  const { t } = useTranslation();
  const weight = useApp((s) => s.weight);
  const grams = weight?.grams ?? null;
  const shown = grams === null ? '—' : `${bareQuantity(grams, props.lang)} ${t('checkout.kg')}`;
  const state = weight?.state ?? 'unavailable';
  return (
    <div className="scale-weight" data-testid="scale-panel" data-state={state}>
      <span className="scale-figure" data-testid="scale-weight">
        {shown}
      </span>
      <span className="muted">{t(`scale.${state}`)}</span>
      <button className="primary" data-testid="scale-take" disabled={state !== 'stable'} onMouseDown={(e) => e.preventDefault()} onClick={props.onTake}>
        {t('scale.take')} <kbd>Enter</kbd>
      </button>
    </div>
  );
}

export function CheckoutDialogs(props: { lang: Language }) {
  const { t } = useTranslation();
  const { lang } = props;
  const info = useApp((s) => s.info);
  const receipt = useApp((s) => s.receipt);
  const dialog = useApp((s) => s.dialog);
  const pending = useApp((s) => s.pendingProduct);
  const selectedLineId = useApp((s) => s.selectedLineId);
  const selected = receipt?.lines.find((l) => l.id === selectedLineId) ?? null;

  switch (dialog) {
    case 'none':
    case 'tillMenu':
    case 'openShift':
    case 'closeShift':
    case 'cashIn':
    case 'cashOut':
      // The till-operation dialogs are TillDialogs'.
      return null;
    case 'qty':
      return selected ? (
        <AmountDialog
          title={`${t('checkout.setQty')}, ${t(`checkout.${selected.unit}`)} — ${selected.name}`}
          mode={selected.unit === 'pcs' ? 'qty-pcs' : 'qty-kg'}
          initial={quantity(selected.qty, selected.unit, lang)}
          lang={lang}
          onClose={close}
          onApply={(qty) => void run('checkout.setQty', { lineId: selected.id, qty })}
        />
      ) : null;
    case 'price':
      return selected ? (
        <AmountDialog
          title={`${t('checkout.setPrice')} — ${selected.name}`}
          mode="price"
          initial={moneyInput(selected.price, info, lang)}
          lang={lang}
          onClose={close}
          onApply={(price) => void run('checkout.overridePrice', { lineId: selected.id, price })}
        />
      ) : null;
    case 'weighedQty':
      return pending ? (
        <AmountDialog
          title={t('checkout.weighedQtyFor', { name: lang === 'en' && pending.nameAlt ? pending.nameAlt : pending.name })}
          mode="qty-kg"
          initial=""
          lang={lang}
          onClose={close}
          onApply={(qty) => void run('checkout.addProduct', { productId: pending.id, qty }, 'last')}
          {...(info?.scale
            ? {
                extra: <ScaleWeight lang={lang} onTake={() => void run('checkout.addProduct', { productId: pending.id, fromScale: true }, 'last')} />,
                onEmpty: () => void run('checkout.addProduct', { productId: pending.id, fromScale: true }, 'last'),
              }
            : {})}
        />
      ) : null;
    case 'lineDiscount':
      return selected ? (
        <DiscountDialog
          title={`${t('checkout.lineDiscount')} — ${selected.name}`}
          testId="discount-dialog"
          current={selected.discount}
          lang={lang}
          onClose={close}
          onApply={(discount) => void run('checkout.setLineDiscount', { lineId: selected.id, discount })}
        />
      ) : null;
    case 'receiptDiscount':
      return (
        <DiscountDialog
          title={t('checkout.receiptDiscount')}
          testId="discount-dialog"
          current={receipt?.discount ?? null}
          lang={lang}
          onClose={close}
          onApply={(discount) => void run('checkout.setReceiptDiscount', { discount })}
        />
      );
    case 'payment':
      return <PaymentDialog lang={lang} onClose={close} />;
    case 'parked':
      return <ParkedDialog lang={lang} onClose={close} />;
    case 'cancel':
      return (
        <Dialog title={t('checkout.confirmCancel')} onClose={close} testId="cancel-dialog">
          <p className="big-text">{money(receipt?.total ?? 0, info, lang, true)}</p>
          <div className="dialog-actions">
            <button data-testid="cancel-dismiss" onClick={close}>
              {t('checkout.no')} <kbd>Esc</kbd>
            </button>
            <button
              className="danger"
              data-testid="cancel-confirm"
              autoFocus
              onClick={() =>
                void attempt('checkout.cancel', {}).then((ok) => {
                  if (ok) setReceipt(null);
                  close();
                })
              }
            >
              {t('checkout.yes')} <kbd>Enter</kbd>
            </button>
          </div>
        </Dialog>
      );
    default: {
      const never: never = dialog;
      return never;
    }
  }
}
