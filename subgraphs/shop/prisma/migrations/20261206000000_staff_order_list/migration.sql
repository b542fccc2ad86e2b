-- The staff-wide order list (CRM): whether an order needs a manager's check is recorded when it is
-- placed (from its quotes), and the list pages over (placed_at, id), optionally in one status.
-- Orders placed before this migration count as not needing review.
ALTER TABLE "orders" ADD COLUMN "needs_review" BOOLEAN NOT NULL DEFAULT false;

CREATE INDEX "orders_placed_at_id_idx" ON "orders"("placed_at", "id");
CREATE INDEX "orders_status_placed_at_id_idx" ON "orders"("status", "placed_at", "id");
