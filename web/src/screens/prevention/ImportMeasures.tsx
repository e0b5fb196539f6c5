// Importing a plan's measures from the table the ministry wrote (CSV or XLSX, one
// measure a row, headings in Azerbaijani, English or Russian): first a check that stores
// nothing and shows what would be added and every row that cannot be read, then the
// import itself — all rows or none.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { ErrorSummary, Field, errorText, useIdempotencyKey, type FieldErrors } from '../../components/forms';
import { DataTable, ErrorNotice, Loading, Notice, useAsync, usePageTitle } from '../../components/ui';
import { formatDate, formatNumber, t, useT } from '../../i18n';
import { useOrganizations } from '../../organizations';
import { namesOf, periodOf, withUnit, type ActionPlan, type Measure } from './types';
import './prevention.css';

interface ImportProblem {
  row: number;
  field: string | null;
  message: string;
}

interface ImportResult {
  applied: boolean;
  measures: Measure[];
  problems: ImportProblem[];
}

// The columns the server reads, with a few of the headings it knows in each language
// (the full lists are the server's; these are words of the file, not of the screen).
const COLUMNS: Array<{ key: string; required: boolean; az: string; en: string; ru: string }> = [
  { key: 'code', required: true, az: 'Kod, Bənd, №', en: 'Code, No.', ru: 'Код, Пункт, №' },
  { key: 'measure', required: true, az: 'Tədbir', en: 'Measure', ru: 'Мероприятие, Мера' },
  { key: 'responsible', required: true, az: 'İcraçı, Məsul icraçı', en: 'Responsible', ru: 'Ответственные, Исполнители' },
  { key: 'deadline', required: true, az: 'İcra müddəti', en: 'Deadline', ru: 'Срок, Срок исполнения' },
  { key: 'partners', required: false, az: 'Tərəfdaşlar', en: 'Partners', ru: 'Партнёры' },
  { key: 'indicator', required: false, az: 'Göstərici', en: 'Indicator', ru: 'Индикатор, Показатель' },
  { key: 'unit', required: false, az: 'Ölçü vahidi', en: 'Unit', ru: 'Единица измерения' },
  { key: 'baseline', required: false, az: 'İlkin göstərici', en: 'Baseline', ru: 'Исходное значение' },
  { key: 'target', required: false, az: 'Hədəf', en: 'Target', ru: 'Целевое значение' },
];

// The column a problem's field is in.
function columnOf(T: typeof t, field: string | null): string {
  if (!field) return '';
  if (field === 'code') return T('prevention:import.col.code');
  if (field === 'text') return T('prevention:import.col.measure');
  if (field.startsWith('responsible')) return T('prevention:import.col.responsible');
  if (field.startsWith('partner')) return T('prevention:import.col.partners');
  if (field === 'deadline') return T('prevention:import.col.deadline');
  const m = /^indicators\[\d+\](?:\.(\w+))?$/.exec(field);
  if (m) return T(`prevention:import.col.${m[1] === 'unit' || m[1] === 'baseline' || m[1] === 'target' ? m[1] : 'indicator'}`);
  return field;
}

