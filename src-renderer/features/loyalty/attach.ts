import type { ParamsIn } from '../../../src-common/rpc/contract.js';
import { attempt } from '../../app/rpc.js';
import { setReceipt, useApp } from '../../app/store.js';
import { closeCustomerDialog } from './loyalty-ui.js';

type BasketLoyaltyCommand = 'checkout.setCustomer' | 'checkout.redeemPoints' | 'checkout.applyCoupon';

/** A loyalty command on the basket: the answer is the new basket; a refusal is shown as a toast. */
export async function basketCommand<M extends BasketLoyaltyCommand>(method: M, params: ParamsIn<M>): Promise<boolean> {
  const r = await attempt(method, params);
  if (!r) return false;
  setReceipt(r);
  return true;
}

/** Alt+M at the till: spend as many points as this basket can take now (nothing without a customer). */
export async function spendMaxPoints(): Promise<boolean> {
  const l = useApp.getState().receipt?.loyalty;
  if (!l?.customerId || l.redeemable <= 0) return false;
  return basketCommand('checkout.redeemPoints', { points: l.redeemable });
}

/** The coupon field's id: Alt+K at the till puts the keyboard there. */
export const COUPON_INPUT_ID = 'loyalty-coupon-input';

/** Put the customer on the basket (one is opened when there is none) and close the customer dialog. */
export async function attachCustomer(customerId: string): Promise<boolean> {
  if (!(await basketCommand('checkout.setCustomer', { customerId }))) return false;
  closeCustomerDialog();
  return true;
}
