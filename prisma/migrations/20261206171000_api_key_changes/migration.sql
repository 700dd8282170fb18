-- Each instance keeps the live API keys it has seen (lib/auth/keys.ts) and forgets them when a key
-- is revoked, changed or deleted. The announcement comes from the table, whoever writes it (an
-- instance, `npm run keys -- revoke` beside it, an operator in psql), and at commit, like every
-- NOTIFY (docs/decisions/0016-people-roles-and-keys.md).
CREATE FUNCTION "announce_api_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('jobdeck_api_key_changes', OLD."id"::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER "api_keys_announce_change" AFTER UPDATE OF "revoked_at", "role", "hash", "name" OR DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION "announce_api_key_change"();
