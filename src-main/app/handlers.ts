import type { MethodName } from '../../src-common/rpc/contract.js';
import { adminHandlers } from './admin.js';
import { catalogHandlers } from './catalog.js';
import { checkoutHandlers } from './checkout.js';
import { deviceHandlers } from './devices.js';
import type { Handlers } from './context.js';
import { fiscalHandlers } from './fiscal.js';
import { receiptTemplateHandlers } from './receipt-template.js';
import { returnHandlers } from './returns.js';
import { sessionHandlers } from './session.js';
import { importHandlers } from './imports.js';
import { labelHandlers } from './labels.js';
import { customerHandlers } from './customers.js';
import { loyaltyHandlers } from './loyalty-handlers.js';
import { smsDeps } from './sms-wiring.js';
import { smsHandlers } from './sms.js';
import { requireUser } from './context.js';
import { pricingHandlers } from './pricing.js';
import { shiftHandlers } from './shift.js';
import { stockHandlers } from './stock.js';
import { syncHandlers } from './sync.js';
import { systemHandlers } from './system.js';

/** Every method of the contract, each from its feature's handler file. A missing one is a type error. */
export const handlers: Handlers<MethodName> = {
  ...systemHandlers,
  ...sessionHandlers,
  ...catalogHandlers,
  ...checkoutHandlers,
  ...shiftHandlers,
  ...returnHandlers,
  ...adminHandlers,
  ...deviceHandlers,
  ...receiptTemplateHandlers,
  ...fiscalHandlers,
  ...syncHandlers,
  ...stockHandlers,
  ...importHandlers,
  ...pricingHandlers,
  ...customerHandlers,
  ...loyaltyHandlers,
  ...smsHandlers(smsDeps),
  'sms.emulated': (_p, ctx) => {
    requireUser(ctx, 'sale');
    return ctx.services.smsEmulated();
  },
  ...labelHandlers,
};
