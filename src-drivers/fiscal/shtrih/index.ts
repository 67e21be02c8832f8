export { ShtrihRegistrar, markingResult, paymentSlots, type ShtrihOptions } from './registrar.js';
export { ShtrihLink, OutcomeUnknown, type LinkTiming, type Repeat } from './link.js';
export { SHTRIH_ERRORS, errorInfo, type ShtrihErrorInfo } from './errors.js';
export { DEFAULT_TAX_ROWS, taxByte, taxByteForRow, rowForTaxByte, type ShtrihModelFamily } from './vat.js';
export * from './frame.js';
