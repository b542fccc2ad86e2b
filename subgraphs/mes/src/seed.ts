import type { PrismaClient } from './db.ts';

/** The materials the README lists; prices are demo figures. */
export const MATERIALS = [
  {
    code: 'PLA',
    name: 'PLA',
    densityGCm3: '1.2400',
    pricePerKg: '25.00',
    machineHourlyRate: '6.00',
    layerHeightMm: '0.200',
    depositionCm3PerHour: '12.00',
    wallThicknessMm: '1.20',
    infillRatio: '0.200',
    layerOverheadSeconds: '2.00',
    setupFee: '5.00',
    minimumPrice: '8.00',
  },
  {
    code: 'PETG',
    name: 'PETG',
    densityGCm3: '1.2700',
    pricePerKg: '30.00',
    machineHourlyRate: '6.50',
    layerHeightMm: '0.200',
    depositionCm3PerHour: '10.00',
    wallThicknessMm: '1.20',
    infillRatio: '0.200',
    layerOverheadSeconds: '2.00',
    setupFee: '5.00',
    minimumPrice: '9.00',
  },
  {
    code: 'ABS',
    name: 'ABS',
    densityGCm3: '1.0400',
    pricePerKg: '28.00',
    machineHourlyRate: '7.00',
    layerHeightMm: '0.200',
    depositionCm3PerHour: '10.00',
    wallThicknessMm: '1.20',
    infillRatio: '0.200',
    layerOverheadSeconds: '2.50',
    setupFee: '6.00',
    minimumPrice: '9.00',
  },
  {
    code: 'PA12',
    name: 'Nylon PA12 (SLS)',
    densityGCm3: '1.0100',
    pricePerKg: '80.00',
    machineHourlyRate: '18.00',
    layerHeightMm: '0.100',
    depositionCm3PerHour: '40.00',
    wallThicknessMm: '1.00',
    infillRatio: '1.000',
    layerOverheadSeconds: '8.00',
    setupFee: '15.00',
    minimumPrice: '20.00',
  },
  {
    code: 'RESIN',
    name: 'Standard resin (SLA)',
    densityGCm3: '1.1500',
    pricePerKg: '120.00',
    machineHourlyRate: '12.00',
    layerHeightMm: '0.050',
    depositionCm3PerHour: '15.00',
    wallThicknessMm: '1.00',
    infillRatio: '1.000',
    layerOverheadSeconds: '6.00',
    setupFee: '10.00',
    minimumPrice: '15.00',
  },
] as const;

/** Demo printers (build volumes in mm, as their makers state them); the MINI is the small one. */
export const PRINTERS = [
  { name: 'Prusa MK4 #1', technology: 'FDM', materials: ['PLA', 'PETG'], buildXMm: 250, buildYMm: 210, buildZMm: 220 },
  { name: 'Prusa MINI+', technology: 'FDM', materials: ['PLA', 'PETG'], buildXMm: 180, buildYMm: 180, buildZMm: 180 },
  { name: 'Bambu X1E', technology: 'FDM', materials: ['PLA', 'PETG', 'ABS'], buildXMm: 256, buildYMm: 256, buildZMm: 256 },
  { name: 'Form 4', technology: 'SLA', materials: ['RESIN'], buildXMm: 200, buildYMm: 125, buildZMm: 210 },
  { name: 'Fuse 1+', technology: 'SLS', materials: ['PA12'], buildXMm: 165, buildYMm: 165, buildZMm: 300 },
] as const;

/** Idempotent: inserts missing materials and (unless told not to) demo printers, leaves edited ones alone. */
export async function seed(prisma: PrismaClient, { printers = true }: { printers?: boolean } = {}) {
  for (const material of MATERIALS) {
    await prisma.material.upsert({ where: { code: material.code }, create: material, update: {} });
  }
  if (!printers) return;
  for (const printer of PRINTERS) {
    await prisma.printer.upsert({ where: { name: printer.name }, create: { ...printer, materials: [...printer.materials] }, update: {} });
  }
}
