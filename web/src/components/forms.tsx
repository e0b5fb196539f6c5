// Form fields after the GOV.UK Design System's patterns: a label for every field, a
// hint under it, the error message between label and control, and an error summary at
// the top of the form that links to each field in trouble.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey } from '../api';
import { formatDate, t, useT } from '../i18n';

export type FieldErrors = Record<string, string>;

// The server's messages about one field's value that the catalogs translate (errors.field.*),
// with what the message names (a date, a number); any other is shown as the server words it.
const FIELD_MESSAGES: Array<[RegExp, string, (m: RegExpExecArray) => Record<string, string>]> = [
  [/^is in the future($|:)/, 'errors.field.future', () => ({})],
  [/^is before the case was identified$/, 'errors.field.before_identified', () => ({})],
  [/^is before the admission/, 'errors.field.before_admission', () => ({})],
  [/^is required/, 'errors.field.required', () => ({})],
  [/^is before .* \((\d{4}-\d{2}-\d{2})\)$/, 'errors.field.before_date', (m) => ({ date: formatDate(m[1]) })],
  [/^must be after the decision$/, 'errors.field.after_decision', () => ({})],
  [/^must be at least (\d+)$/, 'errors.field.at_least', (m) => ({ n: m[1] })],
  [/^no such organisation/, 'errors.field.no_such_organisation', () => ({})],
  [/^no organisation \d+$/, 'errors.field.no_such_organisation', () => ({})],
  [/^is before starts_on$/, 'errors.field.before_start', () => ({})],
  [/^is not after period_start$/, 'errors.field.after_start', () => ({})],
  [/^is outside the plan's period \((\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})\)$/, 'errors.field.outside_period', (m) => ({ from: formatDate(m[1]), to: formatDate(m[2]) })],
  [/^adds up to (\d+), not to the (\d+) participants/, 'errors.field.age_sum', (m) => ({ sum: m[1], total: m[2] })],
  [/^name at least one/, 'errors.field.pick_some', () => ({})],
  [/^names the same one twice$/, 'errors.field.twice', () => ({})],
  [/^must be written without spaces/, 'errors.field.no_spaces', () => ({})],
  [/^names organisation \d+, which is responsible already$/, 'errors.field.partner_responsible', () => ({})],
  [/^is neither a responsible body nor a partner/, 'errors.field.not_named_by_measure', () => ({})],
  [/^must not be negative$/, 'errors.field.negative', () => ({})],
];

// The text to show for an error from the server: the common catalog's for its code (or
// for its message about a field), else the server's own.
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'invalid_field') {
      for (const [re, key, options] of FIELD_MESSAGES) {
        const m = re.exec(e.message);
        if (m) return t(key, options(m));
      }
    }
    const translated = t(`errors.${e.code}`, { defaultValue: '' });
    return translated || e.message;
  }
  if (e instanceof TypeError) return t('errors.network');
  return e instanceof Error ? e.message : String(e);
}

// A server error that names a field becomes that field's message: the field as the
// server names it (or its last part), or through `alias` (server name -> form field;
// '_form' for the summary only).
export function fieldErrorsOf(e: unknown, known: string[], alias: Record<string, string> = {}): FieldErrors | null {
  if (e instanceof ApiError && e.field) {
    if (alias[e.field]) return { [alias[e.field]]: errorText(e) };
    const field = known.find((k) => e.field === k || e.field!.startsWith(`${k}.`) || e.field!.startsWith(`${k}[`) || e.field!.endsWith(`.${k}`));
    if (field) return { [field]: errorText(e) };
  }
  return null;
}

// A key per form, kept across retries of the same submission so that a double click or
// a resend after a lost answer records it once; `renew` after success or a change.
export function useIdempotencyKey() {
  const key = useRef(newIdempotencyKey());
  return { headers: () => ({ 'Idempotency-Key': key.current }), renew: () => (key.current = newIdempotencyKey()) };
}

