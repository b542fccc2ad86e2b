import { isStaff } from '@fabline/shared/auth';
import type { CrmContext } from '../context.ts';
import type { Review as ReviewRow } from '../generated/prisma/client.ts';

export const Review = {
  reviewer: (review: ReviewRow, _: unknown, { loaders, viewer }: CrmContext) =>
    review.reviewerId && isStaff(viewer) ? loaders.account.load(review.reviewerId) : null,
  /** Internal notes are for staff only; customers get an empty list. */
  notes: (review: ReviewRow, _: unknown, { loaders, viewer }: CrmContext) => (isStaff(viewer) ? loaders.notes.load(review.orderId) : []),
};
