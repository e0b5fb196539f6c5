// A form for one record of a case (a residence permit, a proceeding, a claim …) made
// from a list of its fields: the labels, the error summary, the checks of what the
// browser can check (required, a whole number, an amount) and the server's answer by
// field, the idempotency key of a new record. The server decides all the same.
import { useId, useState } from 'preact/hooks';
import { fromMinor, toMinor, useT } from '../i18n';
import { Checkboxes, ErrorSummary, MultiSelect, Radios, SelectField, TextArea, TextField, formErrors, useIdempotencyKey, type FieldErrors, type Option } from './forms';
import { Notice } from './ui';

export type FieldValue = string | string[];
export type Values = Record<string, FieldValue>;

export interface FieldSpec {
  name: string;
  // number: a decimal such as 12.5 or 12,5; multiselect: several of a long list (the
  // directory), sent as the chosen values.
  kind: 'text' | 'textarea' | 'date' | 'integer' | 'number' | 'money' | 'select' | 'checkboxes' | 'multiselect' | 'yesno';
  label: string;
  hint?: string;
  required?: boolean;
  options?: Option[];
  // money: the field (of this form) holding the currency, or the currency itself.
  currency?: string;
  // multiselect: the label of the list to add one more from.
  addLabel?: string;
  // Shown, checked and sent only when this holds for the values as they stand.
  when?: (v: Values) => boolean;
}

interface RecordFormProps {
  title: string;
  fields: FieldSpec[];
  // The values to start from: a record's as read (see valuesOf), or defaults.
  initial?: Values;
  submitLabel: string;
  // 'create' sends every field with a value; 'patch' sends only the changed ones, an
  // emptied one as null (a JSON merge patch).
  mode?: 'create' | 'patch';
  submit: (body: Record<string, unknown>, headers: Record<string, string>) => Promise<unknown>;
  onDone?: (result: unknown) => void;
  onCancel?: () => void;
  doneMessage?: string;
  // A server field name -> the form's (as fieldErrorsOf takes it).
  alias?: Record<string, string>;
  // Checks across fields (parts that must add up, a choice that must be among
  // others), on the values of the fields shown, once each field has passed its own.
  check?: (v: Values) => FieldErrors;
}

const shownIn = (f: FieldSpec, v: Values) => !f.when || f.when(v);
const isEmpty = (x: FieldValue | undefined) => (Array.isArray(x) ? x.length === 0 : !x || !x.trim());
const isList = (f: FieldSpec) => f.kind === 'checkboxes' || f.kind === 'multiselect';

// A record as read from the server, as the form's values: numbers and booleans as the
// text their fields hold, money in the major unit, null as empty.
export function valuesOf(record: Record<string, unknown>, fields: FieldSpec[]): Values {
  const v: Values = {};
  for (const f of fields) {
    const x = record[f.name];
    if (isList(f)) v[f.name] = Array.isArray(x) ? (x as unknown[]).map(String) : [];
    else if (x === null || x === undefined) v[f.name] = '';
    else if (f.kind === 'yesno') v[f.name] = x ? 'yes' : 'no';
    else if (f.kind === 'money') v[f.name] = fromMinor(Number(x), currencyOf(f, record as Values));
    else v[f.name] = String(x);
  }
  return v;
}

function currencyOf(f: FieldSpec, v: Values): string {
  const c = f.currency ?? '';
  return typeof v[c] === 'string' ? (v[c] as string).trim().toUpperCase() : c;
}

