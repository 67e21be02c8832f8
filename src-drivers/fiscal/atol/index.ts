export { AtolRegistrar, type AtolRegistrarOptions } from './atol-registrar.js';
export { AtolWebClient, type AtolClientOptions } from './client.js';
export { ATOL_ERRORS, atolError, type AtolErrorInfo } from './errors.js';
export { receiptTask, ATOL_TAX } from './tasks.js';
