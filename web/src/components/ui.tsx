// Small pieces every screen uses: loading and error states, a pager, a dialog, the
// page title.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { errorText } from './forms';

// The document title names the screen, never a person.
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} — Haven` : 'Haven';
  }, [title]);
}

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

// Loads once per change of `deps`; `reload` loads again. A late answer for old deps is dropped.
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function Loading() {
  const T = useT();
  return (
    <p class="loading" role="status">
      {T('common:loading')}
    </p>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div class="notice notice--error" role="alert">
      {errorText(error)}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'success' | 'warning' }) {
  return (
    <div class={`notice notice--${kind}`} role={kind === 'info' ? undefined : 'status'}>
      {children}
    </div>
  );
}

// Shows what an Async holds: loading, its error, or the children made from its data.
export function Loaded<T>({ value, children }: { value: Async<T>; children: (data: T) => ComponentChildren }) {
  if (value.error) return <ErrorNotice error={value.error} />;
  if (value.data === undefined) return <Loading />;
  return <>{children(value.data)}</>;
}

// Cursor paging: the server says whether there is a next page; the pager keeps the
// cursors of the pages before, to go back. A new `key` (other filters) starts at page 1.
export function usePager(key = '') {
  const [state, setState] = useState<{ key: string; cursors: string[] }>({ key, cursors: [''] });
  const cursors = state.key === key ? state.cursors : [''];
  const update = (f: (cs: string[]) => string[]) =>
    setState((s) => ({ key, cursors: f(s.key === key ? s.cursors : ['']) }));
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    next: (c: string) => update((cs) => [...cs, c]),
    previous: () => update((cs) => (cs.length > 1 ? cs.slice(0, -1) : cs)),
    reset: () => update(() => ['']),
  };
}

export function Pager({
  pager,
  nextCursor,
  total,
}: {
  pager: ReturnType<typeof usePager>;
  nextCursor: string | null | undefined;
  total?: number;
}) {
  const T = useT();
  return (
    <nav class="pager" aria-label={T('common:pages')}>
      <button class="button button--secondary" disabled={pager.page <= 1} onClick={pager.previous}>
        {T('common:previous')}
      </button>
      <span class="pager__where">
        {T('common:page_n', { n: pager.page })}
        {total !== undefined && ` · ${T('common:n_results', { count: total })}`}
      </span>
      <button class="button button--secondary" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        {T('common:next')}
      </button>
    </nav>
  );
}

// A modal dialog (the browser's <dialog>): focus moves in, Escape closes it.
export function Dialog({
  title,
  open,
  onClose,
  children,
}: {
  title: string;
  open: boolean;
  onClose?: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        if (!onClose) e.preventDefault();
        else onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {open && children}
    </dialog>
  );
}

export function Tag({ children, tone = 'neutral' }: { children: ComponentChildren; tone?: 'neutral' | 'good' | 'warn' | 'bad' }) {
  return <span class={`tag tag--${tone}`}>{children}</span>;
}

// A summary list (term — value), for a record's facts.
export function Facts({ rows }: { rows: Array<[string, ComponentChildren]> }) {
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <div class="facts__row" key={k}>
          <dt>{k}</dt>
          <dd>{v === '' || v === null || v === undefined ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface Column {
  label: string;
  numeric?: boolean; // right-aligned figures
}

// A table of records: its caption (for screen readers only, unless `captionShown`), one
// header cell per column, the rows as children; scrolls sideways on a narrow screen.
export function DataTable({
  caption,
  captionShown = false,
  columns,
  children,
}: {
  caption: ComponentChildren;
  captionShown?: boolean;
  columns: Array<string | Column>;
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class={captionShown ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => {
              const col = typeof c === 'string' ? { label: c } : c;
              return (
                <th key={i} scope="col" class={col.numeric ? 'num' : undefined}>
                  {col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
