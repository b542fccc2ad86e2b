-- Finished production orders move out of the hot table, so the operators' queue stays flat as history grows.
-- CreateTable
CREATE TABLE "production_orders_archive" (
    "order_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "stage" "ProductionStage" NOT NULL,
    "operator_id" UUID,
    "queued_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "production_orders_archive_pkey" PRIMARY KEY ("order_id")
);

-- CreateIndex
CREATE INDEX "production_orders_archive_customer_id_completed_at_idx" ON "production_orders_archive"("customer_id", "completed_at");

-- Move what already shipped
INSERT INTO "production_orders_archive" ("order_id", "customer_id", "stage", "operator_id", "queued_at", "updated_at", "completed_at")
SELECT "order_id", "customer_id", "stage", "operator_id", "queued_at", "updated_at", COALESCE("completed_at", "updated_at")
  FROM "production_orders" WHERE "stage" = 'SHIPPED';
DELETE FROM "production_orders" WHERE "stage" = 'SHIPPED';
