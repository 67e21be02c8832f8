export * from './units.js';
export * from './money.js';
export * from './errors.js';
export * from './clock.js';
export * from './barcode.js';
