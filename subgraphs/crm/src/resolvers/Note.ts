import type { CrmContext } from '../context.ts';
import type { Note as NoteRow } from '../generated/prisma/client.ts';

export const Note = {
  author: (note: NoteRow, _: unknown, { loaders }: CrmContext) => loaders.account.load(note.authorId),
};
