import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseQty } from '../../../src-common/money.js';
import { call, errorText } from '../../app/rpc.js';
import { FieldError } from '../../ui/FieldError.js';

/** Demo: put a load on the emulated scale's pan, as a customer puts apples on a real one. */
export function EmulatedScaleLoad(props: { deviceId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const place = async () => {
    const kg = parseQty(text);
    if (kg === null) return setError(t('dialog.invalidNumber'));
    setError(null);
    try {
      await call('devices.emulatorLoad', { deviceId: props.deviceId, grams: kg });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <span className="scale-load">
      <label>
        {t('scale.load')}{' '}
        <input value={text} inputMode="decimal" size={7} data-testid="scale-load-input" onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void place()} />
      </label>
      <button className="small" data-testid="scale-load-place" onClick={() => void place()}>
        {t('scale.place')}
      </button>
      <FieldError text={error} testId="scale-load-error" />
    </span>
  );
}
