import { useEffect } from 'react';
import { onEvent } from './events.js';
import { WedgeDetector } from './wedge.js';

/** Marks the one text field a scanner burst may land in (the main scan/search input). */
export const SCAN_TARGET_ATTR = 'data-scan-target';

/** A text field of a dialog (cash, quantity, discount) owns the keyboard: bursts there are typing. */
function isOtherTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement) || target.hasAttribute(SCAN_TARGET_ATTR)) return false;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target.isContentEditable;
}

/**
 * Listens for scans wherever focus is, while `onScan` is set: keyboard-wedge bursts, and codes from
 * the till's serial and HID scanners. Runs in the capture
 * phase on window and swallows the Enter that ends a burst, so no button or screen handler sees it.
 */
export function useWedgeScanner(onScan: ((code: string, enterAt: number) => void) | null): void {
  useEffect(() => {
    if (!onScan) return;
    const detector = new WedgeDetector();
    const onKey = (e: KeyboardEvent) => {
      if (isOtherTextField(e.target)) {
        detector.reset();
        return;
      }
      const code = detector.feed(e);
      if (code === null) return;
      e.preventDefault();
      e.stopPropagation();
      onScan(code, e.timeStamp);
    };
    window.addEventListener('keydown', onKey, true);
    // A serial or HID scanner attached to the till reads in the main process; its scans arrive as
    // events and go exactly where a wedge scan would.
    const offDevice = onEvent('scanner.scan', ({ code }) => onScan(code, performance.now()));
    return () => {
      window.removeEventListener('keydown', onKey, true);
      offDevice();
    };
  }, [onScan]);
}
