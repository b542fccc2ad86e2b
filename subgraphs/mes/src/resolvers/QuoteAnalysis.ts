const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export interface MeasuredGeometry {
  volumeMm3: number;
  surfaceAreaMm2: number;
  triangleCount: number;
  watertight: boolean;
  geometryHash: string;
  /** Bounding-box extents; widthMm and depthMm are absent for quotes priced before they were kept. */
  widthMm?: number | null;
  depthMm?: number | null;
  heightMm?: number | null;
}

/** A `QuoteAnalysis` from millimetre figures (a quote's columns or a cached analysis). */
export const quoteAnalysis = (g: MeasuredGeometry) => ({
  volumeCm3: round(g.volumeMm3 / 1000, 4),
  surfaceAreaCm2: round(g.surfaceAreaMm2 / 100, 4),
  triangleCount: g.triangleCount,
  watertight: g.watertight,
  geometryHash: g.geometryHash,
  boundingBox:
    g.widthMm == null || g.depthMm == null || g.heightMm == null ? null : { xMm: round(g.widthMm, 3), yMm: round(g.depthMm, 3), zMm: round(g.heightMm, 3) },
});
