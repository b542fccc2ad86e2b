// The admins' form for a printer: name, technology, the materials it prints, build volume (mm) and
// status. The same form adds a printer and edits one.
import { Button, TextField, useI18n } from '@fabline/ui';
import type { PrinterStatus, PrinterSummaryFragment, PrintTechnology } from '@fabline/ui/operations';
import { type FormEvent, useId } from 'react';

export interface PrinterFormValues {
  name: string;
  technology: PrintTechnology;
  materials: string[];
  buildVolume: { xMm: number; yMm: number; zMm: number };
  status: PrinterStatus;
}

const TECHNOLOGIES: readonly PrintTechnology[] = ['FDM', 'SLA', 'SLS'];
const STATUSES: readonly PrinterStatus[] = ['IDLE', 'PRINTING', 'MAINTENANCE'];

export function PrinterForm({
  printer,
  materials,
  submitLabel,
  busy,
  onSubmit,
}: {
  printer?: PrinterSummaryFragment;
  materials: readonly string[];
  submitLabel: string;
  busy: boolean;
  onSubmit(values: PrinterFormValues, form: HTMLFormElement): void;
}) {
  const { t } = useI18n();
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSubmit(
      {
        name: String(form.get('name') ?? '').trim(),
        technology: String(form.get('technology')) as PrintTechnology,
        materials: form.getAll('materials').map(String),
        buildVolume: { xMm: Number(form.get('x')), yMm: Number(form.get('y')), zMm: Number(form.get('z')) },
        status: String(form.get('status')) as PrinterStatus,
      },
      event.currentTarget,
    );
  };
  const select = 'rounded-md border border-border bg-surface px-2 py-2 text-fg';
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <TextField label={t('printer.name')} name="name" required maxLength={100} defaultValue={printer?.name} />
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t('printer.technology')}
          <select name="technology" defaultValue={printer?.technology ?? 'FDM'} className={select}>
            {TECHNOLOGIES.map((technology) => (
              <option key={technology} value={technology}>
                {t(`technology.${technology}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t('printer.status')}
          <select name="status" defaultValue={printer?.status ?? 'IDLE'} className={select}>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`printerStatus.${status}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-sm font-medium">{t('printer.materials')}</legend>
        {materials.map((code) => (
          <label key={code} className="flex items-center gap-1 text-sm">
            <input type="checkbox" name="materials" value={code} defaultChecked={printer?.materials.some((m) => m.code === code)} />
            {code}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-sm font-medium">{t('printer.buildVolume')}</legend>
        {(['x', 'y', 'z'] as const).map((axis) => (
          <div key={axis} className="flex flex-col gap-1">
            <label htmlFor={`${id}-${axis}`} className="text-sm">
              {t(`printer.axis.${axis}`)}
            </label>
            <input
              id={`${id}-${axis}`}
              name={axis}
              type="number"
              min={1}
              max={5000}
              step={1}
              required
              defaultValue={printer?.buildVolume[`${axis}Mm`]}
              className="w-24 rounded-md border border-border bg-surface px-2 py-1.5 text-fg"
            />
          </div>
        ))}
      </fieldset>
      <Button type="submit" disabled={busy} className="self-start">
        {submitLabel}
      </Button>
    </form>
  );
}
