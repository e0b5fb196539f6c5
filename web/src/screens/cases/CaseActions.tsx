// What the case's own staff do to the case itself besides moving it through the
// workflow: correct its facts (sent with the version read, so that a change made in
// the meantime is not overwritten), put someone in charge, withdraw a closure request,
// reopen a closed case with a reason.
import { useState } from 'preact/hooks';
import { api, loadAll } from '../../api';
import { RecordForm, valuesOf, type FieldSpec } from '../../components/RecordForm';
import { SelectField, TextArea, errorText } from '../../components/forms';
import { Loaded, Notice, useAsync } from '../../components/ui';
import { formatDate, formatDateTime, useT } from '../../i18n';
import { can, session } from '../../session';
import { useLabels, type Labels } from '../../vocab';
import type { CaseDetail } from './types';

type T = ReturnType<typeof useT>;

function factFields(T: T, labels: Labels, child: boolean): FieldSpec[] {
  const terms = (v: string) => labels.terms(v).map((x) => ({ value: x.code, label: x.label }));
  const places = (list: Labels['countries']) => list.map((x) => ({ value: x.code, label: x.label }));
  const fields: FieldSpec[] = [
    { name: 'identified_on', kind: 'date', label: T('cases:fields.identified_on'), required: true },
    { name: 'identified_by', kind: 'select', label: T('cases:fields.identified_by'), options: terms('identifying_bodies'), required: true },
    { name: 'exploitation', kind: 'checkboxes', label: T('cases:fields.exploitation'), options: terms('forms_of_exploitation'), required: true },
    { name: 'means_of_control', kind: 'checkboxes', label: T('cases:fields.means_of_control'), options: terms('means_of_control') },
    { name: 'recruiter_relation', kind: 'select', label: T('cases:fields.recruiter_relation'), options: terms('recruiter_relations') },
    { name: 'country_of_recruitment', kind: 'select', label: T('cases:fields.country_of_recruitment'), options: places(labels.countries) },
    { name: 'country_of_exploitation', kind: 'select', label: T('cases:fields.country_of_exploitation'), options: places(labels.countries) },
    { name: 'region', kind: 'select', label: T('cases:fields.region'), options: places(labels.regions) },
    { name: 'transnational', kind: 'yesno', label: T('cases:fields.transnational') },
  ];
  if (child)
    fields.push(
      { name: 'child_status', kind: 'select', label: T('cases:fields.child_status'), options: terms('child_statuses') },
      { name: 'best_interests_assessed_on', kind: 'date', label: T('cases:fields.best_interests_assessed_on') },
    );
  return fields;
}

