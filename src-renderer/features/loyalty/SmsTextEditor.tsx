import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SMS_PLACEHOLDERS, type SmsPreview, type SmsTextKind } from '../../../src-common/sms-schemas.js';
import { call } from '../../app/rpc.js';
import { FieldError } from '../../ui/FieldError.js';
import { countSms, insertPlaceholder, type SmsCount } from './sms-text.js';

const PREVIEW_DEBOUNCE_MS = 300;

/** What a text costs, counted as the owner types: encoding, characters of a part's limit, parts, and a warning past the maximum. */
export function SmsCounter(props: { count: SmsCount; testId: string }) {
  const { t } = useTranslation();
  const c = props.count;
  return (
    <div
      className={c.tooLong || c.unknown.length > 0 ? 'sms-counter over' : 'sms-counter'}
      data-testid={props.testId}
      data-encoding={c.encoding}
      data-units={c.units}
      data-per-segment={c.perSegment}
      data-segments={c.segments}
      data-too-long={c.tooLong}
    >
      <span className="sms-encoding" data-testid={`${props.testId}-encoding`}>
        {t(`loyalty.sms.counter.${c.encoding}`)}
      </span>
      <span data-testid={`${props.testId}-chars`}>{t('loyalty.sms.counter.chars', { units: c.units, perSegment: c.perSegment })}</span>
      <strong data-testid={`${props.testId}-parts`}>{t('loyalty.sms.counter.parts', { count: c.segments })}</strong>
      {c.segments > 0 && <span className="muted">{t('loyalty.sms.counter.left', { remaining: c.remaining })}</span>}
      {c.encoding === 'ucs2' && c.nonGsm.length > 0 && (
        <span className="muted" data-testid={`${props.testId}-non-gsm`}>
          {t('loyalty.sms.counter.nonGsm', { chars: c.nonGsm.slice(0, 5).join(' ') })}
        </span>
      )}
      {c.tooLong && (
        <span className="warn-text" role="alert" data-testid={`${props.testId}-too-long`}>
          {t('loyalty.sms.counter.tooLong', { max: c.maxSegments })}
        </span>
      )}
      {c.unknown.length > 0 && (
        <span className="warn-text" data-testid={`${props.testId}-unknown`}>
          {t('loyalty.sms.counter.unknown', { list: c.unknown.map((u) => `{${u}}`).join(', ') })}
        </span>
      )}
    </div>
  );
}

/** `sms.preview` of a text, asked again a moment after the typing stops; null until the first answer. */
function usePreview(text: string, kind: SmsTextKind): SmsPreview | null {
  const [preview, setPreview] = useState<SmsPreview | null>(null);
  useEffect(() => {
    let alive = true;
    const timer = setTimeout(() => {
      call('sms.preview', { text, kind }).then(
        (p) => alive && setPreview(p),
        () => alive && setPreview(null),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [text, kind]);
  return preview;
}

/**
 * An SMS text being written: the textarea, the placeholders this kind may use as chips (a click
 * puts one at the caret), what kind of message it is (service or advertising), the live count on
 * the sample customer's text, and the text as `sms.preview` renders it.
 */
export function SmsTextEditor(props: {
  kind: SmsTextKind;
  value: string;
  onChange: (text: string) => void;
  sample: Readonly<Record<string, string>>;
  maxSegments: number;
  testId: string;
  label: string;
  disabled?: boolean;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const { kind, testId } = props;
  const area = useRef<HTMLTextAreaElement | null>(null);
  const caret = useRef<number | null>(null);
  const count = countSms(props.value, kind, props.sample, props.maxSegments);
  const preview = usePreview(props.value, kind);
  // After a chip: the caret goes back after what it inserted, once React has the new text in place.
  useEffect(() => {
    if (caret.current === null || !area.current) return;
    area.current.focus();
    area.current.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [props.value]);

  const insert = (name: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? props.value.length;
    const end = el?.selectionEnd ?? start;
    const next = insertPlaceholder(props.value, start, end, name);
    caret.current = next.caret;
    props.onChange(next.text);
  };

  return (
    <div className="sms-editor" data-testid={testId} data-kind={kind} data-purpose={count.purpose}>
      <label className="sms-editor-label">
        <span>{props.label}</span>
        <textarea
          ref={area}
          rows={3}
          maxLength={1000}
          className={props.error ? 'invalid' : undefined}
          data-testid={`${testId}-text`}
          value={props.value}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </label>
      <FieldError text={props.error ?? null} testId={`${testId}-error`} />
      <div className="sms-editor-meta">
        <span className="chips sms-chips" aria-label={t('loyalty.sms.templates.placeholders')}>
          {SMS_PLACEHOLDERS[kind].map((name) => (
            <button
              key={name}
              type="button"
              className="small sms-chip"
              data-testid={`${testId}-chip-${name}`}
              title={t(`loyalty.sms.placeholders.${name}`, { defaultValue: name })}
              disabled={props.disabled}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insert(name)}
            >
              {`{${name}}`}
            </button>
          ))}
        </span>
        <span className={`sms-purpose ${count.purpose}`} data-testid={`${testId}-purpose`} data-purpose={count.purpose}>
          {t(`loyalty.sms.purpose.${count.purpose}`)}
        </span>
      </div>
      <SmsCounter count={count} testId={`${testId}-counter`} />
      <div className="sms-preview">
        <small className="muted">{t('loyalty.sms.templates.preview')}</small>
        <p className="sms-bubble" data-testid={`${testId}-preview`}>
          {preview ? preview.text || t('loyalty.sms.templates.previewEmpty') : '…'}
        </p>
      </div>
    </div>
  );
}
