// Referrals received and sent by one's organisation, by case code and organisation,
// never a name. The receiver accepts, declines with a reason, and completes what it
// accepted; the sender revokes what is still pending. The server holds the rules and
// says with each referral which steps are open (next_steps); the buttons offer those.
import { useRef, useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import { SelectField, TextArea, errorText, formErrors, type FieldErrors } from '../../components/forms';
import { Dialog, Facts, Loaded, Notice, Pager, Tag, useAsync, usePageTitle, usePager, DataTable } from '../../components/ui';
import { formatDate, formatDateTime, useT } from '../../i18n';
import { useLabels, type Labels } from '../../vocab';
import { useOrganizations } from '../../organizations';
import './referrals.css';

export interface Referral {
  id: number;
  kind: 'referral' | 'transfer';
  case_id: number;
  case_code: string;
  from_organization_id: number;
  to_organization_id: number;
  purposes: string[];
  services_requested: string[];
  status: 'pending' | 'accepted' | 'declined' | 'completed' | 'revoked';
  created_at: string;
  accepted_at: string | null;
  declined_at: string | null;
  completed_at: string | null;
  revoked_at: string | null;
  version: number;
  override?: { basis: string; categories: string[] };
  note?: string;
  decline_reason?: string;
  // What the signed-in user may do now, as the server's access policy says.
  next_steps: Array<'accept' | 'decline' | 'complete' | 'revoke'>;
}

export type Direction = 'incoming' | 'outgoing';

const TONES = { pending: 'warn', accepted: 'good', completed: 'good', declined: 'bad', revoked: 'neutral' } as const;

export function ReferralStatus({ status }: { status: Referral['status'] }) {
  const labels = useLabels();
  return <Tag tone={TONES[status] ?? 'neutral'}>{labels.label('referral_statuses', status)}</Tag>;
}

export function listOf(labels: Labels, vocabulary: string, codes: string[] | undefined): string {
  return (codes ?? []).map((c) => labels.label(vocabulary, c)).join(', ');
}

// The steps open to the signed-in user on one referral.
export function useReferralSteps(onChanged: (r: Referral, message: string) => void) {
  const T = useT();
  const [declining, setDeclining] = useState<Referral | null>(null);
  const [revoking, setRevoking] = useState<Referral | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const post = async (r: Referral, step: 'accept' | 'decline' | 'complete' | 'revoke', body: unknown = {}) => {
    setBusy(true);
    setError('');
    try {
      const changed = await api.post<Referral>(`/api/v1/referrals/${r.id}/${step}`, body);
      const messages = {
        accept: T('referrals:done.accepted', { code: r.case_code }),
        decline: T('referrals:done.declined', { code: r.case_code }),
        complete: T('referrals:done.completed', { code: r.case_code }),
        revoke: T('referrals:done.revoked', { code: r.case_code }),
      };
      setDeclining(null);
      setRevoking(null);
      setReason('');
      setErrors({});
      onChanged(changed, messages[step]);
    } catch (err) {
      if (step === 'decline') setErrors(formErrors(err, ['reason']));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const decline = (e: Event) => {
    e.preventDefault();
    if (!declining) return;
    if (reason.trim().length < 5) {
      setErrors({ reason: T('referrals:decline.reason_missing') });
      return;
    }
    void post(declining, 'decline', { reason: reason.trim() });
  };

  const buttons = (r: Referral) => {
    const may = (step: Referral['next_steps'][number]) => (r.next_steps ?? []).includes(step);
    const code = <span class="visually-hidden"> {r.case_code}</span>;
    return (
      <div class="referral-steps">
        {may('accept') && (
          <button type="button" class="button" disabled={busy} onClick={() => post(r, 'accept')}>
            {T('referrals:steps.accept')}
            {code}
          </button>
        )}
        {may('decline') && (
          <button
            type="button"
            class="button button--secondary"
            disabled={busy}
            onClick={() => {
              setError('');
              setErrors({});
              setReason('');
              setDeclining(r);
            }}
          >
            {T('referrals:steps.decline')}
            {code}
          </button>
        )}
        {may('complete') && (
          <button type="button" class="button button--secondary" disabled={busy} onClick={() => post(r, 'complete')}>
            {T('referrals:steps.complete')}
            {code}
          </button>
        )}
        {may('revoke') && (
          <button
            type="button"
            class="button button--secondary"
            disabled={busy}
            onClick={() => {
              setError('');
              setRevoking(r);
            }}
          >
            {T('referrals:steps.revoke')}
            {code}
          </button>
        )}
      </div>
    );
  };

  const dialogs = (
    <>
      {declining && (
        <Dialog title={T('referrals:decline.title', { code: declining.case_code })} open onClose={() => setDeclining(null)}>
          <form onSubmit={decline} noValidate>
            {errors._form && (
              <div class="notice notice--error" role="alert">
                {errors._form}
              </div>
            )}
            <TextArea
              id="decline-reason"
              label={T('referrals:decline.reason')}
              hint={T('referrals:decline.reason_hint')}
              value={reason}
              onInput={setReason}
              error={errors.reason}
              rows={3}
            />
            <div class="button-row">
              <button type="submit" class="button button--warning" disabled={busy}>
                {T('referrals:steps.decline')}
              </button>
              <button type="button" class="button button--secondary" onClick={() => setDeclining(null)}>
                {T('common:cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
      {revoking && (
        <Dialog title={T('referrals:revoke.title', { code: revoking.case_code })} open onClose={() => setRevoking(null)}>
          <p>{T('referrals:revoke.text')}</p>
          {error && (
            <div class="notice notice--error" role="alert">
              {error}
            </div>
          )}
          <div class="button-row">
            <button type="button" class="button button--warning" disabled={busy} onClick={() => post(revoking, 'revoke')}>
              {T('referrals:steps.revoke')}
            </button>
            <button type="button" class="button button--secondary" onClick={() => setRevoking(null)}>
              {T('common:cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );

  return { buttons, dialogs, error: declining || revoking ? '' : error };
}

// What a party may read of one referral, in a dialog.
export function ReferralFacts({ r, orgName }: { r: Referral; orgName: (id: number) => string }) {
  const T = useT();
  const labels = useLabels();
  const rows: Array<[string, string]> = [
    [T('referrals:fields.case'), r.case_code],
    [T('referrals:fields.kind'), labels.label('referral_kinds', r.kind)],
    [T('referrals:fields.from'), orgName(r.from_organization_id)],
    [T('referrals:fields.to'), orgName(r.to_organization_id)],
    [T('referrals:fields.purposes'), listOf(labels, 'purposes', r.purposes)],
    [T('referrals:fields.services'), listOf(labels, 'service_types', r.services_requested)],
    [T('referrals:fields.status'), labels.label('referral_statuses', r.status)],
    [T('referrals:fields.sent_at'), formatDateTime(r.created_at)],
    [T('referrals:fields.accepted_at'), formatDateTime(r.accepted_at)],
    [T('referrals:fields.declined_at'), formatDateTime(r.declined_at)],
    [T('referrals:fields.completed_at'), formatDateTime(r.completed_at)],
    [T('referrals:fields.revoked_at'), formatDateTime(r.revoked_at)],
  ];
  if (r.override)
    rows.push([
      T('referrals:fields.override'),
      `${labels.label('override_bases', r.override.basis)} (${listOf(labels, 'data_categories', r.override.categories)})`,
    ]);
  if (r.note !== undefined) rows.push([T('referrals:fields.note'), r.note]);
  if (r.decline_reason !== undefined) rows.push([T('referrals:fields.decline_reason'), r.decline_reason]);
  return <Facts rows={rows} />;
}

function ReferralTable({ direction }: { direction: Direction }) {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const pager = usePager();
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [message, setMessage] = useState('');
  const [open, setOpen] = useState<Referral | null>(null);
  const list = useAsync(
    () => api.get<Page<Referral>>('/api/v1/referrals', { direction, status, kind, limit: 25, cursor: pager.cursor }),
    [direction, status, kind, pager.cursor],
  );
  const steps = useReferralSteps((_, m) => {
    setMessage(m);
    list.reload();
  });
  const other = (r: Referral) => orgs.name(direction === 'incoming' ? r.from_organization_id : r.to_organization_id);

  return (
    <>
      <div class="filters">
        <SelectField
          id={`${direction}-status`}
          label={T('referrals:fields.status')}
          value={status}
          empty={T('common:any')}
          options={labels.terms('referral_statuses').map((t) => ({ value: t.code, label: t.label }))}
          onChange={(v) => {
            setStatus(v);
            pager.reset();
          }}
        />
        <SelectField
          id={`${direction}-kind`}
          label={T('referrals:fields.kind')}
          value={kind}
          empty={T('common:any')}
          options={labels.terms('referral_kinds').map((t) => ({ value: t.code, label: t.label }))}
          onChange={(v) => {
            setKind(v);
            pager.reset();
          }}
        />
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      {steps.error && (
        <div class="notice notice--error" role="alert">
          {steps.error}
        </div>
      )}
      <Loaded value={list}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{direction === 'incoming' ? T('referrals:none_incoming') : T('referrals:none_outgoing')}</p>
          ) : (
            <>
              <DataTable caption={direction === 'incoming' ? T('referrals:tabs.incoming') : T('referrals:tabs.outgoing')} columns={[T('referrals:fields.case'), T('referrals:fields.kind'), direction === 'incoming' ? T('referrals:fields.from') : T('referrals:fields.to'), T('referrals:fields.purposes'), T('referrals:fields.sent_on'), T('referrals:fields.status'), T('referrals:actions')]}>
                {page.items.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <a href={`/cases/${r.case_id}`}>{r.case_code}</a>
                    </td>
                    <td>{labels.label('referral_kinds', r.kind)}</td>
                    <td>{other(r)}</td>
                    <td>{listOf(labels, 'purposes', r.purposes)}</td>
                    <td>{formatDate(r.created_at)}</td>
                    <td>
                      <ReferralStatus status={r.status} />
                    </td>
                    <td>
                      <div class="referral-steps">
                        <button type="button" class="button button--secondary" onClick={() => setOpen(r)}>
                          {T('referrals:steps.details')}
                          <span class="visually-hidden"> {r.case_code}</span>
                        </button>
                        {steps.buttons(r)}
                      </div>
                    </td>
                  </tr>
                ))}
              </DataTable>
              <Pager pager={pager} nextCursor={page.next_cursor} />
            </>
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
    </>
  );
}

export default function Referrals() {
  const T = useT();
  usePageTitle(T('referrals:title'));
  const [tab, setTab] = useState<Direction>('incoming');
  const tabs: Direction[] = ['incoming', 'outgoing'];
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const label = (d: Direction) => (d === 'incoming' ? T('referrals:tabs.incoming') : T('referrals:tabs.outgoing'));

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const i = tabs.indexOf(tab);
    const next =
      e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : (i + (e.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length;
    setTab(tabs[next]);
    refs.current[tabs[next]]?.focus();
  };

  return (
    <>
      <h1>{T('referrals:title')}</h1>
      <p class="lead">{T('referrals:intro')}</p>
      <div class="tabs" role="tablist" aria-label={T('referrals:title')}>
        {tabs.map((d) => (
          <button
            key={d}
            ref={(el) => {
              refs.current[d] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${d}`}
            class="tabs__tab"
            aria-selected={tab === d}
            aria-controls={tab === d ? `panel-${d}` : undefined}
            tabIndex={tab === d ? 0 : -1}
            onClick={() => setTab(d)}
            onKeyDown={onKey}
          >
            {label(d)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0} class="tabs__panel referrals-list">
        <ReferralTable key={tab} direction={tab} />
      </div>
    </>
  );
}
