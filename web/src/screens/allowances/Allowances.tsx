// Allowances: the rate schedule (set by the coordinators), the payments awaiting the
// approval of someone else than who requested them, and the year's totals.
//
// Payments are named by their case's code, never by a person.
import { useRef, useState } from 'preact/hooks';
import { api, loadAll, newIdempotencyKey } from '../../api';
import { ErrorSummary, SelectField, TextField, errorText, formErrors, type FieldErrors } from '../../components/forms';
import { ErrorNotice, Loaded, Loading, Notice, Tag, usePageTitle, useAsync, DataTable } from '../../components/ui';
import { formatDate, formatMoney, formatNumber, todayIso, useT, formatMonth, toMinor } from '../../i18n';
import { can } from '../../session';
import { useLabels } from '../../vocab';
import { useFocusReturn } from '../shelters/CaseStays';
import {
  DecideDialog,
  kindLabel,
  type Payment,
  type Rate,
} from './CasePayments';
import '../shelters/shelters.css';

export default function Allowances() {
  const T = useT();
  usePageTitle(T('allowances:title'));
  return (
    <>
      <h1>{T('allowances:title')}</h1>
      <p class="lead">{T('allowances:intro')}</p>
      {can('approve_payment') && <ApprovalQueue />}
      <Rates />
      {can('read_statistics') && <Totals />}
      {can('request_payment') && !can('approve_payment') && <p class="section">{T('allowances:request_on_case')}</p>}
    </>
  );
}

// ---- rates

