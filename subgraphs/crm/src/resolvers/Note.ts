import { loadReferenced } from '@fabline/shared/loaders';
import type { NoteResolvers } from '../generated/graphql.ts';

export const Note: NoteResolvers = {
  order: (note) => ({ id: note.orderId }),
  author: (note, _, { loaders }) => loadReferenced(loaders.account, note.authorId, `Account ${note.authorId}, author of note ${note.id},`),
};
