// The case page's part on working together: the person's consents (record one,
// withdraw one, print her receipt), the referrals of her case (send one when the
// page allows it), and, on request, who has seen her file. Everything here names the
// case by its code; the person's name never appears.
import { useMemo, useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import { Checkboxes, ErrorSummary, SelectField, TextArea, TextField, errorText, fieldErrorsOf, formErrors, useIdempotencyKey, type FieldErrors } from '../../components/forms';
import { Dialog, Loaded, Notice, Pager, Tag, useAsync, usePager, type Async, DataTable } from '../../components/ui';
import { LANGUAGES, formatDate, formatDateTime, todayIso, useT } from '../../i18n';
import { can, session } from '../../session';
import { useObservable } from '../../store';
import { useLabels } from '../../vocab';
import { useOrganizations, type Organization } from '../../organizations';
import { ReferralFacts, ReferralStatus, listOf, useReferralSteps, type Referral } from './Referrals';
import './referrals.css';

export interface Consent {
  id: number;
  case_id: number;
  purposes: string[];
  categories: string[];
  given_on: string;
  valid_until: string | null;
  withdrawn_on: string | null;
  method: string;
  language: string;
  has_form: boolean;
  recorded_by: number;
  created_at: string;
  recipient_organization_id?: number;
  recipient_kind?: string;
  witness?: string;
}


function inForce(c: Consent, on = todayIso()): boolean {
  return !c.withdrawn_on && c.given_on <= on && (!c.valid_until || c.valid_until >= on);
}

function coversOrganization(c: Consent, o: Organization): boolean {
  return inForce(c) && (c.recipient_organization_id === o.id || (!!c.recipient_kind && c.recipient_kind === o.kind));
}


// The server names the field of an error ("purposes"); the element of a field here
// carries a prefix, so that the case page's other forms may use the same names.
function rekey(errors: FieldErrors | null, prefix: string): FieldErrors | null {
  return errors && Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${prefix}${k}`, v]));
}

// ---------------------------------------------------------------- consents

const CONSENT_FIELDS = [
  'recipient_organization_id',
  'recipient_kind',
  'purposes',
  'categories',
  'given_on',
  'valid_until',
  'method',
  'language',
  'witness',
];

function ConsentForm({
  caseId,
  orgs,
  onDone,
  onCancel,
}: {
  caseId: number;
  orgs: ReturnType<typeof useOrganizations>;
  onDone: (c: Consent) => void;
  onCancel: () => void;
}) {
  const T = useT();
  const labels = useLabels();
  const idem = useIdempotencyKey();
  const [recipientType, setRecipientType] = useState<'organization' | 'kind'>('organization');
  const [org, setOrg] = useState('');
  const [kind, setKind] = useState('');
  const [purposes, setPurposes] = useState<string[]>([]);
  const [categories, setCategories] = useState<string[]>(['case_facts']);
  const [method, setMethod] = useState('signed_form');
  const [witness, setWitness] = useState('');
  const [givenOn, setGivenOn] = useState(todayIso());
  const [validUntil, setValidUntil] = useState('');
  const [language, setLanguage] = useState('az');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const own = useObservable(session)?.user.organization_id;

  const fieldLabels = {
    'consent-recipient_organization_id': T('referrals:consent.recipient_organization'),
    'consent-recipient_kind': T('referrals:consent.recipient_kind'),
    'consent-purposes': T('referrals:consent.purposes'),
    'consent-categories': T('referrals:consent.categories'),
    'consent-given_on': T('referrals:consent.given_on'),
    'consent-valid_until': T('referrals:consent.valid_until'),
    'consent-method': T('referrals:consent.method'),
    'consent-language': T('referrals:consent.language'),
    'consent-witness': T('referrals:consent.witness'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (recipientType === 'organization' && !org) problems['consent-recipient_organization_id'] = T('referrals:consent.recipient_missing');
    if (recipientType === 'kind' && !kind) problems['consent-recipient_kind'] = T('referrals:consent.recipient_missing');
    if (!purposes.length) problems['consent-purposes'] = T('referrals:consent.purposes_missing');
    if (!categories.length) problems['consent-categories'] = T('referrals:consent.categories_missing');
    if (!givenOn) problems['consent-given_on'] = T('referrals:consent.given_on_missing');
    if (validUntil && givenOn && validUntil < givenOn) problems['consent-valid_until'] = T('referrals:consent.valid_until_before');
    if (method === 'oral_with_witness' && !witness.trim()) problems['consent-witness'] = T('referrals:consent.witness_missing');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    const body: Record<string, unknown> = {
      purposes,
      categories,
      given_on: givenOn,
      method,
      language,
    };
    if (recipientType === 'organization') body.recipient_organization_id = Number(org);
    else body.recipient_kind = kind;
    if (validUntil) body.valid_until = validUntil;
    if (method === 'oral_with_witness') body.witness = witness.trim();
    setBusy(true);
    try {
      const c = await api.post<Consent>(`/api/v1/cases/${caseId}/consents`, body, idem.headers());
      idem.renew();
      onDone(c);
    } catch (err) {
      setErrors(rekey(fieldErrorsOf(err, CONSENT_FIELDS), 'consent-') ?? { _form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="referrals-form">
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <p class="field__hint">{T('referrals:consent.explain')}</p>
      <SelectField
        id="consent-recipient_type"
        label={T('referrals:consent.recipient_type')}
        value={recipientType}
        options={[
          { value: 'organization', label: T('referrals:consent.one_organization') },
          { value: 'kind', label: T('referrals:consent.every_of_kind') },
        ]}
        onChange={(v) => setRecipientType(v as 'organization' | 'kind')}
      />
      {recipientType === 'organization' ? (
        <SelectField
          id="consent-recipient_organization_id"
          label={fieldLabels['consent-recipient_organization_id']}
          value={org}
          empty={T('referrals:choose')}
          options={orgs.list
            .filter((o) => o.active && o.id !== own)
            .map((o) => ({ value: String(o.id), label: `${o.name} (${labels.label('organization_kinds', o.kind)})` }))}
          onChange={setOrg}
          error={errors['consent-recipient_organization_id']}
        />
      ) : (
        <SelectField
          id="consent-recipient_kind"
          label={fieldLabels['consent-recipient_kind']}
          value={kind}
          empty={T('referrals:choose')}
          options={labels.terms('organization_kinds').map((t) => ({ value: t.code, label: t.label }))}
          onChange={setKind}
          error={errors['consent-recipient_kind']}
        />
      )}
      <Checkboxes
        id="consent-purposes"
        legend={fieldLabels['consent-purposes']}
        hint={T('referrals:consent.purposes_hint')}
        options={labels.terms('purposes').map((t) => ({ value: t.code, label: t.label }))}
        values={purposes}
        onChange={setPurposes}
        error={errors['consent-purposes']}
      />
      <Checkboxes
        id="consent-categories"
        legend={fieldLabels['consent-categories']}
        hint={T('referrals:consent.categories_hint')}
        options={labels.terms('data_categories').map((t) => ({ value: t.code, label: t.label }))}
        values={categories}
        onChange={setCategories}
        error={errors['consent-categories']}
      />
      <SelectField
        id="consent-method"
        label={fieldLabels['consent-method']}
        value={method}
        options={labels.terms('consent_methods').map((t) => ({ value: t.code, label: t.label }))}
        onChange={setMethod}
        error={errors['consent-method']}
      />
      {method === 'oral_with_witness' && (
        <TextField
          id="consent-witness"
          label={fieldLabels['consent-witness']}
          hint={T('referrals:consent.witness_hint')}
          value={witness}
          onInput={setWitness}
          error={errors['consent-witness']}
          width="medium"
        />
      )}
      <div class="grid-2">
        <TextField id="consent-given_on" type="date" label={fieldLabels['consent-given_on']} value={givenOn} onInput={setGivenOn} error={errors['consent-given_on']} max={todayIso()} />
        <TextField
          id="consent-valid_until"
          type="date"
          label={fieldLabels['consent-valid_until']}
          hint={T('referrals:consent.valid_until_hint')}
          value={validUntil}
          onInput={setValidUntil}
          error={errors['consent-valid_until']}
          min={givenOn}
        />
      </div>
      <SelectField
        id="consent-language"
        label={fieldLabels['consent-language']}
        hint={T('referrals:consent.language_hint')}
        value={language}
        options={
          labels.terms('languages').length
            ? labels.terms('languages').map((t) => ({ value: t.code, label: t.label }))
            : LANGUAGES.map((l) => ({ value: l, label: T(`common:languages.${l}`) }))
        }
        onChange={setLanguage}
        error={errors['consent-language']}
      />
      <div class="button-row">
        <button type="submit" class="button" disabled={busy}>
          {T('referrals:consent.record')}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          {T('common:cancel')}
        </button>
      </div>
    </form>
  );
}

function WithdrawConsent({ consent, onDone, onCancel }: { consent: Consent; onDone: (c: Consent) => void; onCancel: () => void }) {
  const T = useT();
  const [on, setOn] = useState(todayIso());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!on) {
      setErrors({ withdrawn_on: T('referrals:withdraw.date_missing') });
      return;
    }
    setBusy(true);
    try {
      onDone(await api.post<Consent>(`/api/v1/consents/${consent.id}/withdraw`, { withdrawn_on: on }));
    } catch (err) {
      setErrors(formErrors(err, ['withdrawn_on']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <p>{T('referrals:withdraw.text')}</p>
      {errors._form && (
        <div class="notice notice--error" role="alert">
          {errors._form}
        </div>
      )}
      <TextField id="withdrawn_on" type="date" label={T('referrals:withdraw.date')} value={on} onInput={setOn} error={errors.withdrawn_on} max={todayIso()} />
      <div class="button-row">
        <button type="submit" class="button button--warning" disabled={busy}>
          {T('referrals:withdraw.submit')}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          {T('common:cancel')}
        </button>
      </div>
    </form>
  );
}

function ConsentState({ c }: { c: Consent }) {
  const T = useT();
  if (c.withdrawn_on) return <Tag tone="bad">{T('referrals:consent.withdrawn_on', { date: formatDate(c.withdrawn_on) })}</Tag>;
  if (c.valid_until && c.valid_until < todayIso()) return <Tag>{T('referrals:consent.expired')}</Tag>;
  if (c.given_on > todayIso()) return <Tag tone="warn">{T('referrals:consent.not_yet')}</Tag>;
  return <Tag tone="good">{T('referrals:consent.in_force')}</Tag>;
}

function Consents({
  caseId,
  orgs,
  consents,
  writable,
}: {
  caseId: number;
  orgs: ReturnType<typeof useOrganizations>;
  consents: Async<{ items: Consent[] }>;
  writable: boolean;
}) {
  const T = useT();
  const labels = useLabels();
  const [recording, setRecording] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Consent | null>(null);
  const [message, setMessage] = useState('');
  const recipient = (c: Consent) =>
    c.recipient_organization_id
      ? orgs.name(c.recipient_organization_id)
      : T('referrals:consent.every_kind', { kind: labels.label('organization_kinds', c.recipient_kind) });

  return (
    <section class="section" aria-labelledby="consents-title">
      <div class="toolbar">
        <h2 id="consents-title">{T('referrals:consent.title')}</h2>
        {writable && !recording && (
          <button
            type="button"
            class="button button--secondary"
            onClick={() => {
              setMessage('');
              setRecording(true);
            }}
          >
            {T('referrals:consent.new')}
          </button>
        )}
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      {recording && (
        <div class="referrals-panel">
          <h3>{T('referrals:consent.new')}</h3>
          <ConsentForm
            caseId={caseId}
            orgs={orgs}
            onCancel={() => setRecording(false)}
            onDone={(c) => {
              setRecording(false);
              setMessage(T('referrals:consent.recorded', { recipient: recipient(c) }));
              consents.reload();
            }}
          />
        </div>
      )}
      <Loaded value={consents}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{T('referrals:consent.none')}</p>
          ) : (
            <DataTable caption={T('referrals:consent.title')} columns={[T('referrals:consent.recipient'), T('referrals:consent.purposes'), T('referrals:consent.categories'), T('referrals:consent.method'), T('referrals:consent.period'), T('referrals:fields.status'), T('referrals:actions')]}>
              {data.items.map((c) => (
                <tr key={c.id}>
                  <td>{recipient(c)}</td>
                  <td>{listOf(labels, 'purposes', c.purposes)}</td>
                  <td>{listOf(labels, 'data_categories', c.categories)}</td>
                  <td>{labels.label('consent_methods', c.method)}</td>
                  <td>
                    {formatDate(c.given_on)} – {c.valid_until ? formatDate(c.valid_until) : T('referrals:consent.open_ended')}
                  </td>
                  <td>
                    <ConsentState c={c} />
                  </td>
                  <td>
                    <div class="referral-steps">
                      {writable && (
                        <a class="button button--secondary" href={`/consents/${c.id}/receipt`}>
                          {T('referrals:consent.receipt')}
                          <span class="visually-hidden"> {recipient(c)}</span>
                        </a>
                      )}
                      {writable && !c.withdrawn_on && (
                        <button type="button" class="button button--secondary" onClick={() => setWithdrawing(c)}>
                          {T('referrals:withdraw.button')}
                          <span class="visually-hidden"> {recipient(c)}</span>
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
      {withdrawing && (
        <Dialog title={T('referrals:withdraw.title')} open onClose={() => setWithdrawing(null)}>
          <WithdrawConsent
            consent={withdrawing}
            onCancel={() => setWithdrawing(null)}
            onDone={() => {
              setWithdrawing(null);
              setMessage(T('referrals:withdraw.done'));
              consents.reload();
            }}
          />
        </Dialog>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- referrals

const REFERRAL_FIELDS = ['to_organization_id', 'purposes', 'services_requested', 'note', 'case_id'];

function ReferForm({
  caseId,
  orgs,
  consents,
  onDone,
  onCancel,
}: {
  caseId: number;
  orgs: ReturnType<typeof useOrganizations>;
  consents: Consent[];
  onDone: (r: Referral) => void;
  onCancel: () => void;
}) {
  const T = useT();
  const labels = useLabels();
  const idem = useIdempotencyKey();
  const own = useObservable(session)?.user.organization_id;
  const [kind, setKind] = useState('referral');
  const [to, setTo] = useState('');
  const [purposes, setPurposes] = useState<string[]>([]);
  const [services, setServices] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const fieldLabels = {
    'referral-kind': T('referrals:fields.kind'),
    'referral-to_organization_id': T('referrals:refer.to'),
    'referral-purposes': T('referrals:fields.purposes'),
    'referral-services_requested': T('referrals:refer.services'),
    'referral-note': T('referrals:refer.note'),
  };
  const candidates = useMemo(
    () =>
      orgs.list
        .filter((o) => o.active && o.id !== own)
        .map((o) => ({ o, covered: consents.some((c) => coversOrganization(c, o)) }))
        .sort((a, b) => Number(b.covered) - Number(a.covered) || a.o.name.localeCompare(b.o.name)),
    [orgs.list, consents, own],
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!to) problems['referral-to_organization_id'] = T('referrals:refer.to_missing');
    if (!purposes.length) problems['referral-purposes'] = T('referrals:refer.purposes_missing');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = {
        case_id: caseId,
        to_organization_id: Number(to),
        purposes,
        services_requested: services,
      };
      if (note.trim()) body.note = note.trim();
      const path = kind === 'transfer' ? '/api/v1/transfers' : '/api/v1/referrals';
      const r = await api.post<Referral>(path, body, idem.headers());
      idem.renew();
      onDone(r);
    } catch (err) {
      setErrors(rekey(fieldErrorsOf(err, REFERRAL_FIELDS), 'referral-') ?? { _form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="referrals-form">
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <SelectField
        id="referral-kind"
        label={fieldLabels['referral-kind']}
        hint={T('referrals:refer.kind_hint')}
        value={kind}
        options={labels.terms('referral_kinds').map((t) => ({ value: t.code, label: t.label }))}
        onChange={setKind}
      />
      <SelectField
        id="referral-to_organization_id"
        label={fieldLabels['referral-to_organization_id']}
        hint={T('referrals:refer.to_hint')}
        value={to}
        empty={T('referrals:choose')}
        options={candidates.map(({ o, covered }) => ({
          value: String(o.id),
          label: `${o.name} (${labels.label('organization_kinds', o.kind)})${covered ? ` — ${T('referrals:refer.has_consent')}` : ''}`,
        }))}
        onChange={setTo}
        error={errors['referral-to_organization_id']}
      />
      <Checkboxes
        id="referral-purposes"
        legend={fieldLabels['referral-purposes']}
        options={labels.terms('purposes').map((t) => ({ value: t.code, label: t.label }))}
        values={purposes}
        onChange={setPurposes}
        error={errors['referral-purposes']}
      />
      <Checkboxes
        id="referral-services_requested"
        legend={fieldLabels['referral-services_requested']}
        options={labels.terms('service_types').map((t) => ({ value: t.code, label: t.label }))}
        values={services}
        onChange={setServices}
        error={errors['referral-services_requested']}
      />
      <TextArea id="referral-note" label={fieldLabels['referral-note']} hint={T('referrals:refer.note_hint')} value={note} onInput={setNote} error={errors['referral-note']} rows={3} />
      <div class="button-row">
        <button type="submit" class="button" disabled={busy}>
          {kind === 'transfer' ? T('referrals:refer.send_transfer') : T('referrals:refer.send')}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          {T('common:cancel')}
        </button>
      </div>
    </form>
  );
}

async function referralsOfCase(caseId: number): Promise<Referral[]> {
  // A coordinator sees every referral without a direction; others see their
  // organisation's, sent and received.
  if (can('read_all_cases'))
    return (await api.get<Page<Referral>>('/api/v1/referrals', { case_id: caseId, limit: 100 })).items;
  const [out, inc] = await Promise.all(
    (['outgoing', 'incoming'] as const).map((direction) =>
      api.get<Page<Referral>>('/api/v1/referrals', { case_id: caseId, direction, limit: 100 }),
    ),
  );
  const seen = new Set<number>();
  return [...out.items, ...inc.items]
    .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
}

function CaseReferrals({
  caseId,
  canRefer,
  orgs,
  consents,
  onChanged,
}: {
  caseId: number;
  canRefer: boolean;
  orgs: ReturnType<typeof useOrganizations>;
  consents: Consent[];
  onChanged: () => void;
}) {
  const T = useT();
  const labels = useLabels();
  const list = useAsync(() => referralsOfCase(caseId), [caseId]);
  const [referring, setReferring] = useState(false);
  const [open, setOpen] = useState<Referral | null>(null);
  const [message, setMessage] = useState('');
  const steps = useReferralSteps((_, m) => {
    setMessage(m);
    list.reload();
    onChanged();
  });

  return (
    <section class="section" aria-labelledby="case-referrals-title">
      <div class="toolbar">
        <h2 id="case-referrals-title">{T('referrals:case_title')}</h2>
        {canRefer && !referring && (
          <button
            type="button"
            class="button button--secondary"
            onClick={() => {
              setMessage('');
              setReferring(true);
            }}
          >
            {T('referrals:refer.button')}
          </button>
        )}
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      {steps.error && (
        <div class="notice notice--error" role="alert">
          {steps.error}
        </div>
      )}
      {referring && (
        <div class="referrals-panel">
          <h3>{T('referrals:refer.title')}</h3>
          <ReferForm
            caseId={caseId}
            orgs={orgs}
            consents={consents}
            onCancel={() => setReferring(false)}
            onDone={(r) => {
              setReferring(false);
              setMessage(T('referrals:refer.sent', { organization: orgs.name(r.to_organization_id) }));
              list.reload();
            }}
          />
        </div>
      )}
      <Loaded value={list}>
        {(items) =>
          items.length === 0 ? (
            <p>{T('referrals:case_none')}</p>
          ) : (
            <DataTable caption={T('referrals:case_title')} columns={[T('referrals:fields.kind'), T('referrals:fields.from'), T('referrals:fields.to'), T('referrals:fields.purposes'), T('referrals:fields.sent_on'), T('referrals:fields.status'), T('referrals:actions')]}>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>{labels.label('referral_kinds', r.kind)}</td>
                  <td>{orgs.name(r.from_organization_id)}</td>
                  <td>{orgs.name(r.to_organization_id)}</td>
                  <td>{listOf(labels, 'purposes', r.purposes)}</td>
                  <td>{formatDate(r.created_at)}</td>
                  <td>
                    <ReferralStatus status={r.status} />
                  </td>
                  <td>
                    <div class="referral-steps">
                      <button type="button" class="button button--secondary" onClick={() => setOpen(r)}>
                        {T('referrals:steps.details')}
                        <span class="visually-hidden"> {orgs.name(r.to_organization_id)}</span>
                      </button>
                      {steps.buttons(r)}
                    </div>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
      {open && (
        <Dialog title={T('referrals:details_title', { code: open.case_code })} open onClose={() => setOpen(null)}>
          <ReferralFacts r={open} orgName={orgs.name} />
          <div class="button-row">
            <button type="button" class="button" onClick={() => setOpen(null)}>
              {T('common:close')}
            </button>
          </div>
        </Dialog>
      )}
      {steps.dialogs}
    </section>
  );
}

// ---------------------------------------------------------------- access history

interface HistoryEvent {
  at: string;
  action: string;
  organization_id: number | null;
  organization_name: string;
  organization_kind: string;
  role: string;
  purposes: string[];
  categories: string[];
  basis?: string;
}

interface History {
  case_id: number;
  code: string;
  items: HistoryEvent[];
  next_cursor: string | null;
}

function useActionText() {
  const T = useT();
  const texts: Record<string, string> = {
    'case.create': T('referrals:history.actions.case_create'),
    'case.transition': T('referrals:history.actions.case_transition'),
    'case.identity_view': T('referrals:history.actions.case_identity_view'),
    'case.identity_correct': T('referrals:history.actions.case_identity_correct'),
    'case.disclosure': T('referrals:history.actions.case_disclosure'),
    'case.access_history': T('referrals:history.actions.case_access_history'),
    'case.identification_decision': T('referrals:history.actions.identification_decision'),
    'identification_decision.record': T('referrals:history.actions.identification_decision'),
    'case.reflection_extend': T('referrals:history.actions.case_reflection_extend'),
    'consent.record': T('referrals:history.actions.consent_record'),
    'consent.withdraw': T('referrals:history.actions.consent_withdraw'),
    'consent.receipt': T('referrals:history.actions.consent_receipt'),
    'referral.create': T('referrals:history.actions.referral_create'),
    'referral.accepted': T('referrals:history.actions.referral_accepted'),
    'referral.declined': T('referrals:history.actions.referral_declined'),
    'referral.completed': T('referrals:history.actions.referral_completed'),
    'referral.revoked': T('referrals:history.actions.referral_revoked'),
    'transfer.create': T('referrals:history.actions.transfer_create'),
    'transfer.accepted': T('referrals:history.actions.transfer_accepted'),
    'transfer.declined': T('referrals:history.actions.transfer_declined'),
    'transfer.completed': T('referrals:history.actions.transfer_completed'),
    'transfer.revoked': T('referrals:history.actions.transfer_revoked'),
    'stay.admit': T('referrals:history.actions.stay_admit'),
    'stay.discharge': T('referrals:history.actions.stay_discharge'),
    'service.record': T('referrals:history.actions.service_record'),
    'return.create': T('referrals:history.actions.return_create'),
    'follow_up.complete': T('referrals:history.actions.follow_up_complete'),
    'payment.request': T('referrals:history.actions.payment_request'),
    'payment.approve': T('referrals:history.actions.payment_approve'),
  };
  const bases: Record<string, string> = {
    owner: T('referrals:history.bases.owner'),
    consent: T('referrals:history.bases.consent'),
    override: T('referrals:history.bases.override'),
    national_coordination: T('referrals:history.bases.national_coordination'),
  };
  return {
    action: (a: string) => texts[a] ?? T('referrals:history.other_action', { action: a }),
    basis: (b: string | undefined) => (b ? (bases[b] ?? b) : ''),
  };
}

function HistoryTable({ caseId }: { caseId: number }) {
  const T = useT();
  const labels = useLabels();
  const text = useActionText();
  const pager = usePager();
  const history = useAsync(
    () => api.get<History>(`/api/v1/cases/${caseId}/access-history`, { limit: 25, cursor: pager.cursor }),
    [caseId, pager.cursor],
  );
  return (
    <Loaded value={history}>
      {(h) =>
        h.items.length === 0 ? (
          <p>{T('referrals:history.none')}</p>
        ) : (
          <>
            <DataTable caption={T('referrals:history.title')} columns={[T('referrals:history.when'), T('referrals:history.organization'), T('referrals:history.what'), T('referrals:history.basis'), T('referrals:history.shared')]}>
              {h.items.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>
                    {e.organization_name || T('referrals:history.no_organization')}
                    <div class="muted">
                      {labels.label('organization_kinds', e.organization_kind)}
                      {e.role && ` · ${e.role === 'system' ? T('referrals:history.system') : labels.label('roles', e.role)}`}
                    </div>
                  </td>
                  <td>{text.action(e.action)}</td>
                  <td>{text.basis(e.basis) || '—'}</td>
                  <td>
                    {[listOf(labels, 'purposes', e.purposes), listOf(labels, 'data_categories', e.categories)]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </td>
                </tr>
              ))}
            </DataTable>
            <Pager pager={pager} nextCursor={h.next_cursor} />
          </>
        )
      }
    </Loaded>
  );
}

// Opened on request only: reading it is itself recorded in her history and the audit log.
function AccessHistory({ caseId }: { caseId: number }) {
  const T = useT();
  const [shown, setShown] = useState(false);
  return (
    <section class="section" aria-labelledby="history-title">
      <h2 id="history-title">{T('referrals:history.title')}</h2>
      <p>{T('referrals:history.intro')}</p>
      <div class="button-row">
        {!shown && (
          <button type="button" class="button button--secondary" onClick={() => setShown(true)}>
            {T('referrals:history.show')}
          </button>
        )}
        <span>{T('referrals:history.print')}</span>
        {LANGUAGES.map((l) => (
          <a key={l} lang={l} href={`/api/v1/cases/${caseId}/access-history?format=html&lang=${l}`} target="_blank" rel="noopener">
            {T(`common:languages.${l}`)}
          </a>
        ))}
      </div>
      {shown && <HistoryTable caseId={caseId} />}
    </section>
  );
}

// ---------------------------------------------------------------- the section

export function ConsentsAndReferrals({ caseId, canRefer }: { caseId: number; canRefer: boolean }) {
  const orgs = useOrganizations();
  const consents = useAsync(() => api.get<{ items: Consent[] }>(`/api/v1/cases/${caseId}/consents`), [caseId]);
  // Case staff of the owner record consents; a receiver only reads the ones naming it.
  const writable = can('change_case') && canRefer;
  return (
    <div class="case-coalition">
      <Consents caseId={caseId} orgs={orgs} consents={consents} writable={writable} />
      <CaseReferrals caseId={caseId} canRefer={canRefer} orgs={orgs} consents={consents.data?.items ?? []} onChanged={consents.reload} />
      {can('change_case') && <AccessHistory caseId={caseId} />}
    </div>
  );
}
