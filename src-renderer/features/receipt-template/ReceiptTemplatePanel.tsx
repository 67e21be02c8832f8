import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RpcError } from '../../../src-common/rpc/client.js';
import type { Result } from '../../../src-common/rpc/contract.js';
import type { Logo } from '../../../src-common/rpc/schemas.js';
import { ApprovalCancelled, call, command, errorText } from '../../app/rpc.js';
import { showToast } from '../../app/store.js';
import { FieldError } from '../../ui/FieldError.js';
import { LogoCanvas } from './LogoCanvas.js';
import { LogoPicker } from './LogoPicker.js';
import { CODE_KINDS, MAX_LINE_CHARS, MAX_LINES, checkLines, draftOf, templateOf, textToLines, type TemplateDraft } from './template-draft.js';

const PREVIEW_DELAY_MS = 300;

type View = Result<'receipt.template'>;
/** The logo as edited: the stored one, a new picture, or removed. */
type LogoEdit = { kind: 'kept' } | { kind: 'new'; logo: Logo } | { kind: 'removed' };
type Part = 'header' | 'footer' | 'logo';
/** A refusal, shown under the part it names or under the form. */
type Refusal = { text: string; field: Part | null };

/** Which part the till's refusal names ("template.footer.2", "footer", "logo", "showLogo"), if any. */
function refusedPart(e: unknown): Part | null {
  if (!(e instanceof RpcError) || !['template_invalid', 'validation', 'input_too_long'].includes(e.code)) return null;
  const path = typeof e.details?.field === 'string' ? e.details.field : '';
  if (/(^|\.)header(\.|$)/.test(path)) return 'header';
  if (/(^|\.)footer(\.|$)/.test(path)) return 'footer';
  return /(^|\.)(logo|showLogo)(\.|$)/.test(path) ? 'logo' : null;
}

/** The till's words for a refusal of a part: the editor's own sentence where it has one. */
function refusalText(e: unknown, part: Part | null, t: (key: string) => string): string {
  if (part === 'logo' && e instanceof RpcError && e.details?.reason === 'no_logo') return t('receiptTemplate.logoMissing');
  if (part === 'logo' && e instanceof RpcError && e.details?.reason === 'bad_image') return t('receiptTemplate.logoBadFile');
  return errorText(e);
}

/**
 * The receipt layout the owner adjusts: header and footer lines, which parts print, the code at
 * the end, the logo; with a live preview of a sample receipt as the printer would lay it out.
 */
