// A case's allowance payments, on the case page: the ledger of the case, a request for
// a payment (the amount always comes from the rate schedule, never from the form) and
// the cancellation of a request still awaiting approval. Also the pieces the
// allowances screen shares: the types of the API's answers and their texts.
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey, type Page } from '../../api';
import { ErrorSummary, SelectField, TextArea, TextField, formErrors, type FieldErrors } from '../../components/forms';
import { Dialog, ErrorNotice, Loaded, Loading, Notice, Pager, Tag, usePager, useAsync } from '../../components/ui';
import { formatDate, formatMoney, formatMonth, todayIso, useT } from '../../i18n';
import { can } from '../../session';
import { useLabels } from '../../vocab';
import { useFocusReturn } from '../shelters/CaseStays';
import '../shelters/shelters.css';

export interface Rate {
  id: number;
  kind: string;
  amount_minor: number;
  currency: string;
  effective_from: string;
  period: string;
  created_at: string;
}

export interface Payment {
  id: number;
  case_id: number;
  case_code: string;
  organization_id: number;
  kind: string;
  paid_on: string;
  amount_minor: number;
  currency: string;
  rate_id: number;
  status: 'pending_approval' | 'approved' | 'rejected' | 'cancelled';
  requested_by: number;
  approved_by: number | null;
  approved_at: string | null;
  period: string;
  decided_by: number | null;
  decided_at: string | null;
}

type Translate = ReturnType<typeof useT>;

// The kinds of allowance the catalogs name; another kind is shown by its code.
export function kindLabel(kind: string, T: Translate): string {
  switch (kind) {
    case 'monthly_allowance':
      return T('allowances:kinds.monthly_allowance');
    case 'one_time_grant':
      return T('allowances:kinds.one_time_grant');
    default:
      return kind;
  }
}

export function StatusTag({ status }: { status: string }) {
  const labels = useLabels();
  const tone = status === 'approved' ? 'good' : status === 'pending_approval' ? 'warn' : status === 'rejected' ? 'bad' : 'neutral';
  return <Tag tone={tone}>{labels.label('payment_statuses', status)}</Tag>;
}

// The rate of `kind` in force on `on`: the latest that took effect by then.
export function rateInForce(rates: Rate[], kind: string, on: string): Rate | undefined {
  return rates
    .filter((r) => r.kind === kind && r.effective_from <= on)
    .sort((a, b) => b.effective_from.localeCompare(a.effective_from))[0];
}

