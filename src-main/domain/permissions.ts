import type { Role } from '../../src-common/rpc/schemas.js';

export type Permission = 'sale' | 'discount' | 'price_override' | 'cancel_receipt' | 'settings';

/**
 * Who may do what. Checked in the backend for every command, never only in the UI.
 * (Till operations will make this matrix owner-editable data.)
 */
const MATRIX: Record<Permission, readonly Role[]> = {
  sale: ['owner', 'manager', 'senior_cashier', 'cashier'],
  discount: ['owner', 'manager', 'senior_cashier', 'cashier'],
  price_override: ['owner', 'manager', 'senior_cashier'],
  cancel_receipt: ['owner', 'manager', 'senior_cashier', 'cashier'],
  settings: ['owner', 'manager'],
};

export function can(role: Role, permission: Permission): boolean {
  return MATRIX[permission].includes(role);
}
