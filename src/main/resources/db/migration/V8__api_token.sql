-- API tokens for machines (ticket systems, schedulers): issued and revoked by an admin through the API.
-- Only the SHA-256 of a token is stored: the token itself is shown once, to the admin who issued it, and a
-- copy of this table lets nobody call the API. Tokens are 256 random bits, so a plain digest cannot be
-- reversed by guessing; a slow password hash would add nothing but latency to every call.
--
-- A token acts with its roles only, on its playbooks only ('*': every playbook), until it expires or is
-- revoked. Rows are never deleted: who issued and who revoked a token stays known.

create table api_token (
    id          uuid        primary key,
    name        text        not null,
    token_hash  char(64)    not null unique,
    roles       text[]      not null,
    playbooks   text[]      not null,
    created_by  text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    revoked_by  text,
    revoked_at  timestamptz,
    constraint api_token_hash_is_sha256_hex check (token_hash ~ '^[0-9a-f]{64}$'),
    constraint api_token_name_shape check (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    constraint api_token_expires_after_creation check (expires_at > created_at),
    constraint api_token_revocation_complete check ((revoked_by is null) = (revoked_at is null))
);

comment on table api_token is
    'API tokens by digest; written only by io.antidote.store.ApiTokenStore (docs/security.md)';

create index api_token_name on api_token (name);