// What a form shows for a failed submission: by its field, else in the summary.
export function formErrors(e: unknown, known: string[], alias: Record<string, string> = {}): FieldErrors {
  return fieldErrorsOf(e, known, alias) ?? { _form: errorText(e) };
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id} class="field__label">
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="field__hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} class="field__error">
          <span class="visually-hidden">{t('common:error')}: </span>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

interface InputProps {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  hint?: string;
  error?: string;
  type?: 'text' | 'password' | 'date' | 'number' | 'email' | 'tel' | 'search';
  autocomplete?: string;
  required?: boolean;
  width?: 'short' | 'medium' | 'full';
  min?: string;
  max?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
}

export function TextField(p: InputProps) {
  return (
    <Field id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <input
        id={p.id}
        name={p.id}
        class={`input input--${p.width ?? 'full'}`}
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        autocomplete={p.autocomplete ?? 'off'}
        spellcheck={false}
        required={p.required}
        min={p.min}
        max={p.max}
        inputMode={p.inputMode}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
      />
    </Field>
  );
}

interface TextAreaProps {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  hint?: string;
  error?: string;
  rows?: number;
}

export function TextArea(p: TextAreaProps) {
  return (
    <Field id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <textarea
        id={p.id}
        name={p.id}
        class="input input--full"
        rows={p.rows ?? 4}
        value={p.value}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        onInput={(e) => p.onInput((e.target as HTMLTextAreaElement).value)}
      />
    </Field>
  );
}

export interface Option {
  value: string;
  label: string;
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (v: string) => void;
  hint?: string;
  error?: string;
  // The text of the empty first choice; none: no empty choice.
  empty?: string;
}

export function SelectField(p: SelectProps) {
  return (
    <Field id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <select
        id={p.id}
        name={p.id}
        class="input select"
        value={p.value}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)}
      >
        {p.empty !== undefined && <option value="">{p.empty}</option>}
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

interface CheckboxesProps {
  id: string;
  legend: string;
  options: Option[];
  values: string[];
  onChange: (v: string[]) => void;
  hint?: string;
  error?: string;
}

// The frame of a group of choices (checkboxes, radios): a fieldset whose legend is the
// question, the hint and the error under it, then the choices.
function ChoiceGroup(p: { id: string; legend: string; hint?: string; error?: string; children: ComponentChildren }) {
  return (
    <fieldset id={p.id} class={`field fieldset${p.error ? ' field--error' : ''}`} aria-describedby={describedBy(p.id, p.hint, p.error)}>
      <legend class="field__label">{p.legend}</legend>
      {p.hint && (
        <div id={`${p.id}-hint`} class="field__hint">
          {p.hint}
        </div>
      )}
      {p.error && (
        <p id={`${p.id}-error`} class="field__error">
          {p.error}
        </p>
      )}
      <div class="checkboxes">{p.children}</div>
    </fieldset>
  );
}

export function Checkboxes(p: CheckboxesProps) {
  const toggle = (v: string, on: boolean) =>
    p.onChange(on ? [...p.values, v] : p.values.filter((x) => x !== v));
  return (
    <ChoiceGroup id={p.id} legend={p.legend} hint={p.hint} error={p.error}>
        {p.options.map((o) => (
          <div class="checkbox" key={o.value}>
            <input
              id={`${p.id}-${o.value}`}
              type="checkbox"
              checked={p.values.includes(o.value)}
              onChange={(e) => toggle(o.value, (e.target as HTMLInputElement).checked)}
            />
            <label for={`${p.id}-${o.value}`}>{o.label}</label>
          </div>
        ))}
    </ChoiceGroup>
  );
}

interface MultiSelectProps {
  id: string;
  legend: string;
  options: Option[];
  values: string[];
  onChange: (v: string[]) => void;
  // The label of the list to add one more from ("Add an organiser").
  addLabel: string;
  hint?: string;
  error?: string;
}

