import { z } from 'zod';

/** Who works at the till (the roles are fixed; what each may do is data: the permission matrix). */
export const ROLES = ['owner', 'manager', 'senior_cashier', 'cashier', 'stock_clerk'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Everything a role may be allowed; the backend checks each command against the matrix. */
export const PERMISSIONS = [
  'sale',
  'discount',
  'discount_over_limit',
  'price_override',
  'void_line',
  'cancel_receipt',
  'return',
  'return_no_receipt',
  'no_sale',
  'cash_in',
  'cash_out',
  'shift_open',
  'shift_close',
  'report_x',
  'audit_view',
  'users_manage',
  'roles_manage',
  'settings',
  /** Receive deliveries, count stock, see stock levels and costs. */
  'stock',
  /** Set retail prices (when posting a delivery, or a price change). */
  'prices_manage',
  /** Set the loyalty programme, coupons and message templates; correct points; export or erase a customer; send campaigns. */
  'loyalty_manage',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;
