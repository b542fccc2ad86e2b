// The session: who is logged in and with which token. Logging out (or the gateway refusing the
// token: UNAUTHENTICATED, an expired token, close code 4401) clears Apollo's cache, closes the
// socket and leaves the app on its login page. The token lives only in localStorage and headers.
import { InMemoryCache, type TypePolicies } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { createApolloClient, type FablineClient } from '../apollo/createApolloClient.ts';

export interface SessionViewer {
  id: string;
  role: string;
  name: string;
  email?: string;
}

export interface Session {
  token: string;
  viewer: SessionViewer;
}

export interface SessionApi {
  session: Session | null;
  /** Why the last session ended, when the gateway ended it ('expired'), for the login page to say. */
  ended: 'expired' | null;
  logIn(session: Session): void;
  logOut(reason?: 'expired'): Promise<void>;
  /** True while the subscription socket is down (an offline banner). */
  offline: boolean;
}

const storageKey = 'fabline.session';
const SessionContext = createContext<SessionApi | null>(null);

/** Seconds since the epoch at which a JWT expires, or null when it has no readable `exp`. */
export function tokenExpiresAt(token: string): number | null {
  try {
    const payload = token.split('.')[1];
    if (!payload) return null;
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp : null;
  } catch {
    return null;
  }
}

function readSession(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(storageKey);
    const session = raw ? (JSON.parse(raw) as Session) : null;
    if (!session?.token) return null;
    const exp = tokenExpiresAt(session.token);
    return exp !== null && exp * 1000 <= Date.now() ? null : session;
  } catch {
    return null;
  }
}

export interface SessionProviderProps {
  persistedQueryIds: Readonly<Record<string, string>>;
  /** The app's cache policies (pagination of its lists). */
  typePolicies?: TypePolicies;
  children: ReactNode;
}

export function SessionProvider({ persistedQueryIds, typePolicies, children }: SessionProviderProps) {
  const hadSession = useRef(globalThis.localStorage?.getItem(storageKey) !== null);
  const [session, setSession] = useState<Session | null>(readSession);
  const [ended, setEnded] = useState<'expired' | null>(() => (hadSession.current && !readSession() ? 'expired' : null));
  const tokenRef = useRef(session?.token ?? null);
  const offline = useRef(false);
  const listeners = useRef(new Set<() => void>());
  const logOutRef = useRef<(reason?: 'expired') => Promise<void>>(async () => {});

  const fabline: FablineClient = useMemo(
    () =>
      createApolloClient({
        persistedQueryIds,
        cache: new InMemoryCache({ typePolicies }),
        getToken: () => tokenRef.current,
        onUnauthenticated: () => {
          if (tokenRef.current) void logOutRef.current('expired');
        },
        onConnectionChange: (connected) => {
          offline.current = !connected;
          for (const listener of listeners.current) listener();
        },
      }),
    [persistedQueryIds, typePolicies],
  );
  const isOffline = useSyncExternalStore(
    (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
    () => offline.current,
  );

  const logIn = useCallback((next: Session) => {
    tokenRef.current = next.token;
    globalThis.localStorage?.setItem(storageKey, JSON.stringify(next));
    setEnded(null);
    setSession(next);
  }, []);
  const logOut = useCallback(
    async (reason?: 'expired') => {
      tokenRef.current = null;
      globalThis.localStorage?.removeItem(storageKey);
      offline.current = false;
      await fabline.reset();
      setEnded(reason ?? null);
      setSession(null);
    },
    [fabline],
  );
  logOutRef.current = logOut;

  const api = useMemo(() => ({ session, ended, logIn, logOut, offline: isOffline }), [session, ended, logIn, logOut, isOffline]);
  return (
    <SessionContext.Provider value={api}>
      <ApolloProvider client={fabline.client}>{children}</ApolloProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a <SessionProvider> above it');
  return value;
}
