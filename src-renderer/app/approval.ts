import { PERMISSIONS, type Permission } from '../../src-common/rpc/schemas.js';
import { useApp, type ApprovalRequest } from './store.js';

/**
 * The manager-approval handshake between the RPC layer and the Approval dialog. A gated command
 * refused with approval_required asks here; the dialog settles the request with an approval id
 * (granted) or null (cancelled), and the command is re-sent with it.
 */
let pending: { id: number; resolve: (approvalId: string | null) => void } | null = null;
let ids = 0;

export function requestApproval(action: Permission, binding: string, retry: ApprovalRequest['retry']): Promise<string | null> {
  // One dialog at a time: a newer request abandons an older one.
  pending?.resolve(null);
  return new Promise((resolve) => {
    const id = ++ids;
    pending = { id, resolve };
    useApp.setState({ approval: { id, action, binding, retry } });
  });
}

/** The dialog's answer: the granted approval's id, or null when the cashier gave up. */
export function settleApproval(approvalId: string | null): void {
  const p = pending;
  pending = null;
  useApp.setState({ approval: null });
  p?.resolve(approvalId);
}

export function isPermission(x: unknown): x is Permission {
  return typeof x === 'string' && (PERMISSIONS as readonly string[]).includes(x);
}

/** What a binding ("cash_out:shift=3:amount=50000") says about the action, for the manager to read. */
export interface BindingFacts {
  /** A sum of money the action moves: cash out, a cancelled receipt's total, a refund, an amount discount. */
  amount: number | null;
  /** A new price (price override). */
  price: number | null;
  /** A percent discount, in basis points. */
  percentBp: number | null;
  /** A reduced quantity, thousandths: from → to. */
  qty: { from: number; to: number } | null;
  lineId: string | null;
  method: 'cash' | 'card' | null;
}

const int = (v: string | undefined): number | null => (v !== undefined && /^-?\d+$/.test(v) ? Number(v) : null);

export function bindingFacts(binding: string): BindingFacts {
  const fields = new Map<string, string>();
  for (const part of binding.split(':').slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const qty = /^(\d+)->(\d+)$/.exec(fields.get('qty') ?? '');
  const method = fields.get('method');
  return {
    amount: int(fields.get('amount')) ?? int(fields.get('total')),
    price: int(fields.get('price')),
    percentBp: int(fields.get('percent')),
    qty: qty ? { from: Number(qty[1]), to: Number(qty[2]) } : null,
    lineId: fields.get('line') ?? null,
    method: method === 'cash' || method === 'card' ? method : null,
  };
}
