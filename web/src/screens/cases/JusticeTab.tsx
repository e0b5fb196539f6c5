// The longer course of a case: the support plan, the reflection period, residence
// permits, criminal proceedings, compensation, return and the follow-ups after it —
// read by everyone who may see the case, recorded and corrected by its own staff.
// What the user may not see is simply not there.
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { api } from '../../api';
import { RecordForm, valuesOf, type FieldSpec, type Values } from '../../components/RecordForm';
import { Facts, Loaded, useAsync } from '../../components/ui';
import { formatDate, formatMoney, todayIso, useT } from '../../i18n';
import { useLabels, type Labels } from '../../vocab';

interface Items<T> {
  items: T[];
}
const items = <T,>(path: string) => api.get<Items<T>>(path).then((r) => r.items, () => [] as T[]);

interface Plan {
  revision: number;
  assessed_on: string;
  needs?: string;
  objectives?: string;
  planned_services: string[];
  planned_end_on: string | null;
  actual_end_on: string | null;
}
interface Extension {
  id: number;
  days: number;
  decided_on: string;
  previous_end: string;
  new_end: string;
  reason?: string;
}
interface Versioned {
  id: number;
  version: number;
}
interface Permit extends Versioned {
  permit_type: string;
  applied_on: string;
  decision: string | null;
  decided_on: string | null;
  expires_on: string | null;
}
interface Proceeding extends Versioned {
  stage: string;
  started_on: string;
  stage_since: string | null;
  cooperating: boolean;
  ended_on: string | null;
}
interface Claim extends Versioned {
  route: string;
  status: string;
  currency: string;
  amount_claimed_minor: number;
  amount_awarded_minor: number | null;
  filed_on: string;
  decided_on: string | null;
  paid_on: string | null;
}
interface Return {
  id: number;
  voluntary: boolean;
  destination_country: string;
  returned_on: string;
}
interface FollowUp {
  id: number;
  due_on: string;
  done_on: string | null;
  outcome: string | null;
  notes?: string;
}

type T = ReturnType<typeof useT>;
const optionsOf = (labels: Labels, vocabulary: string) => labels.terms(vocabulary).map((x) => ({ value: x.code, label: x.label }));

function planFields(T: T, labels: Labels): FieldSpec[] {
  return [
    { name: 'assessed_on', kind: 'date', label: T('cases:justice.assessed_on'), required: true },
    { name: 'planned_end_on', kind: 'date', label: T('cases:justice.planned_end'), required: true },
    { name: 'needs', kind: 'textarea', label: T('cases:justice.needs'), hint: T('cases:justice.sealed_hint'), required: true },
    { name: 'objectives', kind: 'textarea', label: T('cases:justice.objectives'), required: true },
    { name: 'planned_services', kind: 'checkboxes', label: T('cases:justice.planned_services'), options: optionsOf(labels, 'service_types') },
    { name: 'actual_end_on', kind: 'date', label: T('cases:justice.actual_end') },
  ];
}

function extensionFields(T: T): FieldSpec[] {
  return [
    { name: 'days', kind: 'integer', label: T('cases:justice.days'), required: true },
    { name: 'decided_on', kind: 'date', label: T('cases:justice.decided_on'), required: true },
    { name: 'reason', kind: 'textarea', label: T('cases:justice.reason'), hint: T('cases:justice.sealed_hint'), required: true },
  ];
}

function permitFields(T: T, labels: Labels): FieldSpec[] {
  const decided = (v: Values) => !!v.decision && v.decision !== 'pending';
  return [
    { name: 'permit_type', kind: 'select', label: T('cases:justice.permit_type'), options: optionsOf(labels, 'permit_types'), required: true },
    { name: 'applied_on', kind: 'date', label: T('cases:justice.applied_on'), required: true },
    { name: 'decision', kind: 'select', label: T('cases:justice.decision'), options: optionsOf(labels, 'permit_decisions') },
    { name: 'decided_on', kind: 'date', label: T('cases:justice.decided_on'), required: true, when: decided },
    { name: 'expires_on', kind: 'date', label: T('cases:justice.expires_on'), when: (v) => v.decision === 'granted' },
  ];
}

function proceedingFields(T: T, labels: Labels): FieldSpec[] {
  return [
    { name: 'stage', kind: 'select', label: T('cases:justice.stage'), options: optionsOf(labels, 'proceeding_stages'), required: true },
    { name: 'started_on', kind: 'date', label: T('cases:justice.started_on'), required: true },
    { name: 'stage_since', kind: 'date', label: T('cases:justice.stage_since') },
    { name: 'cooperating', kind: 'yesno', label: T('cases:justice.cooperating_question'), hint: T('cases:justice.cooperating_hint'), required: true },
    { name: 'ended_on', kind: 'date', label: T('cases:justice.ended_on'), required: true, when: (v) => v.stage === 'judgment' || v.stage === 'closed' },
  ];
}