// A problem of a row in the user's words; the server's own (English) when this version
// does not know it.
function problemText(T: typeof t, p: ImportProblem): { text: string; lang?: string } {
  const s = p.message;
  let m: RegExpExecArray | null;
  if (/^is (empty|required)/.test(s)) return { text: T('prevention:import.problem.empty') };
  if ((m = /^"(.*)" is not a date/.exec(s))) return { text: T('prevention:import.problem.not_a_date', { value: m[1] }) };
  if ((m = /^no organisation named "(.*)" in the directory$/.exec(s))) return { text: T('prevention:import.problem.no_organisation', { name: m[1] }) };
  if ((m = /^"(.*)" is not a number$/.exec(s))) return { text: T('prevention:import.problem.not_a_number', { value: m[1] }) };
  if ((m = /^the plan has a measure (.+) already$/.exec(s))) return { text: T('prevention:import.problem.code_taken', { code: m[1] }) };
  if ((m = /^measure (.+) is in row (\d+) too$/.exec(s))) return { text: T('prevention:import.problem.code_twice', { code: m[1], row: m[2] }) };
  if ((m = /^is outside the plan's period \((\S+) to (\S+)\)$/.exec(s))) return { text: T('errors.field.outside_period', { from: formatDate(m[1]), to: formatDate(m[2]) }) };
  if (/^must be written without spaces/.test(s)) return { text: T('errors.field.no_spaces') };
  if (/^name at least one/.test(s)) return { text: T('prevention:import.problem.no_body') };
  if (/^names the same one twice$/.test(s)) return { text: T('errors.field.twice') };
  if (/^names organisation \d+, which is responsible already$/.test(s)) return { text: T('errors.field.partner_responsible') };
  if (/^is longer than/.test(s)) return { text: T('prevention:import.problem.too_long') };
  return { text: s, lang: 'en' };
}

// An unreadable file (400 invalid_file) in the user's words.
function fileErrorText(T: typeof t, e: unknown): { text: string; detail?: string } {
  if (!(e instanceof ApiError) || e.code !== 'invalid_file') return { text: errorText(e) };
  const s = e.message;
  const missing: Array<[RegExp, string]> = [
    [/no column for the measure's code/, 'code'],
    [/no column for the measure itself/, 'measure'],
    [/no column for the responsible bodies/, 'responsible'],
    [/no column for the deadline/, 'deadline'],
  ];
  for (const [re, col] of missing) if (re.test(s)) return { text: T('prevention:import.file.no_column', { column: T(`prevention:import.col.${col}`) }) };
  if (/^the file is empty/.test(s)) return { text: T('prevention:import.file.empty') };
  if (/^the file has headings but no measure/.test(s)) return { text: T('prevention:import.file.no_rows') };
  if (/old Excel workbook/.test(s)) return { text: T('prevention:import.file.xls') };
  return { text: T('errors.invalid_file'), detail: s };
}

export default function ImportMeasures(props: { params?: { id?: string }; id?: string }) {
  const T = useT();
  const orgs = useOrganizations();
  const id = Number(props.params?.id ?? props.id);
  const plan = useAsync(() => api.get<ActionPlan>(`/api/v1/action-plans/${id}`), [id]);
  usePageTitle(T('prevention:import.title'));
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const key = useIdempotencyKey();
  const resultRef = useRef<HTMLDivElement>(null);

  if (!Number.isInteger(id) || id <= 0) return <ErrorNotice error={new ApiError(404, 'not_found', 'not found')} />;
  if (plan.error) return <ErrorNotice error={plan.error} />;
  const p = plan.data;
  if (!p) return <Loading />;

  const choose = (f: File | null) => {
    setFile(f);
    setChecked(null);
    setImported(null);
    setError(null);
    setErrors({});
    key.renew();
  };

  // Sends the file: a check (dry run) or the import; a 422 carries the rows in trouble.
  const send = async (dryRun: boolean) => {
    if (!file) {
      setErrors({ 'import-file': T('prevention:import.choose_file') });
      return;
    }
    setErrors({});
    setError(null);
    setBusy(true);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const r = await api.upload<ImportResult>(`/api/v1/action-plans/${id}/measures/import${dryRun ? '?dry_run=true' : ''}`, form, key.headers());
      if (dryRun) setChecked(r);
      else {
        setImported(r);
        key.renew();
      }
    } catch (e) {
      const body = e instanceof ApiError && e.status === 422 ? (e.body as ImportResult | undefined) : undefined;
      if (body?.problems) setChecked(body);
      else setError(e);
    } finally {
      setBusy(false);
      setTimeout(() => resultRef.current?.focus(), 0);
    }
  };

  const fileError = error ? fileErrorText(T, error) : null;
  const problems = checked?.problems ?? [];
  // What the table shows: what the file would add, then what it added.
  const shown = imported ?? (problems.length === 0 ? checked : null);
  const ready = checked !== null && problems.length === 0 && checked.measures.length > 0 && !imported;

  return (
    <>
      <p>
        <a href={`/action-plans/${id}`}>{T('prevention:measure.back', { plan: p.title })}</a>
      </p>
      <h1>{T('prevention:import.title')}</h1>
      <p class="lead">{T('prevention:import.intro', { plan: p.title, period: periodOf(p) })}</p>

      <section class="section" aria-labelledby="import-layout">
        <h2 id="import-layout">{T('prevention:import.layout')}</h2>
        <p>{T('prevention:import.layout_intro')}</p>
        <DataTable caption={T('prevention:import.columns')} columns={[T('prevention:import.column'), T('prevention:import.what'), T('prevention:import.headings')]}>
          {COLUMNS.map((c) => (
            <tr key={c.key}>
              <th scope="row" class="row-head">
                {T(`prevention:import.col.${c.key}`)}
                <div class="cell-note">{c.required ? T('prevention:import.required') : T('prevention:import.optional')}</div>
              </th>
              <td>{T(`prevention:import.about.${c.key}`)}</td>
              <td>
                <span lang="az">{c.az}</span>
                {' · '}
                <span lang="en">{c.en}</span>
                {' · '}
                <span lang="ru">{c.ru}</span>
              </td>
            </tr>
          ))}
        </DataTable>
        <p>{T('prevention:import.bodies')}</p>
        <details class="import-directory">
          <summary>{T('prevention:import.directory', { count: orgs.list.filter((o) => o.active).length })}</summary>
          <ul>
            {orgs.list
              .filter((o) => o.active)
              .map((o) => (
                <li key={o.id}>{o.name}</li>
              ))}
          </ul>
        </details>
        <p>{T('prevention:import.all_or_none')}</p>
      </section>

      <section class="section" aria-labelledby="import-send">
        <h2 id="import-send">{T('prevention:import.send')}</h2>
        <ErrorSummary errors={errors} labels={{ 'import-file': T('prevention:import.file_label') }} />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send(true);
          }}
          noValidate
        >
          <Field id="import-file" label={T('prevention:import.file_label')} hint={T('prevention:import.file_hint')} error={errors['import-file']}>
            <input
              id="import-file"
              name="file"
              type="file"
              class="input input--full file-input"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={`import-file-hint${errors['import-file'] ? ' import-file-error' : ''}`}
              aria-invalid={errors['import-file'] ? 'true' : undefined}
              onChange={(e) => choose((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </Field>
          <div class="button-row">
            <button type="submit" class={ready ? 'button button--secondary' : 'button'} disabled={busy}>
              {T('prevention:import.check')}
            </button>
            {busy && <span role="status">{T('prevention:import.reading')}</span>}
          </div>
        </form>
      </section>

      <div ref={resultRef} tabIndex={-1} class="import-result">
        {fileError && (
          <div class="notice notice--error" role="alert">
            <p class="import-result__title">{fileError.text}</p>
            {fileError.detail && <p lang="en">{fileError.detail}</p>}
          </div>
        )}
        {checked && problems.length > 0 && (
          <div class="error-summary" role="alert">
            <h2 class="error-summary__title">{T('prevention:import.problems', { count: problems.length })}</h2>
            <p>{T('prevention:import.nothing_stored')}</p>
            <ul class="error-summary__list import-problems">
              {problems.map((pr, i) => {
                const text = problemText(T, pr);
                const column = columnOf(T, pr.field);
                return (
                  <li key={i}>
                    <strong>{T('prevention:import.row', { row: pr.row })}</strong>
                    {column && ` — ${column}`}: <span lang={text.lang}>{text.text}</span>
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        {checked && problems.length === 0 && !imported && (
          <>
            {checked.measures.length === 0 ? (
              <Notice kind="warning">{T('prevention:import.file.no_rows')}</Notice>
            ) : (
              <Notice>{T('prevention:import.would_add', { count: checked.measures.length, n: formatNumber(checked.measures.length) })}</Notice>
            )}
          </>
        )}
        {imported && (
          <Notice kind="success">
            {T('prevention:import.imported', { count: imported.measures.length, n: formatNumber(imported.measures.length) })}{' '}
            <a href={`/action-plans/${id}`}>{T('prevention:import.to_plan')}</a>
          </Notice>
        )}
      </div>

      {shown && shown.measures.length > 0 && (
        <section class="section" aria-labelledby="import-preview">
          <h2 id="import-preview">{imported ? T('prevention:import.added_title') : T('prevention:import.preview_title')}</h2>
          <DataTable
            caption={imported ? T('prevention:import.added_title') : T('prevention:import.preview_title')}
            columns={[T('prevention:measure.code'), T('prevention:measure.text'), T('prevention:measure.responsible'), T('prevention:measure.partners'), T('prevention:measure.deadline'), T('prevention:measure.indicator')]}
          >
            {shown.measures.map((m) => (
              <tr key={m.code}>
                <td class="nowrap">{m.id ? <a href={`/measures/${m.id}`}>{m.code}</a> : m.code}</td>
                <td>{m.text}</td>
                <td>{namesOf(m.responsible_organization_ids, orgs.name)}</td>
                <td>{namesOf(m.partner_organization_ids, orgs.name)}</td>
                <td class="nowrap">{formatDate(m.deadline)}</td>
                <td>
                  {m.indicators.map((x, i) => (
                    <div key={i}>
                      {x.name}
                      {(x.baseline !== null || x.target !== null) && (
                        <div class="cell-note">
                          {T('prevention:import.from_to', { baseline: x.baseline === null ? '—' : withUnit(x.baseline, x.unit), target: x.target === null ? '—' : withUnit(x.target, x.unit) })}
                        </div>
                      )}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </DataTable>
          {ready && (
            <div class="button-row">
              <button type="button" class="button" disabled={busy} onClick={() => void send(false)}>
                {T('prevention:import.import', { count: shown.measures.length, n: formatNumber(shown.measures.length) })}
              </button>
            </div>
          )}
        </section>
      )}
    </>
  );
}
