-- The views of a blotter database: their one definition. Re-created on every writable open
-- (pipelines/store/views.py) whenever the SQL here differs from the file's, so a view's
-- current SQL is always this file's, never the sum of a migration history.
-- Each view starts at a line "-- view: NAME".

-- view: arrests
-- One row per arrested person (their first bond), charges joined in release order. What a
-- reader looks at comes first (agency, release date, name, age, residence, charges, bond,
-- incident date, link); the ids are last.
CREATE VIEW arrests AS
SELECT a.name AS agency, substr(r.published_at, 1, 10) AS release_date, p.name, p.age,
       p.residence,
       (SELECT group_concat(
                   c.text || CASE WHEN c.counts > 1
                                  THEN ' (' || c.counts || ' counts)' ELSE '' END,
                   '; ')
               OVER (ORDER BY c.position, c.id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        FROM charges c WHERE c.person_id = p.id LIMIT 1) AS charges,
       b.amount AS bond_amount, b.type AS bond_type, r.incident_date, r.url,
       r.title AS release_title, r.incident_time, r.location, p.first_name, p.last_name,
       p.juvenile, a.state,
       (SELECT count(*) FROM charges c WHERE c.person_id = p.id) AS charge_count,
       b.text AS bond_text, r.uid AS release_uid, a.id AS agency_id, r.id AS release_id,
       p.id AS person_id
FROM people p
JOIN releases r ON r.id = p.release_id
JOIN agencies a ON a.id = r.agency_id
LEFT JOIN bonds b ON b.id = (SELECT min(id) FROM bonds WHERE person_id = p.id)
WHERE p.role = 'arrestee';

-- view: charge_counts
-- Charges per agency, month (of the incident, else of publication) and NIBRS category.
CREATE VIEW charge_counts AS
SELECT a.id AS agency_id, a.name AS agency,
       substr(coalesce(r.incident_date, r.published_at), 1, 7) AS month,
       coalesce(c.category, '90Z') AS category, o.name AS category_name,
       o.crime_against,
       count(*) AS charges, sum(c.counts) AS counts,
       count(DISTINCT c.person_id) AS people
FROM charges c
JOIN releases r ON r.id = c.release_id
JOIN agencies a ON a.id = r.agency_id
LEFT JOIN offense_categories o ON o.code = coalesce(c.category, '90Z')
GROUP BY a.id, month, coalesce(c.category, '90Z');

-- view: source_health
-- Per source: last success, last new release, failed runs in a row, recent releases, the
-- last error and its kind, and a verdict. "broken" is decided by the stored error kind
-- ('layout': the page was fetched but the selectors found nothing), never by wording.
-- "selectors no longer match" by how the source's 5 most recently seen releases were read
-- (releases.extraction_method): most of their bodies came from the general extractor.
CREATE VIEW source_health AS
WITH runs AS (
    SELECT sr.agency_id, sr.run_id, sr.status, sr.error, sr.error_kind, sr.new, sr.pages,
           cr.finished_at
    FROM source_runs sr JOIN crawl_runs cr ON cr.id = sr.run_id
    WHERE sr.status IN ('ok', 'failed')
),
figures AS (
    SELECT a.id AS agency_id, a.name AS agency, a.platform, a.enabled,
           (SELECT max(finished_at) FROM runs
             WHERE agency_id = a.id AND status = 'ok') AS last_success,
           (SELECT max(first_seen_at) FROM releases
             WHERE agency_id = a.id) AS last_new_release,
           (SELECT count(*) FROM runs
             WHERE agency_id = a.id AND status = 'failed'
               AND run_id > coalesce((SELECT max(run_id) FROM runs
                                      WHERE agency_id = a.id AND status = 'ok'), 0)
           ) AS consecutive_failures,
           (SELECT count(*) FROM releases WHERE agency_id = a.id
               AND substr(published_at, 1, 10) >= date('now', '-7 days')) AS releases_7d,
           (SELECT count(*) FROM releases WHERE agency_id = a.id
               AND substr(published_at, 1, 10) >= date('now', '-30 days'))
               AS releases_30d,
           (SELECT count(*) FROM releases WHERE agency_id = a.id) AS releases_total,
           (SELECT error FROM runs WHERE agency_id = a.id
             ORDER BY run_id DESC LIMIT 1) AS last_error,
           (SELECT error_kind FROM runs WHERE agency_id = a.id
             ORDER BY run_id DESC LIMIT 1) AS last_error_kind,
           (SELECT count(*) FROM runs WHERE agency_id = a.id) AS runs,
           (SELECT count(*) FROM (SELECT 1 FROM releases WHERE agency_id = a.id
                                  ORDER BY last_seen_at DESC, id DESC LIMIT 5)
           ) AS recent_releases,
           (SELECT count(*) FROM (SELECT extraction_method FROM releases
                                  WHERE agency_id = a.id
                                  ORDER BY last_seen_at DESC, id DESC LIMIT 5)
             WHERE json_extract(extraction_method, '$.body') = 'general'
           ) AS recent_fallbacks
    FROM agencies a
    WHERE a.listing_url IS NOT NULL  -- sources only, not every agency of the registry
)
SELECT *,
       CASE
         WHEN NOT enabled THEN 'disabled'
         WHEN runs = 0 THEN 'never crawled'
         WHEN releases_total > 0 AND consecutive_failures > 0 AND last_error_kind = 'layout'
           THEN 'broken: layout changed?'
         WHEN consecutive_failures >= 3 THEN 'failing'
         WHEN consecutive_failures > 0 THEN 'failed last run'
         WHEN recent_fallbacks * 2 > recent_releases
           THEN 'selectors no longer match; falling back to the general extractor'
         WHEN releases_total = 0 THEN 'no releases yet'
         WHEN last_new_release < datetime('now', '-30 days') THEN 'stale'
         ELSE 'ok'
       END AS health
FROM figures;

-- view: release_people
-- Each person of a release with their charges and first bond: what a release's page lists.
CREATE VIEW release_people AS
SELECT p.release_id, p.position, p.role, p.name, p.age, p.residence, p.juvenile,
       (SELECT group_concat(
                   c.text || CASE WHEN c.counts > 1
                                  THEN ' (' || c.counts || ' counts)' ELSE '' END,
                   '; ')
               OVER (ORDER BY c.position, c.id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        FROM charges c WHERE c.person_id = p.id LIMIT 1) AS charges,
       b.amount AS bond_amount, b.type AS bond_type, p.id AS person_id
FROM people p
LEFT JOIN bonds b ON b.id = (SELECT min(id) FROM bonds WHERE person_id = p.id);

-- view: agency_coverage
-- One row per agency: every agency of the registry, and every listed source whose agency is
-- not in it. Its sources are the listed ones (agencies rows with a listing_url, linked by
-- registry_id) and the discovered ones (discovered_sources); verified means the latest
-- check of one of them (source_checks) said so, crawled_ok that a listed one's latest run was ok.
CREATE VIEW agency_coverage AS
WITH sources AS (
    SELECT a.id AS source_id, coalesce(a.registry_id, a.id) AS agency_key,
           'listed' AS origin, coalesce(a.enabled, 1) AS enabled
    FROM agencies a WHERE a.listing_url IS NOT NULL
    UNION ALL
    SELECT d.id, coalesce(d.registry_id, d.id), 'discovered', 0
    FROM discovered_sources d
    WHERE NOT EXISTS (SELECT 1 FROM agencies a WHERE a.id = d.id AND a.listing_url IS NOT NULL)
),
last_check AS (
    -- SQLite: the bare column comes from the row holding max(id)
    SELECT source_id, status, max(id) AS check_id FROM source_checks GROUP BY source_id
),
last_run AS (
    SELECT agency_id, status, max(run_id) AS run_id FROM source_runs
    WHERE status IN ('ok', 'failed') GROUP BY agency_id
),
per_agency AS (
    SELECT s.agency_key, count(*) AS sources,
           max(s.origin = 'discovered') AS discovered,
           max(coalesce(c.status = 'verified', 0)) AS verified,
           max(coalesce(c.status = 'broken', 0)) AS broken,
           max(s.origin = 'listed' AND s.enabled = 1) AS enabled,
           max(coalesce(r.status = 'ok', 0)) AS crawled_ok,
           group_concat(s.source_id, ', ') AS source_ids
    FROM sources s
    LEFT JOIN last_check c ON c.source_id = s.source_id
    LEFT JOIN last_run r ON r.agency_id = s.source_id
    GROUP BY s.agency_key
),
units AS (
    SELECT a.id AS agency_id, a.slug, a.name, a.state, a.county, a.agency_type, a.homepage_url
    FROM agencies a WHERE a.listing_url IS NULL
    UNION ALL
    SELECT a.id, a.slug, a.name, a.state, a.county, a.agency_type, a.homepage_url
    FROM agencies a
    WHERE a.listing_url IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM agencies r
                      WHERE r.id = a.registry_id AND r.listing_url IS NULL)
)
SELECT u.agency_id, u.slug, u.name, u.state, u.county, u.agency_type, u.homepage_url,
       coalesce(p.sources, 0) AS sources,
       coalesce(p.sources, 0) > 0 AS has_source,
       coalesce(p.discovered, 0) AS discovered,
       coalesce(p.verified, 0) AS verified,
       coalesce(p.broken, 0) AS broken,
       coalesce(p.enabled, 0) AS enabled,
       coalesce(p.crawled_ok, 0) AS crawled_ok,
       p.source_ids
FROM units u LEFT JOIN per_agency p ON p.agency_key = u.agency_id;

-- view: coverage
-- Per state: agencies, with a homepage, with a source found (discovered or listed), verified,
-- with an enabled source, with a source whose last crawl was ok.
CREATE VIEW coverage AS
SELECT coalesce(nullif(state, ''), '??') AS state,
       count(*) AS agencies,
       sum(coalesce(homepage_url, '') != '') AS with_homepage,
       sum(has_source) AS discovered,  -- a source found: discovered or listed
       sum(verified) AS verified,
       sum(enabled) AS enabled,
       sum(crawled_ok) AS crawled_ok
FROM agency_coverage
GROUP BY 1;
