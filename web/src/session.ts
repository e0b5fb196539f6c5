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
  second_factor: boolean;
}

export interface Session {
  user: User;
  permissions: string[];
  // Her role signs in with a second factor and she has none yet: nothing but enrolling.
  enrolmentRequired: boolean;
}

interface SessionAnswer {
  user: User;
  csrf_token: string;
  permissions: string[];
  second_factor_enrolment_required: boolean;
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
    const value = { user: s.user, permissions: s.permissions, enrolmentRequired: s.second_factor_enrolment_required };
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

// The web application holds its session as the HttpOnly cookie (`session: "cookie"`): the
// answer carries the CSRF token, never the session token. `code`: the second factor, once
// the server asked for it (second_factor_required).
function login(username: string, password: string, code: string): Promise<unknown> {
  const body: Record<string, string> = { username, password, session: 'cookie' };
  if (code) body.code = code.trim();
  return request('POST', '/api/v1/auth/login', { body, noReauth: true });
}

export async function signIn(username: string, password: string, code = ''): Promise<Session | null> {
  await login(username, password, code);
  return adopt();
}

// ---- the second factor (an authenticator app) ----

export interface SecondFactorState {
  enabled: boolean;
  pending: boolean;
  required: boolean;
  recovery_codes_left: number;
}
export interface Enrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}
export interface RecoveryCodes {
  recovery_codes: string[];
}

export const secondFactor = {
  state: () => api.get<SecondFactorState>('/api/v1/me/second-factor'),
  start: () => api.post<Enrolment>('/api/v1/me/second-factor/enrolment', {}),
  confirm: (code: string) => api.post<RecoveryCodes>('/api/v1/me/second-factor/confirm', { code: code.trim() }),
  regenerate: (code: string) => api.post<RecoveryCodes>('/api/v1/me/second-factor/recovery-codes', { code: code.trim() }),
  disable: (password: string, code: string) => api.post<void>('/api/v1/me/second-factor/disable', { password, code: code.trim() }),
};

// After enrolment or disabling: the session's confinement and the user's flag anew.
export const refreshSession = adopt;

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
export async function reauthenticate(password: string, code = ''): Promise<void> {
  const current = session.get();
  if (!current) throw new ApiError(401, 'unauthenticated', 'signed out');
  await login(current.user.username, password, code);
  await adopt();
  reauthNeeded.set(false);
  const waiting = pendingReauth;
  pendingReauth = [];
  for (const resume of waiting) resume();
}
