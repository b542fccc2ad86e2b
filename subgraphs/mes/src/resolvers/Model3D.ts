import assert from 'node:assert/strict';
import { cacheControlFromInfo } from '@apollo/cache-control-types';
import type { Model3DResolvers } from '../generated/graphql.ts';
import { quoteAnalysis } from './QuoteAnalysis.ts';

/**
 * The shop owns models; mes adds what the price workers measured. The gateway reaches this only
 * through shop's `Model3D`, which already checked that the caller is the owner or staff.
 */
export const Model3D: Model3DResolvers = {
  analysis: async ({ sha256 }, _, ctx, info) => {
    // @requires(fields: "sha256"): the gateway sends sha256 in every representation it resolves `analysis` on
    assert(sha256 !== undefined, 'Model3D.analysis needs the sha256 it @requires');
    const analysis = await ctx.loaders.analysis.load(sha256);
    if (!analysis) {
      // the answer changes as soon as a worker is done: never cache a PENDING one
      cacheControlFromInfo(info).setCacheHint({ maxAge: 0 });
      return { status: 'PENDING', geometry: null, failureCode: null, failureReason: null };
    }
    if (!analysis.ok) return { status: 'FAILED', geometry: null, failureCode: analysis.code, failureReason: analysis.message };
    return { status: 'READY', geometry: quoteAnalysis(analysis), failureCode: null, failureReason: null };
  },
};
