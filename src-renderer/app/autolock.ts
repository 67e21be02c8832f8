import { useEffect } from 'react';

/** How often a till in use tells the backend it is (its own idle lock counts RPCs, not keys). */
export const KEEPALIVE_MS = 60_000;
const CHECK_MS = 5_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Idle time as the cashier makes it: keys and pointer reset it. `due` says what is owed now: a
 * lock once `lockMs` pass with no activity (0 = never), or a keep-alive when there was activity
 * since the last one and KEEPALIVE_MS have passed.
 */
export class IdleClock {
  private lastActivity: number;
  private lastKeepAlive: number;
  constructor(
    private readonly lockMs: number,
    now: number,
  ) {
    this.lastActivity = now;
    this.lastKeepAlive = now;
  }

  touch(now: number): void {
    this.lastActivity = now;
  }

  due(now: number): 'lock' | 'keepalive' | null {
    if (this.lockMs > 0 && now - this.lastActivity >= this.lockMs) return 'lock';
    if (this.lastActivity > this.lastKeepAlive && now - this.lastKeepAlive >= KEEPALIVE_MS) {
      this.lastKeepAlive = now;
      return 'keepalive';
    }
    return null;
  }
}

/**
 * While `active` (someone is logged in), lock after `minutes` with no keyboard or pointer activity,
 * and keep the backend's session alive while the cashier is busy without making calls.
 */
export function useAutoLock(active: boolean, minutes: number, onLock: () => void, onKeepAlive: () => void): void {
  useEffect(() => {
    if (!active) return;
    const clock = new IdleClock(Math.max(0, minutes) * 60_000, Date.now());
    const touch = () => clock.touch(Date.now());
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, touch, { capture: true, passive: true });
    const timer = setInterval(() => {
      const due = clock.due(Date.now());
      if (due === 'lock') onLock();
      else if (due === 'keepalive') onKeepAlive();
    }, CHECK_MS);
    return () => {
      clearInterval(timer);
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, touch, { capture: true });
    };
  }, [active, minutes, onLock, onKeepAlive]);
}
