-- frebscan events in ClickHouse (18.16 as Debian 12 packages it, and later).
-- Load `frebscan scan --format ndjson-flat` output as it is:
--   clickhouse-client -q 'INSERT INTO frebscan_events FORMAT JSONEachRow' < frebscan.ndjson
-- Every key frebscan writes has a column, so leave input_format_skip_unknown_fields
-- off: a field added to frebscan then fails the load instead of vanishing.
-- Column names are the ECS names, backquoted. A key missing on a line (absent values
-- are left out) loads as '' or 0 or [].
--
-- ReplacingMergeTree keyed on event.id: a trace shipped twice (a re-run without
-- --state, a re-sent file) is one row after merges, and exactly one in queries that
-- read FINAL. Reload from scratch with DROP TABLE + CREATE, not TRUNCATE (18.16 can
-- bring back parts of an OPTIMIZEd table after a restart).
CREATE TABLE IF NOT EXISTS frebscan_events
(
    `@timestamp`                String,   -- 2024-03-12T14:02:31.118Z, kept verbatim
    `ecs.version`               String,
    `event.id`                  String,
    `event.kind`                String,   -- event | alert
    `event.category`            Array(String),
    `event.type`                Array(String),  -- same length as event.category (ClickHouse pairs them)
    `event.outcome`             String,
    `event.duration`            Int64,    -- nanoseconds
    `event.severity`            UInt8,    -- 0 info .. 4 critical (finding lines)
    `event.module`              String,
    `event.dataset`             String,
    `host.name`                 String,   -- the IIS server (<Computer>)
    `related.hosts`             Array(String),  -- finding lines: every server a handshake reached
    `source.address`            String,   -- TCP peer IIS saw (the load balancer)
    `source.ip`                 String,
    `source.port`               UInt16,
    `client.address`            String,   -- original client (X-Forwarded-For...) or the peer
    `client.ip`                 String,
    `client.port`               UInt16,
    `network.forwarded_ip`      String,
    `url.original`              String,
    `url.scheme`                String,
    `url.domain`                String,
    `url.port`                  UInt16,
    `url.path`                  String,
    `url.query`                 String,
    `http.request.method`       String,
    `http.response.status_code` UInt16,
    `user_agent.original`       String,
    `user_agent.name`           String,
    `file.path`                 String,
    `rule.id`                   String,   -- '' on trace lines
    `rule.name`                 String,
    `rule.ruleset`              String,
    `rule.category`             String,
    `rule.reference`            String,
    `message`                   String,
    `log.level`                 String,
    `frebscan.site_id`          String,
    `frebscan.app_pool`         String,
    `frebscan.status`           String,   -- 401.2
    `frebscan.sub_status`       UInt32,
    `frebscan.failure_reason`   String,
    `frebscan.tool`             String,
    `frebscan.proxy`            String,
    `frebscan.auth`             String,
    `frebscan.error_module`     String,
    `frebscan.error_code`       String,
    `frebscan.unexplained.status`     String,
    `frebscan.unexplained.module`     String,
    `frebscan.unexplained.error_code` String,
    `frebscan.unexplained.reason`     String,
    `frebscan.unexplained.says`       String,
    `frebscan.truncated`        UInt8,
    `frebscan.warnings`         UInt32,
    `frebscan.findings`         UInt32,
    `frebscan.confidence`       String,
    `frebscan.fix`              String,
    `frebscan.vendor`           String,
    `frebscan.references`       Array(String),
    -- derived on insert (MATERIALIZED: 18.16 does not evaluate DEFAULT for JSONEachRow)
    ts    DateTime MATERIALIZED parseDateTimeBestEffort(`@timestamp`),
    ts_ms UInt16   MATERIALIZED toUInt16OrZero(substring(`@timestamp`, 21, 3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (`host.name`, ts, `event.id`);
