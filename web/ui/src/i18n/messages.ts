// The shared catalogue: what every app shows (the shell, the login form, the error sentences).
// Each app adds its own catalogue; `{name}` is filled from the call's values. Russian is in
// messages.ru.ts, loaded when it is chosen, so the first paint carries one language.
export const en = {
  'shell.skip': 'Skip to content',
  'shell.language': 'Language',
  'shell.theme': 'Colour theme',
  'shell.theme.light': 'Light',
  'shell.theme.dark': 'Dark',
  'shell.logOut': 'Log out',
  'shell.signedInAs': 'Signed in as {name}',
  'shell.offline': 'The connection to Fabline was lost. Reconnecting by itself…',
  'shell.nav': 'Main',
  'lang.en': 'English',
  'lang.ru': 'Русский',
  'title.login': 'Log in',
  'auth.email': 'Email',
  'auth.password': 'Password',
  'auth.logIn': 'Log in',
  'auth.wrong': 'Wrong email or password.',
  'auth.expired': 'Your session has ended. Please log in again.',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.dismiss': 'Dismiss',
  'error.UNAUTHENTICATED': 'Your session has ended. Please log in again.',
  'error.FORBIDDEN': 'You are not allowed to do this.',
  'error.RATE_LIMITED': 'Too many requests. Please wait {seconds} s and try again.',
  'error.RATE_LIMITED.unknown': 'Too many requests. Please wait a moment and try again.',
  'error.PAYLOAD_TOO_LARGE': 'The file is too large.',
  'error.BAD_USER_INPUT': '{message}',
  'error.NOT_FOUND': 'This was not found. It may have been removed, or the link is wrong.',
  'error.COST_ESTIMATED_TOO_EXPENSIVE': 'This request asks for too much at once. Ask for fewer items.',
  'error.COST_LIMIT_EXCEEDED': 'You have used your request budget for now. Please wait a moment and try again.',
  'error.PERSISTED_QUERY_NOT_IN_LIST': 'This version of the app is out of date. Please reload the page.',
  'error.NETWORK': 'Fabline cannot be reached. Check your connection; we will keep trying.',
  'error.UNKNOWN': 'Something went wrong on our side. Please try again.',
} as const;

export type SharedMessageKey = keyof typeof en;
