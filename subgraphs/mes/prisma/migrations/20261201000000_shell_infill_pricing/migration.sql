-- Shell + infill time model: wall thickness, infill ratio and per-layer overhead per material.
-- Existing rows get the demo figures below; the defaults only exist while the columns are filled.
ALTER TABLE "materials"
    ADD COLUMN "wall_thickness_mm" DECIMAL(5,2) NOT NULL DEFAULT 1.20,
    ADD COLUMN "infill_ratio" DECIMAL(4,3) NOT NULL DEFAULT 0.200,
    ADD COLUMN "layer_overhead_seconds" DECIMAL(6,2) NOT NULL DEFAULT 2.00;
UPDATE "materials" SET "layer_overhead_seconds" = 2.50 WHERE "code" = 'ABS';
-- powder and resin processes build solid parts; recoating / peeling costs time per layer
UPDATE "materials" SET "wall_thickness_mm" = 1.00, "infill_ratio" = 1.000, "layer_overhead_seconds" = 8.00 WHERE "code" = 'PA12';
UPDATE "materials" SET "wall_thickness_mm" = 1.00, "infill_ratio" = 1.000, "layer_overhead_seconds" = 6.00 WHERE "code" = 'RESIN';
ALTER TABLE "materials"
    ALTER COLUMN "wall_thickness_mm" DROP DEFAULT,
    ALTER COLUMN "infill_ratio" DROP DEFAULT,
    ALTER COLUMN "layer_overhead_seconds" DROP DEFAULT;

-- The price breakdown of a quote, why it failed (a GeometryError reason), and the material
-- figures it was priced with.
ALTER TABLE "quotes"
    ADD COLUMN "material_cost" DECIMAL(12,2),
    ADD COLUMN "machine_cost" DECIMAL(12,2),
    ADD COLUMN "setup_fee" DECIMAL(12,2),
    ADD COLUMN "discount" DECIMAL(12,2),
    ADD COLUMN "minimum_surcharge" DECIMAL(12,2),
    ADD COLUMN "discount_percent" DECIMAL(5,2),
    ADD COLUMN "height_mm" DOUBLE PRECISION,
    ADD COLUMN "rates_fingerprint" VARCHAR(16),
    ADD COLUMN "failure_code" VARCHAR(32);
