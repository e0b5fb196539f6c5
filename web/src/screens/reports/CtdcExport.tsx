// Haven's own cases in CTDC's case-level format, for the Counter Trafficking Data
// Collaborative: k-anonymous (every combination of what a reader might know about a
// person, as written, occurs at least k times). The server prepares it
// (GET /api/v1/exports/ctdc?format=json, audited) and says what each field kept and
// lost; the file is the CSV it sent with that answer, saved as it is.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, saveBlob } from '../../api';
import { errorText, TextField } from '../../components/forms';
import { DataTable, ErrorNotice } from '../../components/ui';
import { formatNumber, useT, type t } from '../../i18n';

// What GET /api/v1/exports/ctdc?format=json answers.
interface CtdcExportJson {
  k: number;
  persons: number;
  records: number;
  generalised: number;
  suppressed: number;
  information_loss: number;
  fields: Array<{ field: string; exact: number; generalised: number; blanked: number; not_recorded: number }>;
  csv: string;
}

// k as the server takes it: a whole number from 2 to 1000.
const K_MIN = 2;
const K_MAX = 1000;
const K_DEFAULT = 11;

// The name of a field of the export in the chosen language; the server's code for one
// this version does not know.
function fieldName(T: typeof t, field: string): string {
  switch (field) {
    case 'year':
      return T('reports:ctdc.fields.year');
    case 'sex':
      return T('reports:ctdc.fields.sex');
    case 'age_group':
      return T('reports:ctdc.fields.age_group');
    case 'citizenship':
      return T('reports:ctdc.fields.citizenship');
    case 'country_of_exploitation':
      return T('reports:ctdc.fields.country_of_exploitation');
    case 'exploitation':
      return T('reports:ctdc.fields.exploitation');
    default:
      return field;
  }
}


export function CtdcExport() {
  const T = useT();
  const [k, setK] = useState(String(K_DEFAULT));
  const [kError, setKError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CtdcExportJson | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);

  const prepare = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    const n = Number(k.trim());
    if (!/^\d+$/.test(k.trim()) || n < K_MIN || n > K_MAX) {
      setKError(T('reports:ctdc.k_invalid', { min: K_MIN, max: K_MAX }));
      document.getElementById('ctdc-k')?.focus();
      return;
    }
    setKError(undefined);
    setBusy(true);
    try {
      const answer = await api.get<CtdcExportJson>('/api/v1/exports/ctdc', { format: 'json', k: n });
      setResult(answer);
      // The outcome is announced and can be read next.
      setTimeout(() => resultRef.current?.focus(), 0);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'k') {
        setKError(err.code === 'suppression_required' ? T('reports:ctdc.k_too_small') : errorText(err));
        document.getElementById('ctdc-k')?.focus();
      } else {
        setFailure(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section report-ctdc" aria-labelledby="report-ctdc-title">
      <h2 id="report-ctdc-title">{T('reports:ctdc.title')}</h2>
      <p>{T('reports:ctdc.intro')}</p>
      <form class="report-ctdc__form" onSubmit={prepare} noValidate>
        <TextField
          id="ctdc-k"
          label={T('reports:ctdc.k')}
          hint={T('reports:ctdc.k_hint', { min: K_MIN, max: K_MAX })}
          type="number"
          inputMode="numeric"
          min={String(K_MIN)}
          max={String(K_MAX)}
          width="short"
          value={k}
          error={kError}
          onInput={setK}
        />
        <button type="submit" class="button" disabled={busy}>
          {T('reports:ctdc.prepare')}
        </button>
        {busy && (
          <span role="status" class="report-downloads__busy">
            {T('reports:ctdc.preparing')}
          </span>
        )}
      </form>
      <ErrorNotice error={failure} />
      {result && (
        <div class="report-ctdc__result">
          <h3 id="report-ctdc-result-title" ref={resultRef} tabIndex={-1}>
            {T('reports:ctdc.result_title', { k: result.k })}
          </h3>
          <ul>
            <li>{T('reports:ctdc.persons', { count: result.persons, n: formatNumber(result.persons) })}</li>
            <li>{T('reports:ctdc.records', { count: result.records, n: formatNumber(result.records) })}</li>
            <li>{T('reports:ctdc.suppressed', { count: result.suppressed, n: formatNumber(result.suppressed) })}</li>
            <li>{T('reports:ctdc.generalised', { count: result.generalised, n: formatNumber(result.generalised) })}</li>
            <li>{T('reports:ctdc.loss', { percent: formatNumber(result.information_loss * 100, 1) })}</li>
          </ul>
          <DataTable
            caption={T('reports:ctdc.fields_caption', { k: result.k })}
            captionShown
            columns={[
              T('reports:ctdc.field'),
              { label: T('reports:ctdc.exact'), numeric: true },
              { label: T('reports:ctdc.generalised_column'), numeric: true },
              { label: T('reports:ctdc.blanked'), numeric: true },
              { label: T('reports:ctdc.not_recorded'), numeric: true },
            ]}
          >
            {result.fields.map((f) => (
              <tr key={f.field}>
                <th scope="row">{fieldName(T, f.field)}</th>
                <td class="num">{formatNumber(f.exact)}</td>
                <td class="num">{formatNumber(f.generalised)}</td>
                <td class="num">{formatNumber(f.blanked)}</td>
                <td class="num">{formatNumber(f.not_recorded)}</td>
              </tr>
            ))}
          </DataTable>
          <p class="report-ctdc__legend">{T('reports:ctdc.legend')}</p>
          <button
            type="button"
            class="button button--secondary"
            onClick={() => saveBlob(new Blob([result.csv], { type: 'text/csv;charset=utf-8' }), `ctdc-k${result.k}.csv`)}
          >
            {T('reports:ctdc.download', { k: result.k })}
          </button>
        </div>
      )}
    </section>
  );
}
