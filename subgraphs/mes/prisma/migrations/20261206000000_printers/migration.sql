-- Printers: the machines production runs on, what they print and how large, and which printer
-- each job is assigned to (with its estimated machine time, for the printer's queue).
CREATE TYPE "PrinterStatus" AS ENUM ('IDLE', 'PRINTING', 'MAINTENANCE');
CREATE TYPE "PrintTechnology" AS ENUM ('FDM', 'SLA', 'SLS');

CREATE TABLE "printers" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "technology" "PrintTechnology" NOT NULL,
    "materials" VARCHAR(16)[],
    "build_x_mm" INTEGER NOT NULL,
    "build_y_mm" INTEGER NOT NULL,
    "build_z_mm" INTEGER NOT NULL,
    "status" "PrinterStatus" NOT NULL DEFAULT 'IDLE',
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "printers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "printers_name_key" ON "printers"("name");

ALTER TABLE "production_orders"
    ADD COLUMN "printer_id" UUID,
    ADD COLUMN "assigned_at" TIMESTAMPTZ(3),
    ADD COLUMN "print_seconds" INTEGER;
CREATE INDEX "production_orders_printer_id_assigned_at_idx" ON "production_orders"("printer_id", "assigned_at");
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_printer_id_fkey" FOREIGN KEY ("printer_id") REFERENCES "printers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "production_orders_archive"
    ADD COLUMN "printer_id" UUID,
    ADD COLUMN "assigned_at" TIMESTAMPTZ(3),
    ADD COLUMN "print_seconds" INTEGER;

-- The model's bounding box along x and y (height_mm is z), to check it fits a printer.
ALTER TABLE "quotes"
    ADD COLUMN "width_mm" DOUBLE PRECISION,
    ADD COLUMN "depth_mm" DOUBLE PRECISION;
