import { isStaff } from '@fabline/shared/auth';
import type { ReviewResolvers } from '../generated/graphql.ts';

export const Review: ReviewResolvers = {
  reviewer: (review, _, { loaders, viewer }) => (review.reviewerId && isStaff(viewer) ? loaders.account.load(review.reviewerId) : null),
  /** Internal notes are for staff only; customers get an empty list. */
  notes: (review, _, { loaders, viewer }) => (isStaff(viewer) ? loaders.notes.load(review.orderId) : []),
};
