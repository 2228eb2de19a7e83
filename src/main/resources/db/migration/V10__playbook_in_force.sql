-- Which version of each playbook file is in force, so that a restart keeps it in force while the file is
-- broken (issue 13, point 7): the catalog remembers it in memory while the process lives, this row across
-- processes. One row per file of the playbook directory (its path relative to the directory); the text is
-- the append-only playbook_version row it points at.
create table playbook_in_force (
    file       text        primary key,
    name       text        not null,
    -- No foreign key: it would make PostgreSQL refuse a TRUNCATE of playbook_version for the key's sake,
    -- before the append-only trigger names the real reason. The row and its text are written together.
    digest     char(64)    not null,
    updated_at timestamptz not null default now()
);
