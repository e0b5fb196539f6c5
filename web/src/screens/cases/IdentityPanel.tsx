// "Show identity": asks why, says that the view is recorded (and that the person may
// ask who saw her file), then shows the identity until the user hides it or leaves the
// page. The identity lives in this component's state only. The case's staff correct it
// from there, with a reason (recorded), and see any earlier registration it now matches.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { TextArea, errorText, fieldErrorsOf, type FieldErrors } from '../../components/forms';
import { RecordForm, valuesOf, type FieldSpec } from '../../components/RecordForm';
import { Dialog, Facts, Notice } from '../../components/ui';
import { formatDate, useT } from '../../i18n';
import { useLabels, type Labels } from '../../vocab';
import { EarlierList, type Earlier } from './RegisterCase';
import { citizenshipLabel } from './types';

interface Contact {
  type: string;
  value: string;
}

interface Identity {
  alias?: string;
  given_name?: string;
  family_name?: string;
  patronymic?: string;
  other_names?: string[];
  sex?: string;
  citizenship?: string;
  birth_date?: string | null;
  birth_year?: number | null;
  documents?: Array<{ type: string; number: string; issuing_country: string | null; expires_on: string | null }>;
  contacts?: Contact[];
  guardian?: { name: string; relation: string; contacts: Contact[] };
}

type T = ReturnType<typeof useT>;

function identityFields(T: T, labels: Labels): FieldSpec[] {
  return [
    { name: 'given_name', kind: 'text', label: T('cases:person.given_name') },
    { name: 'patronymic', kind: 'text', label: T('cases:person.patronymic') },
    { name: 'family_name', kind: 'text', label: T('cases:person.family_name') },
    { name: 'alias', kind: 'text', label: T('cases:person.alias'), hint: T('cases:register.alias_hint') },
    { name: 'sex', kind: 'select', label: T('cases:fields.sex'), options: labels.terms('sexes').map((x) => ({ value: x.code, label: x.label })), required: true },
    {
      name: 'citizenship',
      kind: 'select',
      label: T('cases:fields.citizenship'),
      hint: T('cases:register.citizenship_hint'),
      options: [{ value: 'unknown', label: T('cases:citizenship.unknown') }, { value: 'stateless', label: T('cases:citizenship.stateless') }, ...labels.countries.map((c) => ({ value: c.code, label: c.label }))],
      required: true,
    },
    { name: 'birth_date', kind: 'date', label: T('cases:person.birth_date') },
    { name: 'birth_year', kind: 'integer', label: T('cases:person.birth_year'), hint: T('cases:register.birth_year_hint'), when: (v) => !v.birth_date },
    { name: 'reason', kind: 'textarea', label: T('cases:identity.correction_reason'), hint: T('cases:identity.correction_hint'), required: true },
  ];
}

// The identity as the server takes it back: what was read (documents, contacts, the
// guardian kept as they are) without its empty values, with the corrected fields.
function corrected(identity: Identity, body: Record<string, unknown>): Record<string, unknown> {
  const clean = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(clean);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [k, clean(v)]));
    return x;
  };
  const person = clean(identity) as Record<string, unknown>;
  for (const k of ['given_name', 'patronymic', 'family_name', 'alias', 'birth_date', 'birth_year']) delete person[k];
  for (const [k, v] of Object.entries(body)) if (k !== 'reason') person[k] = v;
  return person;
}

interface Correction {
  person: Identity;
  possible_earlier_registrations: Earlier[];
}

function CorrectIdentity({ caseId, identity, onCorrected }: { caseId: number; identity: Identity; onCorrected: (c: Correction) => void }) {
  const T = useT();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  const fields = identityFields(T, labels);
  if (!open)
    return (
      <button type="button" class="button button--secondary" onClick={() => setOpen(true)}>
        {T('cases:identity.correct')}
      </button>
    );
  return (
    <RecordForm
      title={T('cases:identity.correct')}
      fields={fields}
      initial={valuesOf(identity as Record<string, unknown>, fields)}
      submitLabel={T('common:save')}
      submit={(body) => api.put<Correction>(`/api/v1/cases/${caseId}/identity`, { person: corrected(identity, body), reason: body.reason })}
      alias={{ person: '_form' }}
      onDone={(result) => {
        setOpen(false);
        onCorrected(result as Correction);
      }}
      onCancel={() => setOpen(false)}
    />
  );
}

