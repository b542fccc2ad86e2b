-- Partner keys managed by admins in the CRM: a name for the list (existing keys take their partner's
-- name) and when the gateway last verified each key.
ALTER TABLE "api_keys" ADD COLUMN "name" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "last_used_at" TIMESTAMPTZ(3);
UPDATE "api_keys" k SET "name" = a."name" FROM "accounts" a WHERE a."id" = k."account_id";
ALTER TABLE "api_keys" ALTER COLUMN "name" DROP DEFAULT;

-- The CRM's customer list pages over people of one role by name.
CREATE INDEX "accounts_role_name_id_idx" ON "accounts"("role", "name", "id");