function claimFields(T: T, labels: Labels): FieldSpec[] {
  const decided = (v: Values) => !!v.status && v.status !== 'filed';
  const awarded = (v: Values) => v.status === 'awarded' || v.status === 'paid';
  return [
    { name: 'route', kind: 'select', label: T('cases:justice.route'), options: optionsOf(labels, 'compensation_routes'), required: true },
    { name: 'filed_on', kind: 'date', label: T('cases:justice.filed_on'), required: true },
    { name: 'currency', kind: 'text', label: T('cases:justice.currency'), hint: T('cases:justice.currency_hint'), required: true },
    { name: 'amount_claimed_minor', kind: 'money', currency: 'currency', label: T('cases:justice.amount_claimed'), required: true },
    { name: 'status', kind: 'select', label: T('cases:justice.claim_status'), options: optionsOf(labels, 'claim_statuses') },
    { name: 'decided_on', kind: 'date', label: T('cases:justice.decided_on'), required: true, when: decided },
    { name: 'amount_awarded_minor', kind: 'money', currency: 'currency', label: T('cases:justice.amount_awarded'), required: true, when: awarded },
    { name: 'paid_on', kind: 'date', label: T('cases:justice.paid_on'), required: true, when: (v) => v.status === 'paid' },
  ];
}

function returnFields(T: T, labels: Labels): FieldSpec[] {
  return [
    { name: 'returned_on', kind: 'date', label: T('cases:justice.returned_on'), required: true },
    { name: 'destination_country', kind: 'select', label: T('cases:justice.destination'), options: labels.countries.map((c) => ({ value: c.code, label: c.label })), required: true },
    { name: 'voluntary', kind: 'yesno', label: T('cases:justice.voluntary_question'), required: true },
  ];
}

function followUpDoneFields(T: T, labels: Labels): FieldSpec[] {
  return [
    { name: 'done_on', kind: 'date', label: T('cases:justice.done_on'), required: true },
    { name: 'outcome', kind: 'select', label: T('cases:justice.outcome'), options: optionsOf(labels, 'follow_up_outcomes'), required: true },
    { name: 'notes', kind: 'textarea', label: T('cases:justice.visit_notes'), hint: T('cases:justice.sealed_hint') },
  ];
}

