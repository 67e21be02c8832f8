import { useEffect } from 'react';
import { create } from 'zustand';

/**
 * The customer dialog's open state. It lives here rather than in the app store's closed `Dialog`
 * union (which belongs to the checkout's own dialogs); CheckoutScreen treats it as a dialog too.
 */
export const useCustomerDialog = create<{ open: boolean; mode: 'find' | 'signUp' }>(() => ({ open: false, mode: 'find' }));

export function openCustomerDialog(mode: 'find' | 'signUp' = 'find'): void {
  useCustomerDialog.setState({ open: true, mode });
}

export function closeCustomerDialog(): void {
  useCustomerDialog.setState({ open: false, mode: 'find' });
}

/**
 * While a dialog of a back-office panel is open, Esc closes that dialog only: the screen's
 * "Esc goes back to selling" listener sees the key as handled. Capture phase, so it runs first.
 */
export function useHoldEscape(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.code === 'Escape') e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [active]);
}
