// Register a person and a case: a guided form with each message next to its field and
// a summary at the top; before saving, the check for possible earlier registrations
// (POST /api/v1/persons/lookup), so that one person is not registered twice. What was
// typed stays in memory only — never in the address, the title or browser storage.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Checkboxes, ErrorSummary, SelectField, TextField, formErrors, useIdempotencyKey, type FieldErrors } from '../../components/forms';
import { Notice, usePageTitle } from '../../components/ui';
import { formatDate, todayIso as today, useT } from '../../i18n';
import { useLabels } from '../../vocab';

interface Form {
  'person.given_name': string;
  'person.family_name': string;
  'person.patronymic': string;
  'person.alias': string;
  'person.sex': string;
  'person.citizenship': string;
  'person.birth_date': string;
  'person.birth_year': string;
  'person.documents[0].type': string;
  'person.documents[0].number': string;
  'person.guardian.name': string;
  'person.guardian.relation': string;
  identified_on: string;
  identified_by: string;
  exploitation: string[];
  means_of_control: string[];
  recruiter_relation: string;
  country_of_recruitment: string;
  country_of_exploitation: string;
  region: string;
  child_status: string;
}

export interface Earlier {
  match: 'exact' | 'probable';
  own_organization: boolean;
  case_id?: number;
  case_code?: string;
  organization_kind?: string;
  identified_on?: string;
}

// Registrations the server found possibly the same person's, kept between the saving
// and the case page it opens (in memory only), for when the check before saving could
// not run (past the hourly limit of look-ups).
export const foundOnSaving = new Map<number, Earlier[]>();

// The possible earlier registrations: the own organisation's by case code (opened in a
// new tab, so that the form stays), another's by its kind and day only.
export function EarlierList({ earlier, ownCases = [] }: { earlier: Earlier[]; ownCases?: Array<{ id: number; code: string }> }) {
  const T = useT();
  const labels = useLabels();
  return (
    <ul>
      {earlier.map((x, i) => (
        <li key={i}>
          {T(`cases:register.match_${x.match}`)}:{' '}
          {x.own_organization ? (
            <>
              <a href={`/cases/${x.case_id}`} target="_blank" rel="noopener">{x.case_code}</a> ({T('cases:register.own_case')})
            </>
          ) : (
            <>
              {labels.label('organization_kinds', x.organization_kind)}, {formatDate(x.identified_on)}
            </>
          )}
        </li>
      ))}
      {ownCases
        .filter((o) => !earlier.some((x) => x.case_id === o.id))
        .map((o) => (
          <li key={`own-${o.id}`}>
            <a href={`/cases/${o.id}`} target="_blank" rel="noopener">{o.code}</a> ({T('cases:register.own_case')})
          </li>
        ))}
    </ul>
  );
}

interface Lookup {
  possible_earlier_registrations: Earlier[];
  own_cases: Array<{ id: number; code: string }>;
  known_elsewhere: Array<{ organization_kind: string; registered_on: string }>;
}


const EMPTY: Form = {
  'person.given_name': '',
  'person.family_name': '',
  'person.patronymic': '',
  'person.alias': '',
  'person.sex': '',
  'person.citizenship': '',
  'person.birth_date': '',
  'person.birth_year': '',
  'person.documents[0].type': '',
  'person.documents[0].number': '',
  'person.guardian.name': '',
  'person.guardian.relation': '',
  identified_on: today(),
  identified_by: '',
  exploitation: [],
  means_of_control: [],
  recruiter_relation: '',
  country_of_recruitment: '',
  country_of_exploitation: '',
  region: '',
  child_status: '',
};

// Under 18 on the day of identification, as far as the form tells.
function isChild(f: Form): boolean {
  const on = f.identified_on || today();
  if (f['person.birth_date']) {
    const b = f['person.birth_date'];
    const years = Number(on.slice(0, 4)) - Number(b.slice(0, 4));
    const before = on.slice(5) < b.slice(5);
    return years - (before ? 1 : 0) < 18;
  }
  if (f['person.birth_year']) return Number(on.slice(0, 4)) - Number(f['person.birth_year']) < 18;
  return false;
}

function body(f: Form) {
  const person: Record<string, unknown> = { sex: f['person.sex'], citizenship: f['person.citizenship'] || 'unknown' };
  for (const k of ['given_name', 'family_name', 'patronymic', 'alias'] as const) {
    const v = f[`person.${k}`].trim();
    if (v) person[k] = v;
  }
  if (f['person.birth_date']) person.birth_date = f['person.birth_date'];
  else if (f['person.birth_year']) person.birth_year = Number(f['person.birth_year']);
  if (f['person.documents[0].type'] && f['person.documents[0].number'].trim())
    person.documents = [{ type: f['person.documents[0].type'], number: f['person.documents[0].number'].trim() }];
  const child = isChild(f);
  if (child && f['person.guardian.name'].trim())
    person.guardian = { name: f['person.guardian.name'].trim(), relation: f['person.guardian.relation'].trim() };
  const c: Record<string, unknown> = {
    person,
    identified_on: f.identified_on,
    identified_by: f.identified_by,
    exploitation: f.exploitation,
    means_of_control: f.means_of_control,
  };
  for (const k of ['recruiter_relation', 'country_of_recruitment', 'country_of_exploitation', 'region'] as const) if (f[k]) c[k] = f[k];
  if (child && f.child_status) c.child_status = f.child_status;
  return c;
}

