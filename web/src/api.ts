// The one way the application talks to the server: JSON over fetch, the session
// cookie (HttpOnly) sent by the browser, the CSRF token held in memory only.
//
// When the session has ended, a request waits while the user signs in again (see
// session.ts) and is then sent once more: the screen, and any half-filled form on it,
// stays as it was.

export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    // The answer's JSON when it carries more than the error (an import's rows that
    // could not be read, 422).
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
}

let csrfToken = '';
let reauthenticate: (() => Promise<void>) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called on a 401 from a signed-in session; resolves once the user signed in again.
export function onSessionExpired(handler: (() => Promise<void>) | null): void {
  reauthenticate = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  // Sign-in and the session probe answer 401 as a result, not as an expiry.
  noReauth?: boolean;
  headers?: Record<string, string>;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.form) {
    body = opts.form;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return fetch(withQuery(path, opts.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    cache: 'no-store',
  });
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const j = (await res.json()) as { error?: ApiErrorBody };
    if (j.error) return new ApiError(res.status, j.error.code, j.error.message, j.error.field);
    return new ApiError(res.status, 'http_error', `HTTP ${res.status}`, undefined, j);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, 'http_error', `HTTP ${res.status}`);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts);
  if (res.status === 401 && !opts.noReauth && reauthenticate) {
    await reauthenticate();
    res = await send(method, path, opts);
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('application/json')) return (await res.json()) as T;
  return (await res.blob()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
    request<T>('POST', path, { body, headers }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  upload: <T>(path: string, form: FormData, headers?: Record<string, string>) => request<T>('POST', path, { form, headers }),
};

// Every page of a short list (organisations, shelters, a queue), 200 at a time, up to
// `maxPages` pages.
export async function loadAll<T>(path: string, query: Query = {}, maxPages = 50): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = '';
  for (let i = 0; i < maxPages && cursor !== null; i++) {
    const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit: 200, cursor });
    all.push(...page.items);
    cursor = page.next_cursor;
  }
  return all;
}

// A file the server sends (CSV, XLSX, a receipt): fetched with the session, saved by
// the browser under the server's name, never kept.
export async function download(path: string, query?: Query, fallbackName = 'download'): Promise<void> {
  let res = await send('GET', path, { query });
  if (res.status === 401 && reauthenticate) {
    await reauthenticate();
    res = await send('GET', path, { query });
  }
  if (!res.ok) throw await errorOf(res);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  saveBlob(await res.blob(), name);
}

// Hands what the browser holds to the user as a file named `name`.
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// A key for the Idempotency-Key header: one per thing the user means to do once, so
// that a repeated send (a double click, a retry after a lost answer) does it once.
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
