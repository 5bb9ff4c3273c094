-- Logs: what the agents ship (log groups, their counts per time bucket, a few samples, the agents'
-- own health), and the log groups each guard read, kept with the release for its page and for
-- replay. Portable between H2 (in PostgreSQL mode) and PostgreSQL, as V1. Log times are Unix
-- seconds as the agents stamp them; the shipped data is pruned after graywatch.logs.retention,
-- what guards read is kept with their releases.

-- Every shipment taken, by the id its agent gave it: a shipment sent again (the agent retries
-- after a timeout) is recognised and not counted twice.
CREATE TABLE log_shipment (
    id          VARCHAR(200) PRIMARY KEY,
    app         VARCHAR(64)  NOT NULL,
    instance    VARCHAR(255) NOT NULL,
    events      BIGINT       NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX log_shipment_received ON log_shipment (received_at);

-- One exception fingerprint or error template of an app; its id is the same on every host.
CREATE TABLE log_group (
    app             VARCHAR(64)   NOT NULL,
    group_id        VARCHAR(100)  NOT NULL,
    kind            VARCHAR(16)   NOT NULL,
    level           VARCHAR(16),
    exception_type  VARCHAR(1000),
    root_cause_type VARCHAR(1000),
    template        TEXT          NOT NULL,
    first_seen      BIGINT        NOT NULL,
    last_seen       BIGINT        NOT NULL,
    PRIMARY KEY (app, group_id)
);
CREATE INDEX log_group_last_seen ON log_group (last_seen);

-- When each instance logged each group first and last.
CREATE TABLE log_group_instance (
    app        VARCHAR(64)  NOT NULL,
    instance   VARCHAR(255) NOT NULL,
    group_id   VARCHAR(100) NOT NULL,
    first_seen BIGINT       NOT NULL,
    last_seen  BIGINT       NOT NULL,
    PRIMARY KEY (app, instance, group_id)
);
CREATE INDEX log_group_instance_last_seen ON log_group_instance (last_seen);

-- Events of a group on an instance in the bucket [bucket_start, bucket_start + bucket_seconds).
CREATE TABLE log_count (
    app            VARCHAR(64)  NOT NULL,
    instance       VARCHAR(255) NOT NULL,
    group_id       VARCHAR(100) NOT NULL,
    bucket_start   BIGINT       NOT NULL,
    bucket_seconds INT          NOT NULL,
    event_count    BIGINT       NOT NULL,
    PRIMARY KEY (app, instance, group_id, bucket_start)
);
CREATE INDEX log_count_app_bucket ON log_count (app, bucket_start);

-- The first few full events (with their stack traces) of a group on an instance.
CREATE TABLE log_sample (
    app       VARCHAR(64)  NOT NULL,
    instance  VARCHAR(255) NOT NULL,
    group_id  VARCHAR(100) NOT NULL,
    sample_no INT          NOT NULL,
    seen_at   BIGINT       NOT NULL,
    sample    TEXT         NOT NULL,
    PRIMARY KEY (app, instance, group_id, sample_no)
);
CREATE INDEX log_sample_seen_at ON log_sample (seen_at);

-- The agent of each instance as its latest shipment described it. Counters are since the agent
-- started (agent_started_at, Unix milliseconds); dropped_* is what it had to throw away.
CREATE TABLE log_agent (
    app               VARCHAR(64)  NOT NULL,
    instance          VARCHAR(255) NOT NULL,
    agent_version     VARCHAR(64)  NOT NULL,
    agent_started_at  BIGINT       NOT NULL,
    last_shipment_id  VARCHAR(200) NOT NULL,
    last_sequence     BIGINT       NOT NULL,
    last_created_at   BIGINT       NOT NULL,
    last_seen         TIMESTAMP WITH TIME ZONE NOT NULL,
    bucket_seconds    INT          NOT NULL,
    shipments         BIGINT       NOT NULL,
    lines             BIGINT       NOT NULL,
    events            BIGINT       NOT NULL,
    skipped_events    BIGINT       NOT NULL,
    truncated_lines   BIGINT       NOT NULL,
    binary_lines      BIGINT       NOT NULL,
    bytes             BIGINT       NOT NULL,
    files             INT          NOT NULL,
    dropped_shipments BIGINT       NOT NULL,
    dropped_events    BIGINT       NOT NULL,
    dropped_bytes     BIGINT       NOT NULL,
    PRIMARY KEY (app, instance)
);

-- The log groups a release's guard read, with the sample it was shown.
CREATE TABLE guard_log_group (
    release_id      BIGINT        NOT NULL REFERENCES release_plan (id),
    group_id        VARCHAR(100)  NOT NULL,
    kind            VARCHAR(16)   NOT NULL,
    level           VARCHAR(16),
    exception_type  VARCHAR(1000),
    root_cause_type VARCHAR(1000),
    template        TEXT          NOT NULL,
    sample          TEXT,
    -- the length of the buckets its counts were read in
    bucket_seconds  INT           NOT NULL,
    PRIMARY KEY (release_id, group_id)
);

-- The counts a release's guard read. Counts arrive late (agents ship every few seconds, and keep
-- shipments while the server is away), so a bucket's count may grow after a round read it: each
-- row is what a round saw first (seen_at, its moment in Unix seconds) on top of earlier rounds.
CREATE TABLE guard_log_count (
    release_id   BIGINT       NOT NULL REFERENCES release_plan (id),
    instance     VARCHAR(255) NOT NULL,
    group_id     VARCHAR(100) NOT NULL,
    bucket_start BIGINT       NOT NULL,
    seen_at      BIGINT       NOT NULL,
    event_count  BIGINT       NOT NULL,
    PRIMARY KEY (release_id, instance, group_id, bucket_start, seen_at)
);