export function ReceiptTemplatePanel() {
  const { t } = useTranslation();
  const [view, setView] = useState<View | null>(null);
  const [draft, setDraft] = useState<TemplateDraft | null>(null);
  const [logoEdit, setLogoEdit] = useState<LogoEdit>({ kind: 'kept' });
  const [preview, setPreview] = useState<string[]>([]);
  const [error, setError] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    call('receipt.template', {}).then(
      (v) => {
        setView(v);
        setDraft(draftOf(v.template));
        setLogoEdit({ kind: 'kept' });
        setError(null);
      },
      (e: unknown) => setError({ text: errorText(e), field: null }),
    );
  }, []);
  useEffect(load, [load]);

  const logo = logoEdit.kind === 'new' ? logoEdit.logo : logoEdit.kind === 'removed' ? null : (view?.logo ?? null);
  const headerProblem = draft ? checkLines(draft.header) : null;
  const footerProblem = draft ? checkLines(draft.footer) : null;
  const logoMissing = draft !== null && draft.showLogo && !logo;
  const valid = draft !== null && !headerProblem && !footerProblem;

  // The preview follows the typing, a moment after it stops.
  useEffect(() => {
    if (!draft || !valid) return;
    let current = true;
    const timer = setTimeout(() => {
      call('receipt.preview', { template: templateOf(draft) }).then(
        (p) => current && setPreview(p.lines),
        (e: unknown) => {
          const part = refusedPart(e);
          if (current) setError({ text: refusalText(e, part, t), field: part });
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, valid]);

  if (!view || !draft) {
    return (
      <section className="admin-panel" data-testid="admin-receipt">
        {error ? <FieldError text={error.text} testId="template-error" /> : <p className="muted">{t('receiptTemplate.loading')}</p>}
      </section>
    );
  }

  const dirty = logoEdit.kind !== 'kept' || JSON.stringify(templateOf(draft)) !== JSON.stringify(templateOf(draftOf(view.template)));
  const set = (patch: Partial<TemplateDraft>) => {
    setDraft({ ...draft, ...patch });
    setError(null);
  };

  const discard = () => {
    setDraft(draftOf(view.template));
    setLogoEdit({ kind: 'kept' });
    setError(null);
  };

  const save = async () => {
    if (!valid || logoMissing) return;
    setBusy(true);
    try {
      await command('receipt.templateSave', {
        template: templateOf(draft),
        ...(logoEdit.kind === 'new' ? { logo: logoEdit.logo } : logoEdit.kind === 'removed' ? { logo: null } : {}),
      });
      showToast(t('receiptTemplate.saved'), 'info');
      load();
    } catch (e) {
      if (e instanceof ApprovalCancelled) return;
      const part = refusedPart(e);
      setError({ text: refusalText(e, part, t), field: part });
    } finally {
      setBusy(false);
    }
  };

  const lines = (which: 'header' | 'footer') => {
    const problem = which === 'header' ? headerProblem : footerProblem;
    const message = problem ? t(`receiptTemplate.${problem.key}`, problem.values) : error?.field === which ? error.text : null;
    return (
      <label className="block">
        <span>{t(`receiptTemplate.${which}`)}</span>
        <textarea
          rows={4}
          value={draft[which]}
          className={message ? 'invalid' : undefined}
          data-testid={`template-${which}`}
          onChange={(e) => set({ [which]: e.target.value })}
        />
        <span className="muted template-hint">
          {t('receiptTemplate.linesHint', { used: textToLines(draft[which]).length, lines: MAX_LINES, chars: MAX_LINE_CHARS })}
        </span>
        <FieldError text={message} testId={`template-${which}-error`} />
      </label>
    );
  };

  return (
    <section className="admin-panel" data-testid="admin-receipt">
      <div className="template-editor">
        <div className="template-fields">
          {lines('header')}
          {lines('footer')}
          <fieldset>
            <legend>{t('receiptTemplate.show')}</legend>
            <label>
              <input type="checkbox" checked={draft.showCashier} data-testid="template-show-cashier" onChange={(e) => set({ showCashier: e.target.checked })} />
              {t('receiptTemplate.showCashier')}
            </label>
            <label>
              <input type="checkbox" checked={draft.showVat} data-testid="template-show-vat" onChange={(e) => set({ showVat: e.target.checked })} />
              {t('receiptTemplate.showVat')}
            </label>
            <label>
              <input type="checkbox" checked={draft.showLogo} data-testid="template-show-logo" onChange={(e) => set({ showLogo: e.target.checked })} />
              {t('receiptTemplate.showLogo')}
            </label>
          </fieldset>
          <fieldset role="radiogroup">
            <legend>{t('receiptTemplate.code')}</legend>
            {CODE_KINDS.map((c) => (
              <label key={c}>
                <input type="radio" name="receipt-code" value={c} checked={draft.code === c} data-testid={`template-code-${c}`} onChange={() => set({ code: c })} />
                {t(`receiptTemplate.codes.${c}`)}
              </label>
            ))}
          </fieldset>
          <LogoPicker
            logo={logo}
            unsaved={logoEdit.kind === 'new'}
            problem={logoMissing ? t('receiptTemplate.logoMissing') : error?.field === 'logo' ? error.text : null}
            onChange={(l) => {
              setLogoEdit(l ? { kind: 'new', logo: l } : view.logo ? { kind: 'removed' } : { kind: 'kept' });
              // A logo chosen is meant to be printed; with none there is nothing to print.
              set({ showLogo: l !== null });
            }}
          />
          <FieldError text={error && !error.field ? error.text : null} testId="template-error" />
          <div className="dialog-actions">
            <button type="button" disabled={!dirty || busy} data-testid="template-cancel" onClick={discard}>
              {t('receiptTemplate.cancel')}
            </button>
            <button type="button" className="primary" disabled={!dirty || !valid || logoMissing || busy} data-testid="template-save" onClick={() => void save()}>
              {t('receiptTemplate.save')}
            </button>
          </div>
        </div>
        <div className="template-preview">
          <h3>{t('receiptTemplate.preview', { width: view.width })}</h3>
          <div className="paper" style={{ width: `calc(${view.width}ch + 26px)` }}>
            {draft.showLogo && logo && <LogoCanvas logo={logo} className="paper-logo" />}
            <pre className="template-preview-text" data-testid="template-preview">
              {preview.join('\n')}
            </pre>
          </div>
        </div>
      </div>
    </section>
  );
}