// Several choices from a long list (the organisations of the directory): the ones
// chosen, each with its own remove button, and a list with an Add button for one more.
// A select that added on change would add with every arrow key in some browsers.
export function MultiSelect(p: MultiSelectProps) {
  const T = useT();
  const [pick, setPick] = useState('');
  const select = useRef<HTMLSelectElement>(null);
  const labelOf = (v: string) => p.options.find((o) => o.value === v)?.label ?? v;
  const left = p.options.filter((o) => !p.values.includes(o.value));
  const add = () => {
    if (!pick || p.values.includes(pick)) return;
    p.onChange([...p.values, pick]);
    setPick('');
  };
  const remove = (v: string) => {
    p.onChange(p.values.filter((x) => x !== v));
    select.current?.focus();
  };
  return (
    <fieldset
      id={p.id}
      class={`field fieldset${p.error ? ' field--error' : ''}`}
      aria-describedby={describedBy(p.id, p.hint, p.error)}
    >
      <legend class="field__label">{p.legend}</legend>
      {p.hint && (
        <div id={`${p.id}-hint`} class="field__hint">
          {p.hint}
        </div>
      )}
      {p.error && (
        <p id={`${p.id}-error`} class="field__error">
          {p.error}
        </p>
      )}
      {p.values.length > 0 ? (
        <ul class="choices">
          {p.values.map((v) => (
            <li key={v} class="choices__item">
              <span>{labelOf(v)}</span>
              <button type="button" class="button--link choices__remove" onClick={() => remove(v)}>
                {T('common:remove')}
                <span class="visually-hidden"> {labelOf(v)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="choices__none muted">{T('common:none_chosen')}</p>
      )}
      <div class="choices__add">
        <label for={`${p.id}-add`} class="choices__add-label">
          {p.addLabel}
        </label>
        <div class="choices__add-row">
          <select
            id={`${p.id}-add`}
            ref={select}
            class="input select"
            value={pick}
            onChange={(e) => setPick((e.target as HTMLSelectElement).value)}
          >
            <option value="">{T('common:choose')}</option>
            {left.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <button type="button" class="button button--secondary" onClick={add}>
            {T('common:add')}
          </button>
        </div>
      </div>
    </fieldset>
  );
}

interface RadiosProps {
  id: string;
  legend: string;
  options: Option[];
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  error?: string;
}

// One choice of a few, all in view (yes / no).
export function Radios(p: RadiosProps) {
  return (
    <ChoiceGroup id={p.id} legend={p.legend} hint={p.hint} error={p.error}>
        {p.options.map((o) => (
          <div class="checkbox" key={o.value}>
            <input
              id={`${p.id}-${o.value}`}
              type="radio"
              name={p.id}
              value={o.value}
              checked={p.value === o.value}
              onChange={() => p.onChange(o.value)}
            />
            <label for={`${p.id}-${o.value}`}>{o.label}</label>
          </div>
        ))}
    </ChoiceGroup>
  );
}

// The summary at the top of a form; it takes the focus (and comes into view) each time a
// submission sets errors, so that a screen reader announces them and the keyboard user
// starts from there. Forms set a new errors object per submission.
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels: Record<string, string> }) {
  const T = useT();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const entries = Object.entries(errors);
  useEffect(() => {
    if (entries.length) ref.current?.focus();
  }, [errors]);
  if (!entries.length) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <h2 id={titleId} class="error-summary__title">
        {T('common:there_is_a_problem')}
      </h2>
      <ul class="error-summary__list">
        {entries.map(([field, message]) => (
          <li key={field}>
            {field === '_form' ? (
              message
            ) : (
              <a href={`#${field}`} onClick={(e) => focusField(e, field)}>
                {labels[field] ? `${labels[field]}: ` : ''}
                {message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function focusField(e: Event, field: string) {
  e.preventDefault();
  const el = document.getElementById(field);
  el?.focus();
  el?.scrollIntoView({ block: 'center' });
}