export function RecordForm(p: RecordFormProps) {
  const T = useT();
  const prefix = useId();
  const mode = p.mode ?? 'create';
  const start = p.initial ?? {};
  const blank = () => Object.fromEntries(p.fields.map((f) => [f.name, isList(f) ? [] : ''])) as Values;
  const [values, setValues] = useState<Values>(() => ({ ...blank(), ...start }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  const key = useIdempotencyKey();
  const set = (name: string) => (x: FieldValue) => {
    setValues((v) => ({ ...v, [name]: x }));
    setDone(false);
  };
  const idOf = (name: string) => `${prefix}-${name}`;
  const shown = p.fields.filter((f) => shownIn(f, values));

  // The body to send and the problems the browser can see, by field name.
  const read = (): [Record<string, unknown>, FieldErrors] => {
    const body: Record<string, unknown> = {};
    const problems: FieldErrors = {};
    for (const f of shown) {
      const x = values[f.name];
      if (mode === 'patch' && JSON.stringify(x) === JSON.stringify(start[f.name] ?? (isList(f) ? [] : ''))) continue;
      if (isEmpty(x)) {
        if (f.required) problems[f.name] = isList(f) ? T('common:form.pick_some') : T('common:form.required');
        else if (mode === 'patch') body[f.name] = isList(f) ? [] : null;
        continue;
      }
      const text = Array.isArray(x) ? '' : x.trim();
      switch (f.kind) {
        case 'checkboxes':
        case 'multiselect':
          body[f.name] = x;
          break;
        case 'yesno':
          body[f.name] = text === 'yes';
          break;
        case 'integer':
          if (/^\d{1,9}$/.test(text)) body[f.name] = Number(text);
          else problems[f.name] = T('common:form.whole_number');
          break;
        case 'number':
          if (/^-?\d{1,12}([.,]\d{1,6})?$/.test(text.replace(/\s/g, ''))) body[f.name] = Number(text.replace(/\s/g, '').replace(',', '.'));
          else problems[f.name] = T('common:form.number');
          break;
        case 'money': {
          const minor = toMinor(text, currencyOf(f, values));
          if (minor === null) problems[f.name] = T('common:form.amount');
          else body[f.name] = minor;
          break;
        }
        default:
          body[f.name] = text;
      }
    }
    return [body, problems];
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const [body, problems] = read();
    if (!Object.keys(problems).length && p.check) {
      const shownValues = Object.fromEntries(shown.map((f) => [f.name, values[f.name]]));
      Object.assign(problems, p.check(shownValues));
    }
    setDone(false);
    if (Object.keys(problems).length) {
      setErrors(problems);
      return;
    }
    setErrors({});
    try {
      const result = await p.submit(body, key.headers());
      key.renew();
      if (mode === 'create' && !p.initial) setValues(blank());
      setDone(true);
      p.onDone?.(result);
    } catch (err) {
      setErrors(formErrors(err, p.fields.map((f) => f.name), p.alias));
    }
  };

  // The summary links to the fields by their ids in this form.
  const summary: FieldErrors = Object.fromEntries(Object.entries(errors).map(([k, m]) => [k === '_form' ? k : idOf(k), m]));
  const summaryLabels = Object.fromEntries(p.fields.map((f) => [idOf(f.name), f.label]));
  const yesNo: Option[] = [
    { value: 'yes', label: T('common:yes') },
    { value: 'no', label: T('common:no') },
  ];

  return (
    <section class="section record-form" aria-labelledby={`${prefix}--title`}>
      <h3 id={`${prefix}--title`}>{p.title}</h3>
      {done && p.doneMessage && <Notice kind="success">{p.doneMessage}</Notice>}
      <ErrorSummary errors={summary} labels={summaryLabels} />
      <form onSubmit={submit} noValidate>
        <div class="grid-2">
          {shown.map((f) => {
            const common = { id: idOf(f.name), hint: f.hint, error: errors[f.name] };
            const text = (values[f.name] as string) ?? '';
            switch (f.kind) {
              case 'select':
                return <SelectField key={f.name} {...common} label={f.label} value={text} onChange={set(f.name)} empty={T('common:choose')} options={f.options ?? []} />;
              case 'checkboxes':
                return (
                  <div class="grid-wide" key={f.name}>
                    <Checkboxes {...common} legend={f.label} options={f.options ?? []} values={values[f.name] as string[]} onChange={set(f.name)} />
                  </div>
                );
              case 'multiselect':
                return (
                  <div class="grid-wide" key={f.name}>
                    <MultiSelect {...common} legend={f.label} options={f.options ?? []} values={values[f.name] as string[]} onChange={set(f.name)} addLabel={f.addLabel ?? T('common:add')} />
                  </div>
                );
              case 'yesno':
                return <Radios key={f.name} {...common} legend={f.label} options={yesNo} value={text} onChange={set(f.name)} />;
              case 'textarea':
                return (
                  <div class="grid-wide" key={f.name}>
                    <TextArea {...common} label={f.label} value={text} onInput={set(f.name)} rows={3} />
                  </div>
                );
              case 'date':
                return <TextField key={f.name} {...common} type="date" label={f.label} value={text} onInput={set(f.name)} width="medium" />;
              case 'integer':
                return <TextField key={f.name} {...common} label={f.label} value={text} onInput={set(f.name)} width="short" inputMode="numeric" />;
              case 'number':
                return <TextField key={f.name} {...common} label={f.label} value={text} onInput={set(f.name)} width="short" inputMode="decimal" />;
              case 'money':
                return <TextField key={f.name} {...common} label={f.label} value={text} onInput={set(f.name)} width="medium" inputMode="decimal" />;
              default:
                return <TextField key={f.name} {...common} label={f.label} value={text} onInput={set(f.name)} />;
            }
          })}
        </div>
        <div class="button-row">
          <button type="submit" class="button">{p.submitLabel}</button>
          {p.onCancel && (
            <button type="button" class="button button--secondary" onClick={p.onCancel}>
              {T('common:cancel')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
