import { lazy } from 'react';

/**
 * The 3D preview, loaded on first render: three.js and the parsers stay out of the initial
 * bundle. Render it inside <Suspense> (its fallback shows while the chunk loads).
 */
export const ModelViewer = lazy(() => import('./model-viewer.tsx'));

export { formatLabel, modelViewerMessages } from './messages.ts';
export { inferFormat, MODEL_FORMATS, type ModelFormat } from './model-format.ts';
export type { ModelMeasuredDetails, ModelViewerLabels, ModelViewerProps } from './model-viewer-types.ts';
export type { ModelParseErrorReason } from './parse/model-parse-error.ts';
export type { Box3Mm, Vec3 } from './parse/triangle-soup.ts';
