// Who is signed in. The session cookie is HttpOnly; the CSRF token and the user live
// in memory and are read again from GET /api/v1/auth/session after a reload.
import { api, ApiError, onSessionExpired, request, setCsrfToken } from './api';
import { setLanguage } from './i18n';
import { loadVocabularies } from './vocab';
import { Observable } from './store';

export type Role =
  | 'admin'
  | 'coordinator'
  | 'caseworker'
  | 'shelter_manager'
  | 'analyst'
  | 'auditor'
  | 'supervisor';

export interface User {
  id: number;
  username: string;
  role: Role;
  organization_id: number;
  active: boolean;
  must_change_password: boolean;
  language: 'az' | 'en' | 'ru' | null;
}

export interface Session {
  user: User;
  permissions: string[];
}

interface SessionAnswer {
  user: User;
  csrf_token: string;
  permissions: string[];
}

export const session = new Observable<Session | null>(null);
// Set while a request waits for the user to sign in again.
export const reauthNeeded = new Observable<boolean>(false);

export function can(permission: string): boolean {
  return session.get()?.permissions.includes(permission) ?? false;
}

async function adopt(): Promise<Session | null> {
  try {
    const s = await request<SessionAnswer>('GET', '/api/v1/auth/session', { noReauth: true });
    setCsrfToken(s.csrf_token);
    // Her language before her first screen: no screen in another language in between.
    if (s.user.language) await Promise.all([setLanguage(s.user.language), loadVocabularies(s.user.language).catch(() => undefined)]);
    const value = { user: s.user, permissions: s.permissions };
    session.set(value);
    return value;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken('');
      session.set(null);
      return null;
    }
    throw e;
  }
}

export const restoreSession = adopt;

export async function signIn(username: string, password: string): Promise<Session | null> {
  await request('POST', '/api/v1/auth/login', { body: { username, password }, noReauth: true });
  return adopt();
}

export async function signOut(): Promise<void> {
  try {
    await request('POST', '/api/v1/auth/logout', { noReauth: true });
  } finally {
    setCsrfToken('');
    session.set(null);
    pendingReauth = [];
    reauthNeeded.set(false);
  }
}

export async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  await api.post('/api/v1/me/password', { old_password: oldPassword, new_password: newPassword });
  await adopt();
}

// ---- expiry: requests wait for a new sign-in of the same user ----

let pendingReauth: Array<() => void> = [];

onSessionExpired(() => {
  if (!session.get()) return Promise.reject(new ApiError(401, 'unauthenticated', 'signed out'));
  reauthNeeded.set(true);
  return new Promise<void>((resolve) => pendingReauth.push(resolve));
});

// The sign-in dialog over the current screen calls this once the user is back.
export async function reauthenticate(password: string): Promise<void> {
  const current = session.get();
  if (!current) throw new ApiError(401, 'unauthenticated', 'signed out');
  await request('POST', '/api/v1/auth/login', {
    body: { username: current.user.username, password },
    noReauth: true,
  });
  await adopt();
  reauthNeeded.set(false);
  const waiting = pendingReauth;
  pendingReauth = [];
  for (const resume of waiting) resume();
}
