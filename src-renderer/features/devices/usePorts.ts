import { useCallback, useEffect, useState } from 'react';
import type { PortsView } from '../../../src-common/rpc/schemas.js';
import { useEvent } from '../../app/events.js';
import { call, errorText } from '../../app/rpc.js';

const POLL_MS = 2_000;

/**
 * The ports and devices found on this machine, while the device form is open. Asking is what makes
 * the till rescan a stale list (in the background), so the form keeps asking; a devices.changed
 * event with new ports answers sooner.
 */
export function usePorts(): { ports: PortsView | null; error: string | null } {
  const [ports, setPorts] = useState<PortsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    call('devices.ports', {}).then(
      (p) => {
        setPorts(p);
        setError(null);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEvent('devices.changed', ({ ports: changed }) => {
    if (changed) load();
  });
  return { ports, error };
}