export function CorrectFacts({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const T = useT();
  const labels = useLabels();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const fields = factFields(T, labels, !!detail.child);
  return (
    <section class="section">
      {done && <Notice kind="success">{T('cases:actions.facts_saved')}</Notice>}
      {!open ? (
        <button type="button" class="button button--secondary" onClick={() => { setOpen(true); setDone(false); }}>
          {T('cases:actions.correct_facts')}
        </button>
      ) : (
        <RecordForm
          title={T('cases:actions.correct_facts')}
          fields={fields}
          initial={valuesOf(detail as unknown as Record<string, unknown>, fields)}
          mode="patch"
          submitLabel={T('common:save')}
          submit={(body) => api.patch(`/api/v1/cases/${detail.id}`, { ...body, version: detail.version })}
          onDone={() => {
            setOpen(false);
            setDone(true);
            onChanged();
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </section>
  );
}

interface Account {
  id: number;
  username: string;
  active: boolean;
  permissions?: string[];
}

// Who is in charge. A supervisor chooses among the organisation's accounts that may hold
// a case; a caseworker may take an unassigned case herself.
export function Assignment({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const T = useT();
  const me = session.get()!.user.id;
  const supervisor = can('assign_cases');
  const staff = useAsync(
    () => (supervisor ? loadAll<Account>('/api/v1/users', { active: true }).then((us) => us.filter((u) => u.permissions?.includes('change_case'))) : Promise.resolve([] as Account[])),
    [supervisor],
  );
  const [choice, setChoice] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const assign = async (userId: number | null) => {
    try {
      await api.put(`/api/v1/cases/${detail.id}/assignment`, { user_id: userId });
      setError('');
      setDone(T('cases:actions.assigned'));
      setChoice('');
      onChanged();
    } catch (err) {
      setDone('');
      setError(errorText(err));
    }
  };
  const holder = detail.assigned_to;
  return (
    <Loaded value={staff}>
      {(accounts) => {
        const nameOf = (id: number) => (id === me ? T('cases:actions.you') : (accounts.find((a) => a.id === id)?.username ?? T('cases:actions.colleague')));
        return (
          <section class="section" aria-labelledby="in-charge">
            <h2 id="in-charge">{T('cases:actions.in_charge')}</h2>
            <p>{holder ? nameOf(holder) : T('cases:actions.nobody')}</p>
            {done && <Notice kind="success">{done}</Notice>}
            {error && <div class="notice notice--error" role="alert">{error}</div>}
            {supervisor ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  if (choice) assign(choice === 'none' ? null : Number(choice));
                }}
              >
                <div class="grid-2">
                  <SelectField id="assignee" label={T('cases:actions.assign_to')} value={choice} onChange={setChoice} empty={T('common:choose')}
                    options={[{ value: 'none', label: T('cases:actions.nobody') }, ...accounts.map((a) => ({ value: String(a.id), label: a.username }))]} />
                </div>
                <button type="submit" class="button button--secondary">{T('cases:actions.assign')}</button>
              </form>
            ) : (
              !holder && (
                <button type="button" class="button button--secondary" onClick={() => assign(me)}>
                  {T('cases:actions.take')}
                </button>
              )
            )}
          </section>
        );
      }}
    </Loaded>
  );
}

interface ClosureRequest {
  id: number;
  closure_reason: string;
  on: string;
  requested_at: string;
  status: string;
  decision_note?: string;
}

// The closure request that awaits a supervisor, which the caseworker may withdraw, and
// the last decision on one.
export function PendingClosure({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const T = useT();
  const labels = useLabels();
  const requests = useAsync(() => api.get<{ items: ClosureRequest[] }>(`/api/v1/cases/${detail.id}/closure-requests`), [detail.id, detail.version]);
  const [error, setError] = useState('');
  const withdraw = async () => {
    try {
      await api.post(`/api/v1/cases/${detail.id}/closure/withdraw`, {});
      setError('');
      requests.reload();
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Loaded value={requests}>
      {(r) => {
        const pending = r.items.find((x) => x.status === 'pending');
        const last = [...r.items].reverse().find((x) => x.status === 'rejected');
        if (!pending && !last) return null;
        return (
          <section class="section" aria-labelledby="closure-request">
            <h2 id="closure-request">{T('cases:actions.closure_request')}</h2>
            {error && <div class="notice notice--error" role="alert">{error}</div>}
            {pending ? (
              <>
                <p>
                  {T('cases:actions.closure_pending', { reason: labels.label('closure_reasons', pending.closure_reason), on: formatDate(pending.on), at: formatDateTime(pending.requested_at) })}
                </p>
                <button type="button" class="button button--secondary" onClick={withdraw}>
                  {T('cases:actions.withdraw')}
                </button>
              </>
            ) : (
              <p>
                {T('cases:actions.closure_rejected', { at: formatDateTime(last!.requested_at) })} {last!.decision_note}
              </p>
            )}
          </section>
        );
      }}
    </Loaded>
  );
}

export function Reopen({ detail, onChanged }: { detail: CaseDetail; onChanged: () => void }) {
  const T = useT();
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (reason.trim().length < 5) {
      setError(T('cases:actions.reopen_reason_missing'));
      return;
    }
    try {
      await api.post(`/api/v1/cases/${detail.id}/reopen`, { reason: reason.trim() });
      setReason('');
      setError('');
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section class="section" aria-labelledby="reopen-title">
      <h2 id="reopen-title">{T('cases:actions.reopen')}</h2>
      <form onSubmit={submit} noValidate>
        <TextArea id="reopen-reason" label={T('cases:actions.reopen_reason')} hint={T('cases:actions.reopen_hint')} value={reason} onInput={setReason} error={error} rows={3} />
        <button type="submit" class="button">{T('cases:actions.reopen')}</button>
      </form>
    </section>
  );
}
