-- Admin queries over frebscan_events (schema.sql). FINAL makes the de-duplication
-- by event.id exact before ClickHouse's background merges have run.
-- make test-clickhouse runs each named query and checks it against the JSON report
-- of the same scan.

-- name: findings-by-rule-server-day
-- Findings (alerts: severity low and above) per rule, per server, per day.
SELECT toDate(ts) AS day, `host.name` AS server, `rule.id` AS rule, count() AS findings
FROM frebscan_events FINAL
WHERE `event.kind` = 'alert'
GROUP BY day, server, rule
ORDER BY day, server, rule;

-- name: clients-hit-by-via-persistent-auth
-- The original clients (behind the load balancer) hit by via-persistent-auth.
SELECT `client.ip` AS client, count() AS findings, min(`@timestamp`) AS first, max(`@timestamp`) AS last
FROM frebscan_events FINAL
WHERE `rule.id` = 'via-persistent-auth'
GROUP BY client
ORDER BY findings DESC, client;

-- name: top-failing-urls
-- The URLs with the most failed requests (status 400 and above), one row per trace.
SELECT `url.path` AS path, count() AS failures
FROM frebscan_events FINAL
WHERE `rule.id` = '' AND `http.response.status_code` >= 400
GROUP BY path
ORDER BY failures DESC, path
LIMIT 10;
