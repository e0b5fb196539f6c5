// The documents of a case (a scanned passport, a medical certificate, a signed form):
// sealed on the server one by one, opened only by download (never shown inline, never
// kept by the browser), each opening recorded in the audit log.
import { useRef, useState } from 'preact/hooks';
import { api, download } from '../../api';
import { ErrorSummary, Field, TextField, formErrors, useIdempotencyKey, type FieldErrors } from '../../components/forms';
import { DataTable, Loaded, Notice, useAsync } from '../../components/ui';
import { formatDateTime, formatNumber, useT } from '../../i18n';

interface Attachment {
  id: number;
  title: string;
  media_type: string;
  size_bytes: number;
  created_at: string;
}

// The server's limit (CaseworkService::kMaxAttachmentBytes).
const MAX_BYTES = 8 << 20;
const ACCEPT = 'application/pdf,image/jpeg,image/png,image/tiff,image/webp,image/heic';

export function DocumentsTab({ caseId, canChange }: { caseId: number; canChange: boolean }) {
  const T = useT();
  const list = useAsync(() => api.get<{ items: Attachment[] }>(`/api/v1/cases/${caseId}/attachments`), [caseId]);
  const [title, setTitle] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  const [openError, setOpenError] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const key = useIdempotencyKey();
  const labels = { title: T('cases:documents.title_field'), file: T('cases:documents.file') };

  const upload = async (e: Event) => {
    e.preventDefault();
    const chosen = file.current?.files?.[0];
    const problems: FieldErrors = {};
    if (!title.trim()) problems.title = T('cases:documents.title_missing');
    if (!chosen) problems.file = T('cases:documents.file_missing');
    else if (chosen.size > MAX_BYTES) problems.file = T('cases:documents.too_large');
    setDone(false);
    setErrors(problems);
    if (Object.keys(problems).length) return;
    const form = new FormData();
    form.append('title', title.trim());
    form.append('file', chosen!);
    try {
      await api.upload(`/api/v1/cases/${caseId}/attachments`, form, key.headers());
      key.renew();
      setTitle('');
      if (file.current) file.current.value = '';
      setDone(true);
      list.reload();
    } catch (err) {
      setErrors(formErrors(err, ['title', 'file'], { body: 'file' }));
    }
  };

  const open = async (a: Attachment) => {
    try {
      setOpenError('');
      await download(`/api/v1/attachments/${a.id}`, undefined, `attachment-${a.id}`);
    } catch (err) {
      setOpenError(formErrors(err, [])._form);
    }
  };

  return (
    <>
      <h2>{T('cases:documents.heading')}</h2>
      {openError && <div class="notice notice--error" role="alert">{openError}</div>}
      <Loaded value={list}>
        {(r) =>
          r.items.length === 0 ? (
            <p>{T('cases:documents.none')}</p>
          ) : (
            <DataTable caption={T('cases:documents.heading')} columns={[labels.title, T('cases:documents.kind'), { label: T('cases:documents.size'), numeric: true }, T('cases:documents.added'), T('cases:documents.open')]}>
              {r.items.map((a) => (
                <tr key={a.id}>
                  <td>{a.title}</td>
                  <td>{a.media_type === 'application/pdf' ? 'PDF' : a.media_type.replace('image/', '').toUpperCase()}</td>
                  <td class="num">{T('cases:documents.kb', { n: formatNumber(Math.max(1, Math.round(a.size_bytes / 1024))) })}</td>
                  <td>{formatDateTime(a.created_at)}</td>
                  <td>
                    <button type="button" class="button button--secondary" onClick={() => open(a)}>
                      {T('cases:documents.download')}
                      <span class="visually-hidden"> {a.title}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
      <p class="muted">{T('cases:documents.recorded')}</p>
      {canChange && (
        <section class="section" aria-labelledby="add-document">
          <h3 id="add-document">{T('cases:documents.add')}</h3>
          {done && <Notice kind="success">{T('cases:documents.added_done')}</Notice>}
          <ErrorSummary errors={errors} labels={labels} />
          <form onSubmit={upload} noValidate>
            <TextField id="title" label={labels.title} hint={T('cases:documents.title_hint')} value={title} onInput={setTitle} error={errors.title} />
            <Field id="file" label={labels.file} hint={T('cases:documents.file_hint')} error={errors.file}>
              <input id="file" name="file" type="file" class="input input--full" accept={ACCEPT} ref={file}
                aria-invalid={errors.file ? 'true' : undefined} aria-describedby={`file-hint${errors.file ? ' file-error' : ''}`} />
            </Field>
            <button type="submit" class="button">{T('cases:documents.upload')}</button>
          </form>
        </section>
      )}
    </>
  );
}