export default function RegisterCase() {
  const T = useT();
  const labels = useLabels();
  const { route } = useLocation();
  usePageTitle(T('cases:register.title'));
  const [f, setF] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [earlier, setEarlier] = useState<Lookup | null>(null);
  const [busy, setBusy] = useState(false);
  const idempotency = useIdempotencyKey();
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setF((x) => ({ ...x, [k]: v }));
    idempotency.renew();
    setEarlier(null); // the check was for other details
  };
  const child = isChild(f);

  const fieldLabels: Record<string, string> = {
    'person.given_name': T('cases:person.given_name'),
    'person.family_name': T('cases:person.family_name'),
    'person.patronymic': T('cases:person.patronymic'),
    'person.alias': T('cases:person.alias'),
    'person.sex': T('cases:fields.sex'),
    'person.citizenship': T('cases:fields.citizenship'),
    'person.birth_date': T('cases:person.birth_date'),
    'person.birth_year': T('cases:person.birth_year'),
    'person.documents[0].type': T('cases:person.document_type'),
    'person.documents[0].number': T('cases:person.document_number'),
    'person.guardian.name': T('cases:person.guardian_name'),
    'person.guardian.relation': T('cases:person.guardian_relation'),
    identified_on: T('cases:fields.identified_on'),
    identified_by: T('cases:fields.identified_by'),
    exploitation: T('cases:fields.exploitation'),
    means_of_control: T('cases:fields.means_of_control'),
    recruiter_relation: T('cases:fields.recruiter_relation'),
    country_of_recruitment: T('cases:fields.country_of_recruitment'),
    country_of_exploitation: T('cases:fields.country_of_exploitation'),
    region: T('cases:fields.region'),
    child_status: T('cases:fields.child_status'),
  };

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    const named = f['person.given_name'].trim() || f['person.family_name'].trim();
    if (!named && !f['person.alias'].trim()) e['person.given_name'] = T('cases:register.name_or_alias');
    if (!f['person.sex']) e['person.sex'] = T('cases:register.choose_sex');
    if (f['person.birth_date'] && f['person.birth_date'] > today()) e['person.birth_date'] = T('cases:register.birth_in_future');
    if (f['person.birth_year'] && !/^\d{4}$/.test(f['person.birth_year'])) e['person.birth_year'] = T('cases:register.year_format');
    if (f['person.documents[0].number'].trim() && !f['person.documents[0].type']) e['person.documents[0].type'] = T('cases:register.choose_document_type');
    if (!f.identified_on) e.identified_on = T('cases:register.identified_on_missing');
    else if (f.identified_on > today()) e.identified_on = T('cases:register.identified_in_future');
    if (!f.identified_by) e.identified_by = T('cases:register.identified_by_missing');
    if (f.exploitation.length === 0) e.exploitation = T('cases:register.exploitation_missing');
    if (child && !f.child_status) e.child_status = T('cases:register.child_status_missing');
    return e;
  };

  const create = async () => {
    try {
      const created = await api.post<{ id: number; code: string; possible_earlier_registrations: Earlier[] }>(
        '/api/v1/cases',
        body(f),
        idempotency.headers(),
      );
      // Shown before saving already, unless the check could not run.
      if (!earlier && created.possible_earlier_registrations.length)
        foundOnSaving.set(created.id, created.possible_earlier_registrations);
      setF(EMPTY);
      route(`/cases/${created.id}?registered=1`);
    } catch (err) {
      setErrors(formErrors(err, Object.keys(fieldLabels)));
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems = validate();
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const named = f['person.given_name'].trim() || f['person.family_name'].trim();
      if (named && !earlier) {
        const person = body(f).person as Record<string, unknown>;
        delete person.documents;
        delete person.guardian;
        delete person.alias;
        let found: Lookup | null = null;
        try {
          found = await api.post<Lookup>('/api/v1/persons/lookup', person);
        } catch (err) {
          // Past the hourly limit of look-ups the registration itself still checks.
          if (!(err instanceof ApiError && err.code === 'too_many_lookups')) throw err;
        }
        if (found && (found.possible_earlier_registrations.length || found.own_cases.length)) {
          setEarlier(found);
          return;
        }
      }
      await create();
    } catch (err) {
      setErrors(formErrors(err, Object.keys(fieldLabels)));
    } finally {
      setBusy(false);
    }
  };

  const options = (vocab: string) => labels.terms(vocab).map((x) => ({ value: x.code, label: x.label }));
  const countries = labels.countries.map((x) => ({ value: x.code, label: x.label }));
  const text = (k: keyof Form, props: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField id={k} label={fieldLabels[k]} value={f[k] as string} onInput={set(k) as (v: string) => void} error={errors[k]} {...props} />
  );

  return (
    <>
      <a href="/cases" class="back-link">{T('common:back')}</a>
      <h1>{T('cases:register.title')}</h1>
      <p class="lead">{T('cases:register.intro')}</p>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <form onSubmit={submit} noValidate>
        <h2>{T('cases:register.person')}</h2>
        <p class="muted">{T('cases:register.sealed')}</p>
        <div class="grid-2">
          {text('person.given_name', { autocomplete: 'off' })}
          {text('person.family_name')}
          {text('person.patronymic')}
          {text('person.alias', { hint: T('cases:register.alias_hint') })}
        </div>
        <div class="grid-2">
          <SelectField id="person.sex" label={fieldLabels['person.sex']} value={f['person.sex']} onChange={set('person.sex')} options={options('sexes')} empty={T('cases:register.choose')} error={errors['person.sex']} />
          <SelectField id="person.citizenship" label={fieldLabels['person.citizenship']} hint={T('cases:register.citizenship_hint')} value={f['person.citizenship']} onChange={set('person.citizenship')} error={errors['person.citizenship']}
            options={[{ value: 'unknown', label: T('cases:citizenship.unknown') }, { value: 'stateless', label: T('cases:citizenship.stateless') }, ...countries]} />
          {text('person.birth_date', { type: 'date', width: 'medium', max: today() })}
          {text('person.birth_year', { hint: T('cases:register.birth_year_hint'), width: 'short', inputMode: 'numeric' })}
          <SelectField id="person.documents[0].type" label={fieldLabels['person.documents[0].type']} value={f['person.documents[0].type']} onChange={set('person.documents[0].type')} options={options('document_types')} empty={T('common:none')} error={errors['person.documents[0].type']} />
          {text('person.documents[0].number', { width: 'medium' })}
        </div>
        {child && (
          <fieldset class="fieldset section">
            <legend class="field__label">{T('cases:register.child')}</legend>
            <p class="muted">{T('cases:register.child_intro')}</p>
            <SelectField id="child_status" label={fieldLabels.child_status} value={f.child_status} onChange={set('child_status')} options={options('child_statuses')} empty={T('cases:register.choose')} error={errors.child_status} />
            <div class="grid-2">
              {text('person.guardian.name')}
              {text('person.guardian.relation')}
            </div>
          </fieldset>
        )}

        <h2>{T('cases:register.case')}</h2>
        <div class="grid-2">
          {text('identified_on', { type: 'date', width: 'medium', max: today() })}
          <SelectField id="identified_by" label={fieldLabels.identified_by} value={f.identified_by} onChange={set('identified_by')} options={options('identifying_bodies')} empty={T('cases:register.choose')} error={errors.identified_by} />
        </div>
        <Checkboxes id="exploitation" legend={fieldLabels.exploitation} hint={T('cases:register.select_all')} options={options('forms_of_exploitation')} values={f.exploitation} onChange={set('exploitation')} error={errors.exploitation} />
        <Checkboxes id="means_of_control" legend={fieldLabels.means_of_control} hint={T('cases:register.select_all')} options={options('means_of_control')} values={f.means_of_control} onChange={set('means_of_control')} error={errors.means_of_control} />
        <div class="grid-2">
          <SelectField id="recruiter_relation" label={fieldLabels.recruiter_relation} value={f.recruiter_relation} onChange={set('recruiter_relation')} options={options('recruiter_relations')} empty={T('cases:not_known')} error={errors.recruiter_relation} />
          <SelectField id="region" label={fieldLabels.region} value={f.region} onChange={set('region')} options={labels.regions.map((x) => ({ value: x.code, label: x.label }))} empty={T('cases:not_known')} error={errors.region} />
          <SelectField id="country_of_recruitment" label={fieldLabels.country_of_recruitment} value={f.country_of_recruitment} onChange={set('country_of_recruitment')} options={countries} empty={T('cases:not_known')} error={errors.country_of_recruitment} />
          <SelectField id="country_of_exploitation" label={fieldLabels.country_of_exploitation} value={f.country_of_exploitation} onChange={set('country_of_exploitation')} options={countries} empty={T('cases:not_known')} error={errors.country_of_exploitation} />
        </div>

        {earlier && (
          <div class="notice notice--warning" role="alert" aria-labelledby="earlier-title">
            <h2 id="earlier-title">{T('cases:register.earlier_title')}</h2>
            <p>{T('cases:register.earlier_intro')}</p>
            <EarlierList earlier={earlier.possible_earlier_registrations} ownCases={earlier.own_cases} />
            <div class="button-row">
              <button type="button" class="button" disabled={busy} onClick={() => { setBusy(true); void create().finally(() => setBusy(false)); }}>
                {T('cases:register.register_anyway')}
              </button>
              <button type="button" class="button button--secondary" onClick={() => setEarlier(null)}>
                {T('cases:register.change_details')}
              </button>
            </div>
          </div>
        )}
        {!earlier && (
          <div class="button-row">
            <button type="submit" class="button" disabled={busy}>
              {T('cases:register.submit')}
            </button>
          </div>
        )}
        {busy && <Notice>{T('common:loading')}</Notice>}
      </form>
    </>
  );
}
