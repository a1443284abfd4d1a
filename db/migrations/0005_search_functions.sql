-- Free-text search of customers by any part of their name or e-mail address, Japanese included (the contracts
-- workspace). pg_trgm cannot serve it: a pattern needs three characters to give a trigram, and Japanese surnames are
-- often two (山田), so customers are indexed by the bigrams of both fields instead (customers_search_idx, GIN).
--
-- search_key: what is compared. NFKC folds full-width letters and digits and half-width katakana (ｙａｍａｄａ → yamada,
-- ﾔﾏﾀﾞ → ヤマダ), case is ignored, and white space is dropped so that 山田太郎 finds 山田 太郎.
CREATE FUNCTION search_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(regexp_replace(normalize(value, NFKC), '\s+', '', 'g')) $$;
--> statement-breakpoint
-- customer_search_grams: every two-character run of the search key of each field (never across the two), so that a
-- customer matches a query of two characters or more only if the grams of the query are all among these (and the
-- query itself is then checked with LIKE on the search key). A field shorter than two characters gives none.
CREATE FUNCTION customer_search_grams(name text, email text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$
DECLARE
  chars text[];
  grams text[] := '{}';
  field text;
  i int;
  n int := 0;
BEGIN
  FOREACH field IN ARRAY ARRAY[name, email] LOOP
    chars := regexp_split_to_array(coalesce(search_key(field), ''), '');
    FOR i IN 1 .. coalesce(array_length(chars, 1), 0) - 1 LOOP
      n := n + 1;
      grams[n] := chars[i] || chars[i + 1];
    END LOOP;
  END LOOP;
  RETURN grams;
END
$$;
