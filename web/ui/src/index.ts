export { type CreateApolloClientOptions, createApolloClient, type FablineClient } from './apollo/createApolloClient.ts';
export { describeError, type ErrorSentence, type GatewayError, gatewayErrorOf, toGatewayError } from './apollo/errors.ts';
export { Alert, Button, Card, Skeleton, TextField } from './components/controls.tsx';
export { ErrorMessage } from './components/error-message.tsx';
export { type Catalogue, type CatalogueSource, createI18n, detectLocale, type I18n, I18nProvider, type Locale, locales, useI18n } from './i18n/i18n.tsx';
export { en as sharedEn } from './i18n/messages.ts';
export { type Session, SessionProvider, type SessionViewer, tokenExpiresAt, useSession } from './session/session.tsx';
export { AppShell, type NavItem } from './shell/app-shell.tsx';
export { UploadFailed, type XhrUploadOptions, xhrUpload } from './transport/xhrUpload.ts';
