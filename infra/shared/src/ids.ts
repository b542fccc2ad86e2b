import { userError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** BAD_USER_INPUT unless `id` is a UUID; the message names the kind of id expected (`assertId(id, 'model')`: "… is not a model id"). */
export function assertId(id: string, kind: string): void {
  if (!UUID.test(id)) throw userError('BAD_USER_INPUT', `"${id}" is not ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} id`);
}

/**
 * The one answer for a resource the viewer may not see and for one that does not exist, in reads
 * and mutations alike: which ids exist is nobody else's business.
 */
export const notFound = (kind: string, id: string) => userError('NOT_FOUND', `${kind} ${id} not found`);