function Rates() {
  const T = useT();
  const labels = useLabels();
  const rates = useAsync(() => api.get<{ items: Rate[] }>('/api/v1/allowance-rates').then((r) => r.items), []);
  const [created, setCreated] = useState('');
  const createdRef = useRef<HTMLDivElement>(null);
  const today = todayIso();

  // Per kind, the rate in force today is the latest that took effect by today.
  const inForce = new Map<string, number>();
  for (const r of [...(rates.data ?? [])].sort((a, b) => a.effective_from.localeCompare(b.effective_from)))
    if (r.effective_from <= today) inForce.set(r.kind, r.id);
  const sorted = [...(rates.data ?? [])].sort(
    (a, b) => a.kind.localeCompare(b.kind) || b.effective_from.localeCompare(a.effective_from),
  );

  return (
    <section class="section" aria-labelledby="rates-title">
      <h2 id="rates-title">{T('allowances:rates.title')}</h2>
      {created && (
        <div ref={createdRef} tabIndex={-1}>
          <Notice kind="success">{created}</Notice>
        </div>
      )}
      <Loaded value={rates}>
        {() =>
          sorted.length === 0 ? (
            <p>{T('allowances:rates.none')}</p>
          ) : (
            <DataTable caption={T('allowances:rates.title')} columns={[T('allowances:rates.kind'), { label: T('allowances:rates.amount'), numeric: true }, T('allowances:rates.period'), T('allowances:rates.effective_from'), T('allowances:rates.state')]}>
              {sorted.map((r) => (
                <tr key={r.id}>
                  <td>{kindLabel(r.kind, T)}</td>
                  <td class="num">{formatMoney(r.amount_minor, r.currency)}</td>
                  <td>{labels.label('allowance_periods', r.period)}</td>
                  <td>{formatDate(r.effective_from)}</td>
                  <td>
                    {inForce.get(r.kind) === r.id ? (
                      <Tag tone="good">{T('allowances:rates.in_force')}</Tag>
                    ) : r.effective_from > today ? (
                      <Tag tone="warn">{T('allowances:rates.planned')}</Tag>
                    ) : (
                      <span class="muted">{T('allowances:rates.earlier')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
      {can('manage_rates') && (
        <NewRate
          kinds={[...new Set(sorted.map((r) => r.kind))]}
          onCreated={(r) => {
            setCreated(
              T('allowances:rates.created', {
                kind: kindLabel(r.kind, T),
                amount: formatMoney(r.amount_minor, r.currency),
                date: formatDate(r.effective_from),
              }),
            );
            rates.reload();
            setTimeout(() => createdRef.current?.focus(), 0);
          }}
        />
      )}
    </section>
  );
}

const RATE_FIELDS: Record<string, string> = {
  kind: 'rate_kind',
  amount_minor: 'rate_amount',
  currency: 'rate_currency',
  period: 'rate_period',
  effective_from: 'rate_effective_from',
};

function NewRate({ kinds, onCreated }: { kinds: string[]; onCreated: (r: Rate) => void }) {
  const T = useT();
  const labels = useLabels();
  const [form, setForm] = useState({ kind: '', amount: '', currency: 'AZN', period: 'month', effective_from: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const fieldLabels = {
    rate_kind: T('allowances:rates.kind'),
    rate_amount: T('allowances:rates.amount'),
    rate_currency: T('allowances:rates.currency'),
    rate_period: T('allowances:rates.period'),
    rate_effective_from: T('allowances:rates.effective_from'),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const kind = form.kind.trim();
    const currency = form.currency.trim().toUpperCase();
    const problems: FieldErrors = {};
    if (!/^[a-z0-9_]{1,50}$/.test(kind)) problems.rate_kind = T('allowances:rates.kind_invalid');
    if (!/^[A-Z]{3}$/.test(currency)) problems.rate_currency = T('allowances:rates.currency_invalid');
    const minor = problems.rate_currency ? null : toMinor(form.amount, currency);
    if (minor === null) problems.rate_amount = T('allowances:rates.amount_invalid');
    if (!form.effective_from) problems.rate_effective_from = T('allowances:rates.effective_from_missing');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const r = await api.post<Rate>(
        '/api/v1/allowance-rates',
        { kind, amount_minor: minor, currency, period: form.period, effective_from: form.effective_from },
        { 'Idempotency-Key': newIdempotencyKey() },
      );
      setForm({ kind: '', amount: '', currency: 'AZN', period: 'month', effective_from: '' });
      onCreated(r);
    } catch (err) {
      setErrors(formErrors(err, [], RATE_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="shelters-form" aria-labelledby="new-rate-title">
      <h3 id="new-rate-title">{T('allowances:rates.new_title')}</h3>
      <p class="muted">{T('allowances:rates.new_intro')}</p>
      <ErrorSummary errors={errors} labels={fieldLabels} />
      <TextField
        id="rate_kind"
        label={fieldLabels.rate_kind}
        hint={kinds.length ? T('allowances:rates.kind_hint_existing', { kinds: kinds.join(', ') }) : T('allowances:rates.kind_hint')}
        value={form.kind}
        onInput={set('kind')}
        error={errors.rate_kind}
        width="medium"
      />
      <div class="grid-2">
        <TextField
          id="rate_amount"
          label={fieldLabels.rate_amount}
          hint={T('allowances:rates.amount_hint')}
          value={form.amount}
          onInput={set('amount')}
          inputMode="decimal"
          error={errors.rate_amount}
          width="short"
        />
        <TextField
          id="rate_currency"
          label={fieldLabels.rate_currency}
          hint={T('allowances:rates.currency_hint')}
          value={form.currency}
          onInput={set('currency')}
          error={errors.rate_currency}
          width="short"
        />
      </div>
      <SelectField
        id="rate_period"
        label={fieldLabels.rate_period}
        value={form.period}
        onChange={set('period')}
        options={labels.terms('allowance_periods').map((t) => ({ value: t.code, label: t.label }))}
        error={errors.rate_period}
      />
      <TextField
        id="rate_effective_from"
        type="date"
        label={fieldLabels.rate_effective_from}
        value={form.effective_from}
        onInput={set('effective_from')}
        error={errors.rate_effective_from}
        width="medium"
      />
      <button type="submit" class="button" disabled={busy}>
        {T('allowances:rates.submit')}
      </button>
    </form>
  );
}

// ---- approval

// The queue: every payment awaiting approval, oldest first.
async function loadPending(): Promise<Payment[]> {
  const payments = await loadAll<Payment>('/api/v1/payments', { status: 'pending_approval' });
  return payments.sort((a, b) => a.paid_on.localeCompare(b.paid_on) || a.id - b.id);
}

function ApprovalQueue() {
  const T = useT();
  const pending = useAsync(loadPending, []);
  const [busy, setBusy] = useState<number | null>(null);
  const [rejecting, setRejecting] = useState<Payment | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const focus = useFocusReturn();
  const codeOf = (p: Payment) => p.case_code;

  const say = (kind: 'success' | 'error', text: string) => {
    setMessage({ kind, text });
    setTimeout(() => messageRef.current?.focus(), 0);
  };

  const approve = async (p: Payment) => {
    setBusy(p.id);
    setMessage(null);
    try {
      await api.post<Payment>(`/api/v1/payments/${p.id}/approve`, {}, { 'Idempotency-Key': newIdempotencyKey() });
      say('success', T('allowances:queue.approved', { code: codeOf(p), amount: formatMoney(p.amount_minor, p.currency) }));
      pending.reload();
    } catch (err) {
      say('error', `${codeOf(p)}: ${errorText(err)}`);
    } finally {
      setBusy(null);
    }
  };

  const list = pending.data ?? [];
  return (
    <section class="section" aria-labelledby="queue-title">
      <h2 id="queue-title">{T('allowances:queue.title')}</h2>
      {message && (
        <div ref={messageRef} tabIndex={-1}>
          {message.kind === 'success' ? (
            <Notice kind="success">{message.text}</Notice>
          ) : (
            <div class="notice notice--error" role="alert">
              {message.text}
            </div>
          )}
        </div>
      )}
      {pending.error ? (
        <ErrorNotice error={pending.error} />
      ) : !pending.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p>{T('allowances:queue.none')}</p>
      ) : (
        <>
          <p>{T('allowances:queue.count', { count: list.length })}</p>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{T('allowances:queue.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{T('allowances:payment.case')}</th>
                  <th scope="col">{T('allowances:payment.kind')}</th>
                  <th scope="col">{T('allowances:payment.period')}</th>
                  <th scope="col">{T('allowances:payment.paid_on')}</th>
                  <th scope="col" class="num">{T('allowances:payment.amount')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{T('allowances:payment.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.id}>
                    <td><a href={`/cases/${p.case_id}`}>{codeOf(p)}</a></td>
                    <td>{kindLabel(p.kind, T)}</td>
                    <td>{formatMonth(p.period)}</td>
                    <td>{formatDate(p.paid_on)}</td>
                    <td class="num">{formatMoney(p.amount_minor, p.currency)}</td>
                    <td>
                      <button type="button" class="button button--small" disabled={busy === p.id} onClick={() => approve(p)}>
                        {T('allowances:queue.approve')}
                        <span class="visually-hidden"> {codeOf(p)}</span>
                      </button>
                      <button
                        type="button"
                        class="button button--secondary button--small"
                        disabled={busy === p.id}
                        onClick={() => {
                          focus.remember();
                          setRejecting(p);
                        }}
                      >
                        {T('allowances:queue.reject')}
                        <span class="visually-hidden"> {codeOf(p)}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {rejecting && (
        <DecideDialog
          payment={rejecting}
          action="reject"
          title={T('allowances:queue.reject_title', { code: codeOf(rejecting) })}
          onClose={() => {
            setRejecting(null);
            focus.restore();
          }}
          onDone={() => {
            const p = rejecting;
            setRejecting(null);
            say('success', T('allowances:queue.rejected', { code: codeOf(p) }));
            pending.reload();
          }}
        />
      )}
    </section>
  );
}

// ---- totals

interface TotalsAnswer {
  year: number;
  group_by: string;
  suppression_threshold: number;
  rows: Array<{ month: string; currency: string; amount_minor: number | string; payments: number | string }>;
}

function Totals() {
  const T = useT();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const totals = useAsync(() => api.get<TotalsAnswer>('/api/v1/allowances/totals', { year, group_by: 'month' }), [year]);
  const years = Array.from({ length: 8 }, (_, i) => String(thisYear - i));

  return (
    <section class="section" aria-labelledby="totals-title">
      <h2 id="totals-title">{T('allowances:totals.title')}</h2>
      <div class="filters">
        <SelectField
          id="totals_year"
          label={T('allowances:totals.year')}
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: y }))}
        />
      </div>
      <Loaded value={totals}>
        {(t) =>
          t.rows.length === 0 ? (
            <p>{T('allowances:totals.none')}</p>
          ) : (
            <>
              <DataTable caption={<>{T('allowances:totals.caption', { year: t.year })}</>} columns={[T('allowances:totals.month'), T('allowances:rates.currency'), { label: T('allowances:totals.payments'), numeric: true }, { label: T('allowances:totals.amount'), numeric: true }]}>
                {t.rows.map((r) => (
                  <tr key={`${r.month}-${r.currency}`}>
                    <td>{formatMonth(r.month)}</td>
                    <td>{r.currency}</td>
                    <td class="num">{typeof r.payments === 'number' ? formatNumber(r.payments) : r.payments}</td>
                    <td class="num">
                      {typeof r.amount_minor === 'number' ? formatMoney(r.amount_minor, r.currency) : r.amount_minor}
                    </td>
                  </tr>
                ))}
              </DataTable>
              <p class="muted">{T('allowances:totals.suppressed', { count: t.suppression_threshold })}</p>
            </>
          )
        }
      </Loaded>
    </section>
  );
}
