import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Logo } from '../../../src-common/rpc/schemas.js';
import { FieldError } from '../../ui/FieldError.js';
import { LogoCanvas } from './LogoCanvas.js';
import { bytesToBase64, ditherLogo, fitLogo } from './logo-dither.js';

/** Decode a PNG or JPEG, scale it to fit the paper and dither it to the printer's dots. */
async function logoFromFile(file: File): Promise<Logo> {
  const bitmap = await createImageBitmap(file);
  try {
    const { width, height } = fitLogo(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2d canvas');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    const packed = ditherLogo(ctx.getImageData(0, 0, width, height).data, width, height);
    return { width: packed.width, height: packed.height, bits: bytesToBase64(packed.bits) };
  } finally {
    bitmap.close();
  }
}

/** The store's logo: choose a picture, see the dots it becomes, or remove it. */
export function LogoPicker(props: { logo: Logo | null; unsaved: boolean; problem: string | null; onChange: (logo: Logo | null) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    try {
      props.onChange(await logoFromFile(file));
      setError(null);
    } catch {
      setError(t('receiptTemplate.logoBadFile'));
    }
  };
  return (
    <div className="template-logo" data-testid="template-logo">
      <strong>{t('receiptTemplate.logo')}</strong>
      <div className="logo-row">
        {props.logo ? (
          <>
            <LogoCanvas logo={props.logo} className="logo-canvas" testId="template-logo-canvas" />
            <span className="muted" data-testid="template-logo-size">
              {t('receiptTemplate.logoSize', { width: props.logo.width, height: props.logo.height })}
              {props.unsaved ? ` · ${t('receiptTemplate.logoUnsaved')}` : ''}
            </span>
            <button type="button" className="small danger" data-testid="template-logo-remove" onClick={() => props.onChange(null)}>
              {t('receiptTemplate.logoRemove')}
            </button>
          </>
        ) : (
          <span className="muted">{t('receiptTemplate.logoNone')}</span>
        )}
      </div>
      <label className="block">
        <span className="muted">{t('receiptTemplate.logoPick')}</span>
        <input
          type="file"
          accept="image/png,image/jpeg"
          data-testid="template-logo-input"
          onChange={(e) => {
            void pick(e.target.files?.[0]);
            // The same file chosen again is a new choice.
            e.target.value = '';
          }}
        />
      </label>
      <FieldError text={error ?? props.problem} testId="template-logo-error" />
    </div>
  );
}
