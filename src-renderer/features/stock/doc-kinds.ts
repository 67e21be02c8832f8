import type { StockDocView } from '../../../src-common/rpc/schemas.js';

type Kind = StockDocView['kind'];

/** The i18n keys that name each kind of stock document, and what posting one says. */
export const DOC_TITLE: Record<Kind, string> = {
  order: 'stock.orderTitle',
  receiving: 'stock.receivingTitle',
  count: 'stock.countTitle',
  writeoff: 'stock.writeoffTitle',
  transfer_out: 'stock.transferOutTitle',
  transfer_in: 'stock.transferInTitle',
};
export const DOC_POSTED: Record<Kind, string> = {
  order: 'stock.postedOrder',
  receiving: 'stock.postedReceiving',
  count: 'stock.postedCount',
  writeoff: 'stock.postedWriteoff',
  transfer_out: 'stock.postedTransferOut',
  transfer_in: 'stock.postedTransferIn',
};
export const DOC_POST_HINT: Record<Kind, string> = {
  order: 'stock.postOrderHint',
  receiving: 'stock.postReceivingHint',
  count: 'stock.postCountHint',
  writeoff: 'stock.postWriteoffHint',
  transfer_out: 'stock.postTransferOutHint',
  transfer_in: 'stock.postTransferInHint',
};
