// Case notes: sealed one by one on the server, shown to the case's own staff.
import { useState } from 'preact/hooks';
import { api, newIdempotencyKey, type Page } from '../../api';
import { TextArea, errorText } from '../../components/forms';
import { Loaded, Pager, useAsync, usePager } from '../../components/ui';
import { formatDateTime, useT } from '../../i18n';

interface Note {
  id: number;
  author_username: string;
  created_at: string;
  text: string;
}

export function NotesTab({ caseId, canChange }: { caseId: number; canChange: boolean }) {
  const T = useT();
  const pager = usePager(String(caseId));
  const notes = useAsync(() => api.get<Page<Note>>(`/api/v1/cases/${caseId}/notes`, { limit: 20, cursor: pager.cursor }), [caseId, pager.cursor]);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) {
      setError(T('cases:notes.empty'));
      return;
    }
    try {
      await api.post(`/api/v1/cases/${caseId}/notes`, { text: text.trim() }, { 'Idempotency-Key': newIdempotencyKey() });
      setText('');
      setError('');
      pager.reset();
      notes.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <>
      <h2>{T('cases:notes.title')}</h2>
      {canChange && (
        <form onSubmit={add} noValidate>
          <TextArea id="note-text" label={T('cases:notes.new')} hint={T('cases:notes.hint')} value={text} onInput={setText} error={error} rows={4} />
          <button type="submit" class="button">{T('cases:notes.add')}</button>
        </form>
      )}
      <Loaded value={notes}>
        {(page) => (
          <>
            {page.items.length === 0 && <p>{T('cases:notes.none')}</p>}
            <ul class="notes">
              {page.items.map((n) => (
                <li class="note" key={n.id}>
                  <div class="muted">
                    {formatDateTime(n.created_at)} · {n.author_username}
                  </div>
                  <p class="note__text">{n.text}</p>
                </li>
              ))}
            </ul>
            <Pager pager={pager} nextCursor={page.next_cursor} />
          </>
        )}
      </Loaded>
    </>
  );
}
