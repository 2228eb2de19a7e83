-- Signed callbacks (webhooks, docs/webhooks.md): an admin subscribes a URL to run event types or run
-- statuses; every matching event becomes one delivery row per subscription, written from the outbox
-- (run_event) under a cursor of its own, so that an event committed while the service was down is still
-- delivered. A delivery is retried with exponential backoff until it is delivered or its window (24 h by
-- default) has passed; then it is dead and waits for a person to replay it.
--
-- The secret signs the deliveries (HMAC-SHA256), so it is kept as given, not as a digest; the API never
-- serves it back, and no event or log line carries it.

create table webhook_subscription (
    id          uuid        primary key,
    url         text        not null,
    event_types text[]      not null,
    statuses    text[]      not null,
    secret      text        not null,
    description text,
    created_by  text        not null,
    created_at  timestamptz not null,
    disabled_by text,
    disabled_at timestamptz,
    constraint webhook_subscription_http_url check (url ~ '^https?://'),
    constraint webhook_subscription_secret_shape check (secret ~ '^whsec_[A-Za-z0-9+/]+=*$'),
    constraint webhook_subscription_matches_something check (cardinality(event_types) + cardinality(statuses) > 0),
    constraint webhook_subscription_disabling_complete check ((disabled_by is null) = (disabled_at is null))
);

comment on table webhook_subscription is
    'Webhook subscriptions; the secret is never served (io.antidote.store.WebhookSubscriptions, docs/webhooks.md)';

-- One row per subscription and event. status: PENDING (due at next_attempt_at), DELIVERED, DEAD.
-- A sender claims a due row by moving next_attempt_at past its request timeout (FOR UPDATE SKIP LOCKED),
-- so that a sender that dies mid-request leaves the row due again, for any replica, once the claim lapses.
create table webhook_delivery (
    id              uuid        primary key,
    subscription_id uuid        not null references webhook_subscription (id),
    event_id        uuid        not null,
    run_id          uuid        not null,
    event_type      text        not null,
    payload         text        not null,
    status          text        not null,
    attempts        int         not null default 0,
    created_at      timestamptz not null,
    window_start    timestamptz not null,
    next_attempt_at timestamptz not null,
    last_attempt_at timestamptz,
    last_status     int,
    last_error      text,
    delivered_at    timestamptz,
    constraint webhook_delivery_once_per_event unique (subscription_id, event_id),
    constraint webhook_delivery_status check (status in ('PENDING', 'DELIVERED', 'DEAD'))
);

create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
create index webhook_delivery_log on webhook_delivery (subscription_id, created_at desc);

comment on table webhook_delivery is
    'Webhook deliveries, one per subscription and run event, with their attempts (docs/webhooks.md)';