// Rejects (the approver) or cancels (the requester) a payment awaiting approval, with
// a stated reason. Rendered only while open.
export function DecideDialog({
  payment,
  action,
  title,
  onClose,
  onDone,
}: {
  payment: Payment;
  action: 'reject' | 'cancel';
  title: string;
  onClose: () => void;
  onDone: (p: Payment) => void;
}) {
  const T = useT();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const label = action === 'reject' ? T('allowances:decide.reject_reason') : T('allowances:decide.cancel_reason');

  const submit = async (e: Event) => {
    e.preventDefault();
    if (reason.trim().length < 5) {
      setErrors({ decide_reason: T('allowances:decide.reason_short', { count: 5 }) });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const done = await api.post<Payment>(
        `/api/v1/payments/${payment.id}/${action}`,
        { reason: reason.trim() },
        { 'Idempotency-Key': newIdempotencyKey() },
      );
      onDone(done);
    } catch (err) {
      setErrors(formErrors(err, [], { reason: 'decide_reason' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} open onClose={onClose}>
      <ErrorSummary errors={errors} labels={{ decide_reason: label }} />
      <p>
        {kindLabel(payment.kind, T)} · {formatMonth(payment.period)} · {formatMoney(payment.amount_minor, payment.currency)}
      </p>
      <form onSubmit={submit} noValidate>
        <TextArea
          id="decide_reason"
          label={label}
          hint={T('allowances:decide.reason_hint')}
          value={reason}
          onInput={setReason}
          error={errors.decide_reason}
          rows={3}
        />
        <div class="button-row">
          <button type="submit" class="button button--warning" disabled={busy}>
            {action === 'reject' ? T('allowances:decide.reject') : T('allowances:decide.cancel_payment')}
          </button>
          <button type="button" class="button button--secondary" onClick={onClose}>
            {T('common:cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const PAGE = 25;

export function CasePayments({ caseId, canChange }: { caseId: number; canChange: boolean }) {
  const T = useT();
  const pager = usePager();
  const payments = useAsync(
    () => api.get<Page<Payment>>(`/api/v1/cases/${caseId}/payments`, { limit: PAGE, cursor: pager.cursor }),
    [caseId, pager.cursor],
  );
  const mayRequest = canChange && can('request_payment');
  const [cancelling, setCancelling] = useState<Payment | null>(null);
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);
  const focus = useFocusReturn();

  const changed = (message: string) => {
    setNotice(message);
    pager.reset();
    payments.reload();
    setTimeout(() => noticeRef.current?.focus(), 0);
  };

  return (
    <section class="section" aria-labelledby="case-payments-title">
      <h2 id="case-payments-title">{T('allowances:case.title')}</h2>
      {notice && (
        <div ref={noticeRef} tabIndex={-1}>
          <Notice kind="success">{notice}</Notice>
        </div>
      )}
      <Loaded value={payments}>
        {(page) =>
          page.items.length === 0 && pager.page === 1 ? (
            <p>{T('allowances:case.none')}</p>
          ) : (
            <>
              <div class="table-wrap">
                <table class="table">
                  <caption class="visually-hidden">{T('allowances:case.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{T('allowances:payment.period')}</th>
                      <th scope="col">{T('allowances:payment.kind')}</th>
                      <th scope="col">{T('allowances:payment.paid_on')}</th>
                      <th scope="col" class="num">{T('allowances:payment.amount')}</th>
                      <th scope="col">{T('allowances:payment.status')}</th>
                      {mayRequest && (
                        <th scope="col">
                          <span class="visually-hidden">{T('allowances:payment.actions')}</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((p) => (
                      <tr key={p.id}>
                        <td>{formatMonth(p.period)}</td>
                        <td>{kindLabel(p.kind, T)}</td>
                        <td>{formatDate(p.paid_on)}</td>
                        <td class="num">{formatMoney(p.amount_minor, p.currency)}</td>
                        <td>
                          <StatusTag status={p.status} />
                        </td>
                        {mayRequest && (
                          <td>
                            {p.status === 'pending_approval' && (
                              <button
                                type="button"
                                class="button button--secondary button--small"
                                onClick={() => {
                                  focus.remember();
                                  setCancelling(p);
                                }}
                              >
                                {T('allowances:case.cancel')}
                                <span class="visually-hidden"> {formatMonth(p.period)}</span>
                              </button>
                            )}
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {(pager.page > 1 || page.next_cursor) && <Pager pager={pager} nextCursor={page.next_cursor} />}
            </>
          )
        }
      </Loaded>
      {mayRequest && <RequestPayment caseId={caseId} onRequested={() => changed(T('allowances:case.requested'))} />}
      {cancelling && (
        <DecideDialog
          payment={cancelling}
          action="cancel"
          title={T('allowances:case.cancel_title')}
          onClose={() => {
            setCancelling(null);
            focus.restore();
          }}
          onDone={() => {
            setCancelling(null);
            changed(T('allowances:case.cancelled'));
          }}
        />
      )}
    </section>
  );
}

function RequestPayment({ caseId, onRequested }: { caseId: number; onRequested: () => void }) {
  const T = useT();
  const rates = useAsync(() => api.get<{ items: Rate[] }>('/api/v1/allowance-rates').then((r) => r.items), []);
  const kinds = [...new Set((rates.data ?? []).map((r) => r.kind))].sort();
  const [kind, setKind] = useState('');
  const [on, setOn] = useState(todayIso());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const chosen = kind || (kinds.length === 1 ? kinds[0] : '');
  const rate = chosen && on ? rateInForce(rates.data ?? [], chosen, on) : undefined;
  const fieldLabels = { payment_kind: T('allowances:request.kind'), payment_paid_on: T('allowances:request.paid_on') };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: FieldErrors = {};
    if (!chosen) problems.payment_kind = T('allowances:request.kind_missing');
    if (!on) problems.payment_paid_on = T('allowances:request.paid_on_missing');
    else if (on > todayIso()) problems.payment_paid_on = T('common:errors.field.future');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      // The key makes a retried request (a lost answer, a new sign-in) pay once.
      await api.post<Payment>(`/api/v1/cases/${caseId}/payments`, { kind: chosen, paid_on: on }, {
        'Idempotency-Key': newIdempotencyKey(),
      });
      setOn(todayIso());
      onRequested();
    } catch (err) {
      setErrors(
        formErrors(err, [], { kind: 'payment_kind', paid_on: 'payment_paid_on', case_id: '_form' }),
      );
    } finally {
      setBusy(false);
    }
  };

  // The kinds come with the rates: no form to choose from before they are known.
  if (rates.error) return <ErrorNotice error={rates.error} />;
  if (!rates.data) return <Loading />;
  if (kinds.length === 0) return <p class="muted">{T('allowances:request.no_rates')}</p>;
  return (
    <form onSubmit={submit} noValidate class="shelters-form" aria-labelledby="request-payment-title">
      <h3 id="request-payment-title">{T('allowances:request.title')}</h3>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <SelectField
        id="payment_kind"
        label={fieldLabels.payment_kind}
        value={chosen}
        onChange={setKind}
        empty={kinds.length === 1 ? undefined : T('allowances:request.choose_kind')}
        options={kinds.map((k) => ({ value: k, label: kindLabel(k, T) }))}
        error={errors.payment_kind}
      />
      <TextField
        id="payment_paid_on"
        type="date"
        label={fieldLabels.payment_paid_on}
        hint={T('allowances:request.paid_on_hint')}
        value={on}
        onInput={setOn}
        max={todayIso()}
        error={errors.payment_paid_on}
        width="medium"
      />
      <p aria-live="polite">
        {rate ? (
          <>
            {T('allowances:request.amount')}: <span class="money-preview">{formatMoney(rate.amount_minor, rate.currency)}</span>
          </>
        ) : chosen && on ? (
          T('common:errors.no_rate_in_force')
        ) : (
          ''
        )}
      </p>
      <button type="submit" class="button" disabled={busy}>
        {T('allowances:request.submit')}
      </button>
    </form>
  );
}
