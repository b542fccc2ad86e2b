import { cube, toBinaryStl } from '@fabline/mes/geometry/synthetic';

/** A binary STL cube with edges of `sizeMm`: volume sizeMm³, the known answer quotes are checked against. */
export const stlCube = (sizeMm: number) => toBinaryStl(cube(sizeMm), `fabline test cube ${sizeMm}mm`);
