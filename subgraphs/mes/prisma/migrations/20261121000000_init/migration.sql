-- CreateEnum
CREATE TYPE "QuoteStatus" AS ENUM ('PENDING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "ProductionStage" AS ENUM ('QUEUED', 'PRINTING', 'POST_PROCESSING', 'QUALITY_CHECK', 'READY', 'SHIPPED');

-- CreateTable
CREATE TABLE "materials" (
    "code" VARCHAR(16) NOT NULL,
    "name" TEXT NOT NULL,
    "density_g_cm3" DECIMAL(8,4) NOT NULL,
    "price_per_kg" DECIMAL(10,2) NOT NULL,
    "machine_hourly_rate" DECIMAL(10,2) NOT NULL,
    "layer_height_mm" DECIMAL(6,3) NOT NULL,
    "deposition_cm3_per_hour" DECIMAL(8,2) NOT NULL,
    "setup_fee" DECIMAL(10,2) NOT NULL,
    "minimum_price" DECIMAL(10,2) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "materials_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "quotes" (
    "id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "model_sha256" CHAR(64) NOT NULL,
    "storage_key" TEXT NOT NULL,
    "material_code" VARCHAR(16) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "QuoteStatus" NOT NULL DEFAULT 'PENDING',
    "algorithm_version" TEXT NOT NULL,
    "amount" DECIMAL(12,2),
    "currency" CHAR(3) NOT NULL DEFAULT 'EUR',
    "cached" BOOLEAN NOT NULL DEFAULT false,
    "needs_review" BOOLEAN NOT NULL DEFAULT false,
    "volume_mm3" DOUBLE PRECISION,
    "surface_area_mm2" DOUBLE PRECISION,
    "triangle_count" INTEGER,
    "watertight" BOOLEAN,
    "geometry_hash" CHAR(64),
    "print_seconds" INTEGER,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "quotes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "production_orders" (
    "order_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "stage" "ProductionStage" NOT NULL DEFAULT 'QUEUED',
    "operator_id" UUID,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    CONSTRAINT "production_orders_pkey" PRIMARY KEY ("order_id")
);

-- CreateIndex
CREATE INDEX "quotes_owner_id_created_at_idx" ON "quotes"("owner_id", "created_at");

-- CreateIndex
CREATE INDEX "production_orders_stage_queued_at_idx" ON "production_orders"("stage", "queued_at");

-- AddForeignKey
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_material_code_fkey" FOREIGN KEY ("material_code") REFERENCES "materials"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