// A list of one kind of record: each with a "change" button that opens its form in
// place (sent with the version it was read at), and an "add" button for a new one.
function Records<R extends { id: number; version?: number }>(p: {
  title: string;
  list: R[];
  describe: (r: R) => ComponentChildren;
  canChange: boolean;
  fields: FieldSpec[];
  addTitle?: string;
  add?: (body: Record<string, unknown>, headers: Record<string, string>) => Promise<unknown>;
  addDefaults?: Values;
  edit?: (r: R, body: Record<string, unknown>) => Promise<unknown>;
  editTitle?: string;
  extra?: (r: R) => ComponentChildren;
  onChanged: () => void;
}) {
  const T = useT();
  const [editing, setEditing] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  return (
    <section class="section">
      <h2>{p.title}</h2>
      {p.list.length === 0 && <p class="muted">{T('cases:justice.none')}</p>}
      {p.list.map((r, i) => (
        <div class="record" key={r.id}>
          {p.describe(r)}
          {p.canChange && p.edit && editing !== r.id && (
            <div class="record__actions">
              <button type="button" class="button button--secondary" onClick={() => setEditing(r.id)}>
                {T('common:change')}
                <span class="visually-hidden">
                  {' '}
                  {p.title} {i + 1}
                </span>
              </button>
            </div>
          )}
          {p.canChange && p.edit && editing === r.id && (
            <RecordForm
              title={p.editTitle ?? p.title}
              fields={p.fields}
              initial={valuesOf(r as unknown as Record<string, unknown>, p.fields)}
              submitLabel={T('common:save')}
              submit={(body) => p.edit!(r, body)}
              onDone={() => {
                setEditing(null);
                p.onChanged();
              }}
              onCancel={() => setEditing(null)}
            />
          )}
          {p.extra?.(r)}
        </div>
      ))}
      {p.canChange && p.add && !adding && (
        <button type="button" class="button button--secondary" onClick={() => setAdding(true)}>
          {p.addTitle}
        </button>
      )}
      {p.canChange && p.add && adding && (
        <RecordForm
          title={p.addTitle ?? p.title}
          fields={p.fields}
          initial={p.addDefaults}
          submitLabel={T('common:save')}
          submit={p.add}
          onDone={() => {
            setAdding(false);
            p.onChanged();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </section>
  );
}

function SupportPlan({ caseId, plan, canChange, onChanged }: { caseId: number; plan: Plan | null; canChange: boolean; onChanged: () => void }) {
  const T = useT();
  const labels = useLabels();
  const [revising, setRevising] = useState(false);
  const fields = planFields(T, labels);
  return (
    <section class="section">
      <h2>{T('cases:justice.plan')}</h2>
      {plan ? (
        <Facts
          rows={[
            [T('cases:justice.revision'), String(plan.revision)],
            [T('cases:justice.assessed_on'), formatDate(plan.assessed_on)],
            ...(plan.needs !== undefined ? ([[T('cases:justice.needs'), plan.needs]] as Array<[string, string]>) : []),
            ...(plan.objectives !== undefined ? ([[T('cases:justice.objectives'), plan.objectives]] as Array<[string, string]>) : []),
            [T('cases:justice.planned_services'), plan.planned_services.map((s) => labels.label('service_types', s)).join(', ')],
            [T('cases:justice.planned_end'), formatDate(plan.planned_end_on)],
            [T('cases:justice.actual_end'), formatDate(plan.actual_end_on)],
          ]}
        />
      ) : (
        <p class="muted">{T('cases:justice.none')}</p>
      )}
      {canChange && !revising && (
        <button type="button" class="button button--secondary" onClick={() => setRevising(true)}>
          {plan ? T('cases:justice.revise_plan') : T('cases:justice.make_plan')}
        </button>
      )}
      {canChange && revising && (
        <RecordForm
          title={plan ? T('cases:justice.revise_plan') : T('cases:justice.make_plan')}
          fields={fields}
          initial={plan ? valuesOf(plan as unknown as Record<string, unknown>, fields) : { assessed_on: todayIso() }}
          submitLabel={T('common:save')}
          submit={(body) => api.put(`/api/v1/cases/${caseId}/support-plan`, { ...body, based_on_revision: plan?.revision ?? 0 })}
          onDone={() => {
            setRevising(false);
            onChanged();
          }}
          onCancel={() => setRevising(false)}
        />
      )}
    </section>
  );
}

function FollowUpDone({ followUp, onDone }: { followUp: FollowUp; onDone: () => void }) {
  const T = useT();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <div class="record__actions">
        <button type="button" class="button button--secondary" onClick={() => setOpen(true)}>
          {T('cases:justice.record_visit')}
        </button>
      </div>
    );
  return (
    <RecordForm
      title={T('cases:justice.record_visit')}
      fields={followUpDoneFields(T, labels)}
      initial={{ done_on: todayIso() }}
      submitLabel={T('common:save')}
      submit={(body, headers) => api.post(`/api/v1/follow-ups/${followUp.id}/complete`, body, headers)}
      onDone={onDone}
      onCancel={() => setOpen(false)}
    />
  );
}

export function JusticeTab({ caseId, canChange, onCaseChanged }: { caseId: number; canChange: boolean; onCaseChanged: () => void }) {
  const T = useT();
  const labels = useLabels();
  const data = useAsync(
    () =>
      Promise.all([
        api.get<{ current: Plan | null }>(`/api/v1/cases/${caseId}/support-plan`).then((r) => r.current, () => null),
        items<Extension>(`/api/v1/cases/${caseId}/reflection-extensions`),
        items<Permit>(`/api/v1/cases/${caseId}/residence-permits`),
        items<Proceeding>(`/api/v1/cases/${caseId}/proceedings`),
        items<Claim>(`/api/v1/cases/${caseId}/compensation-claims`),
        items<Return>(`/api/v1/cases/${caseId}/return`),
        items<FollowUp>(`/api/v1/cases/${caseId}/follow-ups`),
      ]),
    [caseId],
  );
  const reload = data.reload;
  // A record that moves the case (an extension, the return) changes the case page too.
  const reloadAll = () => {
    data.reload();
    onCaseChanged();
  };
  const post = (path: string) => (body: Record<string, unknown>, headers: Record<string, string>) => api.post(`/api/v1/cases/${caseId}/${path}`, body, headers);
  const put = (path: string) => (r: Versioned, body: Record<string, unknown>) => api.put(`/api/v1/${path}/${r.id}`, { ...body, version: r.version });

  return (
    <Loaded value={data}>
      {([plan, extensions, permits, proceedings, claims, returns, followUps]) => (
        <>
          <SupportPlan caseId={caseId} plan={plan} canChange={canChange} onChanged={reload} />
          <Records
            title={T('cases:justice.extensions')}
            list={extensions}
            describe={(e) => (
              <p>
                {T('cases:justice.extension', { days: e.days, from: formatDate(e.previous_end), to: formatDate(e.new_end), on: formatDate(e.decided_on) })}
                {e.reason !== undefined && <span class="note__text"> — {e.reason}</span>}
              </p>
            )}
            canChange={canChange}
            fields={extensionFields(T)}
            addTitle={T('cases:justice.add_extension')}
            addDefaults={{ decided_on: todayIso() }}
            add={post('reflection-extensions')}
            onChanged={reloadAll}
          />
          <Records
            title={T('cases:justice.permits')}
            list={permits}
            describe={(p) => (
              <p>
                {labels.label('permit_types', p.permit_type)} · {T('cases:justice.applied', { date: formatDate(p.applied_on) })}
                {p.decision && ` · ${labels.label('permit_decisions', p.decision)}${p.decided_on ? ` ${formatDate(p.decided_on)}` : ''}`}
                {p.expires_on && ` · ${T('cases:justice.expires', { date: formatDate(p.expires_on) })}`}
              </p>
            )}
            canChange={canChange}
            fields={permitFields(T, labels)}
            addTitle={T('cases:justice.add_permit')}
            add={post('residence-permits')}
            edit={put('residence-permits')}
            onChanged={reload}
          />
          <Records
            title={T('cases:justice.proceedings')}
            list={proceedings}
            describe={(p) => (
              <p>
                {labels.label('proceeding_stages', p.stage)} · {T('cases:justice.since', { date: formatDate(p.stage_since ?? p.started_on) })}
                {p.cooperating && ` · ${T('cases:justice.cooperating')}`}
                {p.ended_on && ` · ${T('cases:justice.ended', { date: formatDate(p.ended_on) })}`}
              </p>
            )}
            canChange={canChange}
            fields={proceedingFields(T, labels)}
            addTitle={T('cases:justice.add_proceeding')}
            add={post('proceedings')}
            edit={put('proceedings')}
            onChanged={reload}
          />
          <Records
            title={T('cases:justice.compensation')}
            list={claims}
            describe={(c) => (
              <p>
                {labels.label('compensation_routes', c.route)} · {labels.label('claim_statuses', c.status)}
                {` · ${T('cases:justice.claimed', { amount: formatMoney(c.amount_claimed_minor, c.currency) })}`}
                {c.amount_awarded_minor !== null && ` · ${T('cases:justice.awarded', { amount: formatMoney(c.amount_awarded_minor, c.currency) })}`}
              </p>
            )}
            canChange={canChange}
            fields={claimFields(T, labels)}
            addTitle={T('cases:justice.add_claim')}
            addDefaults={{ currency: 'AZN' }}
            add={post('compensation-claims')}
            edit={put('compensation-claims')}
            onChanged={reload}
          />
          <Records
            title={T('cases:justice.return')}
            list={returns}
            describe={(r) => (
              <p>
                {formatDate(r.returned_on)} · {labels.country(r.destination_country)} · {r.voluntary ? T('cases:justice.voluntary') : T('cases:justice.not_voluntary')}
              </p>
            )}
            canChange={canChange}
            fields={returnFields(T, labels)}
            addTitle={T('cases:justice.add_return')}
            add={returns.length ? undefined : post('return')}
            onChanged={reloadAll}
          />
          {returns.length > 0 && (
            <Records
              title={T('cases:justice.follow_ups')}
              list={followUps}
              describe={(f) => (
                <p>
                  {T('cases:justice.follow_up', { date: formatDate(f.due_on) })}
                  {f.done_on ? ` · ${labels.label('follow_up_outcomes', f.outcome)} ${formatDate(f.done_on)}` : ` · ${T('cases:justice.open')}`}
                  {f.notes && <span class="note__text"> — {f.notes}</span>}
                </p>
              )}
              canChange={canChange}
              fields={[{ name: 'due_on', kind: 'date', label: T('cases:justice.due_on'), required: true }]}
              addTitle={T('cases:justice.add_follow_up')}
              add={post('follow-ups')}
              extra={(f) => (canChange && !f.done_on ? <FollowUpDone followUp={f} onDone={reloadAll} /> : null)}
              onChanged={reload}
            />
          )}
        </>
      )}
    </Loaded>
  );
}