export function IdentityPanel({ caseId, canChange }: { caseId: number; canChange: boolean }) {
  const T = useT();
  const labels = useLabels();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [earlier, setEarlier] = useState<Earlier[] | null>(null);

  // Another case, or leaving the page: the identity goes.
  useEffect(
    () => () => {
      setIdentity(null);
      setEarlier(null);
    },
    [caseId],
  );

  const show = async (e: Event) => {
    e.preventDefault();
    if (reason.trim().length < 5) {
      setErrors({ reason: T('cases:identity.reason_short') });
      return;
    }
    try {
      const id = await api.post<Identity>(`/api/v1/cases/${caseId}/identity-views`, { reason: reason.trim() });
      setIdentity(id);
      setAsking(false);
      setReason('');
      setErrors({});
    } catch (err) {
      setErrors(fieldErrorsOf(err, ['reason']) ?? { reason: errorText(err) });
    }
  };

  if (identity) {
    const name = [identity.given_name, identity.patronymic, identity.family_name].filter(Boolean).join(' ');
    return (
      <section class="identity" aria-labelledby="identity-title">
        <div class="toolbar">
          <h2 id="identity-title">{T('cases:identity.title')}</h2>
          <button type="button" class="button button--secondary" onClick={() => { setIdentity(null); setEarlier(null); }}>
            {T('cases:identity.hide')}
          </button>
        </div>
        <p class="warning-text">{T('cases:identity.recorded')}</p>
        <Facts
          rows={[
            ...(identity.given_name !== undefined ? ([[T('cases:identity.name'), name]] as Array<[string, string]>) : []),
            ...(identity.alias ? ([[T('cases:person.alias'), identity.alias]] as Array<[string, string]>) : []),
            ...((identity.other_names ?? []).length ? ([[T('cases:identity.other_names'), identity.other_names!.join(', ')]] as Array<[string, string]>) : []),
            ...(identity.sex !== undefined ? ([[T('cases:fields.sex'), labels.label('sexes', identity.sex)]] as Array<[string, string]>) : []),
            ...(identity.citizenship !== undefined ? ([[T('cases:fields.citizenship'), citizenshipLabel(identity.citizenship, labels.country, T)]] as Array<[string, string]>) : []),
            ...(identity.given_name !== undefined
              ? ([[T('cases:person.birth_date'), identity.birth_date ? formatDate(identity.birth_date) : identity.birth_year ? String(identity.birth_year) : '']] as Array<[string, string]>)
              : []),
            ...(identity.documents ?? []).map((d) => [labels.label('document_types', d.type), d.number] as [string, string]),
            ...(identity.contacts ?? []).map((c) => [labels.label('contact_types', c.type), c.value] as [string, string]),
            ...(identity.guardian ? ([[T('cases:person.guardian_name'), `${identity.guardian.name}${identity.guardian.relation ? ` (${identity.guardian.relation})` : ''}`]] as Array<[string, string]>) : []),
          ]}
        />
        {earlier !== null && <Notice kind="success">{T('cases:identity.corrected')}</Notice>}
        {earlier !== null && earlier.length > 0 && (
          <div class="notice notice--warning" role="alert">
            <h3>{T('cases:register.earlier_title')}</h3>
            <EarlierList earlier={earlier} />
          </div>
        )}
        {canChange && (
          <CorrectIdentity
            key={JSON.stringify(identity)}
            caseId={caseId}
            identity={identity}
            onCorrected={(c) => {
              setIdentity(c.person);
              setEarlier(c.possible_earlier_registrations ?? []);
            }}
          />
        )}
      </section>
    );
  }

  return (
    <>
      <button type="button" class="button button--secondary" onClick={() => setAsking(true)}>
        {T('cases:identity.show')}
      </button>
      <Dialog title={T('cases:identity.ask_title')} open={asking} onClose={() => setAsking(false)}>
        <p>{T('cases:identity.ask_intro')}</p>
        <form onSubmit={show} noValidate>
          <TextArea id="reason" label={T('cases:identity.reason')} hint={T('cases:identity.reason_hint')} value={reason} onInput={setReason} error={errors.reason} rows={3} />
          <div class="button-row">
            <button type="submit" class="button">{T('cases:identity.confirm')}</button>
            <button type="button" class="button button--secondary" onClick={() => setAsking(false)}>{T('common:cancel')}</button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
