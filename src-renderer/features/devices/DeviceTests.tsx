import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceTestResult, DeviceView } from '../../../src-common/rpc/schemas.js';
import { quantity } from '../../app/format.js';
import { currentLanguage } from '../../i18n/index.js';
import { ApprovalCancelled, command, errorText } from '../../app/rpc.js';
import { printerHasDrawer } from './device-form.js';

type TestAction = 'print' | 'drawer' | 'weigh' | 'display';

/** A code a scanner read while the screen was open (scanner.scan). */
export interface ScannedCode {
  code: string;
  symbology: string | null;
  at: number;
}

/** The checks a device kind offers: a printer prints, a drawer opens, a scale weighs, a display shows. */
export function testsFor(d: DeviceView): TestAction[] {
  switch (d.kind) {
    case 'printer':
      return printerHasDrawer(d.options) ? ['print', 'drawer'] : ['print'];
    case 'label':
      return ['print'];
    case 'drawer':
      return ['drawer'];
    case 'scale':
      return ['weigh'];
    case 'display':
      return ['display'];
    default:
      return [];
  }
}

/** The device's test buttons and what the last test answered (the till's own words). */
export function DeviceTests(props: { device: DeviceView }) {
  const { t } = useTranslation();
  const [running, setRunning] = useState<TestAction | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const describe = (r: DeviceTestResult): string => {
    const weight = r.grams === null ? '' : quantity(r.grams, 'kg', currentLanguage());
    const text = props.device.kind === 'label' && r.result === 'queued' ? t('labels.device.testQueued') : t(`devices.testResult.${r.result}`, { weight });
    return r.detail ? `${text}: ${r.detail}` : text;
  };
  const run = async (action: TestAction) => {
    setRunning(action);
    setResult(null);
    try {
      const r = await command('devices.test', { deviceId: props.device.id, action });
      setResult({ ok: r.ok, message: describe(r) });
    } catch (e) {
      if (!(e instanceof ApprovalCancelled)) setResult({ ok: false, message: errorText(e) });
    } finally {
      setRunning(null);
    }
  };
  const actions = testsFor(props.device);
  if (actions.length === 0) return null;
  return (
    <div className="device-tests">
      {actions.map((a) => (
        <button key={a} className="small" disabled={running !== null} data-testid={`device-test-${a}`} onClick={() => void run(a)}>
          {props.device.kind === 'label' && a === 'print' ? t('labels.device.test') : t(`devices.test.${a}`)}
        </button>
      ))}
      {running && <span className="muted">{t('devices.test.running')}</span>}
      {result && (
        <span className={result.ok ? 'device-test-result ok' : 'device-test-result bad'} role="status" data-testid="device-test-result" data-ok={result.ok}>
          {result.ok ? '✓' : '✗'} {result.message}
        </span>
      )}
    </div>
  );
}

/** A scanner's test: scan anything, and the codes it read show up here (newest first). */
export function ScanTest(props: { codes: readonly ScannedCode[] }) {
  const { t } = useTranslation();
  return (
    <div className="scan-test" data-testid="device-scan-test">
      <strong>{t('devices.test.scanTitle')}</strong> <span className="muted">{t('devices.test.scanHint')}</span>
      {props.codes.length === 0 ? (
        <p className="muted">{t('devices.test.scanEmpty')}</p>
      ) : (
        <ol className="scan-codes">
          {props.codes.map((c) => (
            <li key={`${c.at}-${c.code}`} data-testid="device-scan-code">
              <code>{c.code}</code>
              {c.symbology && <span className="muted"> {c.symbology}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
