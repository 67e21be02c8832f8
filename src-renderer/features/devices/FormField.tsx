import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldError } from '../../ui/FieldError.js';

/**
 * A labelled field of the device form with its own message underneath. `error` is an i18n key
 * under devices.fieldErrors (from the form's checks, or the field the till named in a refusal).
 */
export function FormField(props: { label: string; error?: string | undefined; testId?: string; wide?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <label className={props.wide ? 'device-field device-form-wide' : 'device-field'}>
      <span>{props.label}</span>
      {props.children}
      {props.testId && <FieldError text={props.error ? t(`devices.fieldErrors.${props.error}`) : null} testId={props.testId} />}
    </label>
  );
}
