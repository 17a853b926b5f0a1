import GRDB
import PaperboyModel

/// The SQLite schema as numbered migrations.
///
/// A migration that has shipped is never edited: change the schema by appending a new one. GRDB
/// records the applied identifiers in `grdb_migrations` and runs each missing one once, in order,
/// in its own transaction.
enum SQLiteMigrations {
    /// One migration: SQL, then optionally Swift that fills new columns from old ones.
    struct Migration: Sendable {
        var identifier: String
        var sql: String
        var backfill: (@Sendable (Database) throws -> Void)? = nil
    }

    /// The migrations, in order.
    static let all: [Migration] = [
        Migration(
            identifier:
                "0001-paper",
            sql: """
                CREATE TABLE paper (
                    position   INTEGER PRIMARY KEY,   -- first-stored order, the order of a day's list
                    id         TEXT    NOT NULL UNIQUE,
                    sequence   INTEGER NOT NULL UNIQUE, -- store-wide change sequence number
                    announced  TEXT    NOT NULL,      -- YYYY-MM-DD
                    title      TEXT    NOT NULL,
                    abstract   TEXT    NOT NULL,
                    authors    TEXT    NOT NULL,      -- JSON array of names, in order
                    categories TEXT    NOT NULL,      -- JSON array, primary first
                    versions   TEXT    NOT NULL,      -- JSON array of {"n": number, "t": unix seconds}
                    links      TEXT    NOT NULL       -- JSON array of {"kind": …, "url": …}
                );
                CREATE INDEX paper_by_announced ON paper (announced, position);
                CREATE TABLE paper_removal (
                    id       TEXT    PRIMARY KEY,
                    sequence INTEGER NOT NULL UNIQUE
                ) WITHOUT ROWID;
                """
        ),
        Migration(
            identifier: "0002-paper-details-title-checkpoint",
            sql: """
                ALTER TABLE paper ADD COLUMN title_id TEXT;  -- PaperID(title:) of a paper with a real id
                ALTER TABLE paper ADD COLUMN details TEXT NOT NULL DEFAULT '{}';  -- comment, journal_ref, license, estimate
                CREATE INDEX paper_by_title_id ON paper (title_id) WHERE title_id IS NOT NULL;
                CREATE TABLE checkpoint (
                    name    TEXT PRIMARY KEY,
                    value   TEXT NOT NULL,
                    updated TEXT NOT NULL  -- ISO 8601, UTC
                ) WITHOUT ROWID;
                """,
            backfill: { db in
                let update = try db.makeStatement(sql: "UPDATE paper SET title_id = ? WHERE position = ?")
                let rows = try Row.fetchCursor(db, sql: "SELECT position, id, title FROM paper WHERE id NOT LIKE 't-%'")
                while let row = try rows.next() {
                    let title: String = row[2]
                    try update.execute(arguments: [PaperID(title: title).rawValue, row[0] as Int64])
                }
            }
        ),
        Migration(
            identifier: "0003-title-id-pending",
            sql: """
                -- title_id is filled in lazily: NULL means "not computed yet" for a paper with a real id
                -- (bulk ingests then never touch the title index, whose keys are random), '' marks a
                -- title-only paper. Pending rows are found through their own small index.
                UPDATE paper SET title_id = '' WHERE id >= 't-' AND id < 't.';
                CREATE INDEX paper_title_pending ON paper (position) WHERE title_id IS NULL;
                """
        ),
        Migration(
            identifier: "0004-member-session",
            sql: """
                CREATE TABLE member (
                    id            INTEGER PRIMARY KEY,
                    email         TEXT NOT NULL,             -- as given
                    email_key     TEXT NOT NULL UNIQUE,      -- lower case, for lookups
                    display_name  TEXT NOT NULL,
                    password_hash TEXT NOT NULL,             -- bcrypt
                    role          TEXT NOT NULL DEFAULT 'member',
                    created       REAL NOT NULL              -- seconds since 1970
                );
                CREATE TABLE session (
                    token_hash TEXT PRIMARY KEY,             -- SHA-256 of the cookie's token, hex
                    member_id  INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
                    created    REAL NOT NULL,
                    expires    REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX session_by_member ON session (member_id);
                """
        ),
        Migration(
            identifier: "0005-upvote",
            sql: """
                CREATE TABLE upvote (
                    paper_id  TEXT    NOT NULL,
                    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
                    created   REAL    NOT NULL,  -- seconds since 1970: trending and sparklines use it
                    PRIMARY KEY (paper_id, member_id)
                ) WITHOUT ROWID;
                CREATE INDEX upvote_by_member ON upvote (member_id, paper_id);
                """
        ),
        Migration(
            identifier: "0006-community",
            sql: """
                CREATE TABLE comment (
                    id        INTEGER PRIMARY KEY,
                    paper_id  TEXT    NOT NULL,
                    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
                    parent_id INTEGER REFERENCES comment (id) ON DELETE CASCADE,  -- one level of replies
                    body      TEXT    NOT NULL,  -- Markdown source
                    created   REAL    NOT NULL,
                    edited    REAL,
                    hidden    INTEGER NOT NULL DEFAULT 0  -- 1 when a moderator hid it
                );
                CREATE INDEX comment_by_paper ON comment (paper_id, id);
                CREATE INDEX comment_by_parent ON comment (parent_id) WHERE parent_id IS NOT NULL;
                CREATE TABLE collection (
                    id        INTEGER PRIMARY KEY,
                    owner_id  INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
                    name      TEXT    NOT NULL,
                    public    INTEGER NOT NULL,
                    created   REAL    NOT NULL
                );
                CREATE INDEX collection_by_owner ON collection (owner_id, id);
                CREATE TABLE collection_paper (
                    collection_id INTEGER NOT NULL REFERENCES collection (id) ON DELETE CASCADE,
                    paper_id      TEXT    NOT NULL,
                    position      INTEGER NOT NULL,  -- order added
                    added         REAL    NOT NULL,
                    PRIMARY KEY (collection_id, paper_id)
                ) WITHOUT ROWID;
                CREATE TABLE submission (
                    paper_id  TEXT    PRIMARY KEY,
                    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
                    day       TEXT    NOT NULL,  -- YYYY-MM-DD: the list it was submitted to
                    created   REAL    NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX submission_by_day ON submission (day, created);
                CREATE TABLE api_token (
                    id         INTEGER PRIMARY KEY,
                    member_id  INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
                    name       TEXT    NOT NULL,
                    token_hash TEXT    NOT NULL UNIQUE,  -- SHA-256 of the token, hex
                    created    REAL    NOT NULL
                );
                CREATE INDEX api_token_by_member ON api_token (member_id);
                """
        ),
        Migration(
            identifier: "0007-digests",
            sql: """
                CREATE TABLE subscription (
                    id            INTEGER PRIMARY KEY,
                    email         TEXT    NOT NULL,
                    email_key     TEXT    NOT NULL UNIQUE,  -- lower case
                    member_id     INTEGER REFERENCES member (id) ON DELETE SET NULL,
                    frequency     TEXT    NOT NULL,  -- daily | weekly
                    categories    TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
                    authors       TEXT    NOT NULL DEFAULT '[]',
                    searches      TEXT    NOT NULL DEFAULT '[]',
                    paper_count   INTEGER NOT NULL DEFAULT 10,
                    status        TEXT    NOT NULL,  -- pending | active | unsubscribed | bounced
                    created       REAL    NOT NULL,
                    confirmed     REAL,
                    status_reason TEXT
                );
                CREATE INDEX subscription_by_status ON subscription (status, frequency, id);
                CREATE TABLE outbox (
                    id              INTEGER PRIMARY KEY,
                    subscription_id INTEGER NOT NULL REFERENCES subscription (id) ON DELETE CASCADE,
                    period          TEXT    NOT NULL,  -- daily:2026-11-20 | weekly:2026-W47
                    recipient       TEXT    NOT NULL,
                    subject         TEXT    NOT NULL,
                    body_text       TEXT    NOT NULL,
                    body_html       TEXT    NOT NULL,
                    paper_ids       TEXT    NOT NULL,  -- JSON array
                    status          TEXT    NOT NULL,  -- queued | sent | failed | bounced
                    attempts        INTEGER NOT NULL DEFAULT 0,
                    next_attempt    REAL    NOT NULL,
                    last_error      TEXT,
                    created         REAL    NOT NULL,
                    sent            REAL,
                    lease_owner     TEXT,
                    lease_until     REAL,
                    UNIQUE (subscription_id, period)  -- one digest per subscriber and period
                );
                CREATE INDEX outbox_due ON outbox (status, next_attempt, id);
                CREATE TABLE mailed_paper (
                    subscription_id INTEGER NOT NULL REFERENCES subscription (id) ON DELETE CASCADE,
                    paper_id        TEXT    NOT NULL,
                    outbox_id       INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
                    PRIMARY KEY (subscription_id, paper_id, outbox_id)
                ) WITHOUT ROWID;
                """
        ),
        Migration(
            identifier: "0008-proven-address-deleted-comment",
            sql: """
                ALTER TABLE member ADD COLUMN email_verified REAL;  -- when the address was proven; NULL: never
                CREATE TABLE pending_signup (
                    id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old links stay dead
                    email         TEXT NOT NULL,
                    email_key     TEXT NOT NULL UNIQUE,  -- lower case: one pending sign-up per address
                    display_name  TEXT NOT NULL,
                    password_hash TEXT NOT NULL,         -- bcrypt
                    created       REAL NOT NULL
                );
                ALTER TABLE comment ADD COLUMN deleted REAL;  -- deleted by its author (text gone, replies kept)
                -- Subscriptions a manage form once turned active without a confirmation wait again.
                UPDATE subscription SET status = 'pending' WHERE status = 'active' AND confirmed IS NULL;
                """
        ),
        Migration(
            identifier: "0009-paper-embedding",
            sql: """
                CREATE TABLE paper_embedding (
                    paper_id  TEXT NOT NULL,  -- paper.id; kept when the paper goes (the vector files skip it)
                    model     TEXT NOT NULL,  -- the model's name and weights checksum
                    text_hash TEXT NOT NULL,  -- of the title and abstract embedded
                    vector    BLOB NOT NULL,  -- float32, little-endian
                    PRIMARY KEY (model, paper_id)
                ) WITHOUT ROWID;
                """
        ),
        Migration(
            identifier: "0010-paper-category-list-order",
            sql: """
                -- Each paper's categories (primary and cross-listed) in list order, kept by triggers so
                -- that every writer keeps it: category pages and category filters page by this index.
                CREATE TABLE paper_category (
                    category  TEXT    NOT NULL,
                    announced TEXT    NOT NULL,
                    position  INTEGER NOT NULL,
                    PRIMARY KEY (category, announced DESC, position)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO paper_category (category, announced, position)
                    SELECT j.value, p.announced, p.position FROM paper p, json_each(p.categories) j;
                CREATE TRIGGER paper_category_insert AFTER INSERT ON paper BEGIN
                    INSERT OR IGNORE INTO paper_category (category, announced, position)
                        SELECT value, NEW.announced, NEW.position FROM json_each(NEW.categories);
                END;
                CREATE TRIGGER paper_category_update AFTER UPDATE OF categories, announced ON paper
                WHEN OLD.categories IS NOT NEW.categories OR OLD.announced IS NOT NEW.announced BEGIN
                    DELETE FROM paper_category WHERE category IN (SELECT value FROM json_each(OLD.categories))
                        AND announced = OLD.announced AND position = OLD.position;
                    INSERT OR IGNORE INTO paper_category (category, announced, position)
                        SELECT value, NEW.announced, NEW.position FROM json_each(NEW.categories);
                END;
                CREATE TRIGGER paper_category_delete AFTER DELETE ON paper BEGIN
                    DELETE FROM paper_category WHERE category IN (SELECT value FROM json_each(OLD.categories))
                        AND announced = OLD.announced AND position = OLD.position;
                END;
                -- Lists run newest day first, first-stored order within a day.
                DROP INDEX paper_by_announced;
                CREATE INDEX paper_by_day ON paper (announced DESC, position);
                """
        ),
        Migration(
            identifier: "0011-paper-feedback",
            sql: """
                -- A member's "more like this" or "not interested" on a paper: one per member per paper.
                CREATE TABLE paper_feedback (
                    member_id INTEGER NOT NULL REFERENCES member (id) ON DELETE CASCADE,
                    paper_id  TEXT    NOT NULL,  -- kept when the paper goes (the member said it)
                    kind      TEXT    NOT NULL CHECK (kind IN ('more_like_this', 'not_interested')),
                    created   REAL    NOT NULL,  -- seconds since 1970
                    PRIMARY KEY (member_id, paper_id)
                ) WITHOUT ROWID;
                """
        ),
    ]

    /// A migrator that applies ``all``.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Self.all {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
                try migration.backfill?(db)
            }
        }
        return migrator
    }
}
