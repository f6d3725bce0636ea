-- The views of a blotter database: their one definition. Re-created on every writable open
-- (pipelines/store/views.py) whenever the SQL here differs from the file's, so a view's
-- current SQL is always this file's, never the sum of a migration history.
-- Each view starts at a line "-- view: NAME".

-- view: arrests
-- One row per arrested person (their first bond), charges joined in release order.
CREATE VIEW arrests AS
SELECT p.id AS person_id, r.id AS release_id, a.id AS agency_id, a.name AS agency,
       a.state, substr(r.published_at, 1, 10) AS release_date, r.incident_date,
       r.incident_time, r.location, p.name, p.age, p.residence, p.juvenile,
       (SELECT group_concat(
                   c.text || CASE WHEN c.counts > 1
                                  THEN ' (' || c.counts || ' counts)' ELSE '' END,
                   '; ')
               OVER (ORDER BY c.position, c.id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        FROM charges c WHERE c.person_id = p.id LIMIT 1) AS charges,
       (SELECT count(*) FROM charges c WHERE c.person_id = p.id) AS charge_count,
       b.amount AS bond_amount, b.type AS bond_type, b.text AS bond_text,
       r.title AS release_title, r.url
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
