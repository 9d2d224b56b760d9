#!/usr/bin/env bash
# Backup and restore, checked end to end against a PostgreSQL server:
#   1. a database with the demo data (the seed article and a second revision of it),
#   2. pg_dump --format=custom of it, pg_restore into a fresh database,
#   3. the restored database holds the same articles, revisions, analyses and activity,
#      its append-only triggers still refuse UPDATE and DELETE, and the app reads it
#      (export_article gives the same archive from both),
#   4. the archive, restored with import_archive into another fresh database, exports
#      the same document again.
# Every database it creates is dropped on exit, pass or fail. Exits non-zero on any failure.
#
# Settings (environment): PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres),
# BACKUP_CHECK_PREFIX (newsdesk_backup_check): the databases are <prefix>_source,
# <prefix>_restored and <prefix>_archive.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
prefix="${BACKUP_CHECK_PREFIX:-newsdesk_backup_check}"
source_db="${prefix}_source"
restored_db="${prefix}_restored"
archive_db="${prefix}_archive"
py=.venv/bin/python
work="$(mktemp -d)"

url() { echo "postgres://${PGUSER}@${PGHOST}:${PGPORT}/$1"; }
manage() { local db="$1"; shift; DATABASE_URL="$(url "$db")" "$py" manage.py "$@"; }
sql() { psql --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
fail() { echo "backup-check: FAILED: $*" >&2; exit 1; }

cleanup() {
  for db in "$source_db" "$restored_db" "$archive_db"; do
    dropdb --if-exists "$db" >/dev/null 2>&1 || echo "backup-check: could not drop $db" >&2
  done
  rm -rf "$work"
}
trap cleanup EXIT
cleanup  # leftovers of an interrupted run
work="$(mktemp -d)"

echo "backup-check: a database with the demo data ($source_db)"
createdb "$source_db"
manage "$source_db" migrate --noinput >/dev/null
manage "$source_db" seed_demo >/dev/null
sed 's/Putin asked/Zelensky asked/' articles/demo/000_8118fbd42351acfa.txt >"$work/corrected.txt"
manage "$source_db" import_articles --no-progress "$work/corrected.txt" >/dev/null
slug="$(sql "$source_db" "SELECT slug FROM articles_article ORDER BY id LIMIT 1")"
[ -n "$slug" ] || fail "the demo article was not loaded"

echo "backup-check: pg_dump, then pg_restore into a fresh database ($restored_db)"
pg_dump --format=custom --file="$work/newsdesk.dump" "$source_db"
createdb "$restored_db"
pg_restore --exit-on-error --no-owner --dbname="$restored_db" "$work/newsdesk.dump"

echo "backup-check: the restored database holds the record"
for table in articles_article articles_revision articles_analysis articles_activity \
             articles_person auth_user auth_group review_annotation review_correction; do
  want="$(sql "$source_db" "SELECT count(*) FROM $table")"
  got="$(sql "$restored_db" "SELECT count(*) FROM $table" 2>&1)" \
    || fail "$table is missing from the restored database: $got"
  [ "$want" = "$got" ] || fail "$table: $got rows restored, $want dumped"
done
[ "$(sql "$restored_db" "SELECT count(*) FROM articles_revision r JOIN articles_article a ON a.id = r.article_id WHERE a.slug = '$slug'")" = 2 ] \
  || fail "the demo article does not have its 2 revisions"
[ "$(sql "$restored_db" "SELECT count(*) FROM articles_activity WHERE verb = 'revision.recorded'")" = 2 ] \
  || fail "the activity log lost its revision.recorded rows"
manage "$restored_db" migrate --check >/dev/null || fail "the restored schema is not the migrated one"

echo "backup-check: the append-only triggers survived the restore"
expect_refused() {  # database, statement
  local out
  if out="$(sql "$1" "$2" 2>&1)"; then fail "the database allowed: $2"; fi
  case "$out" in
    *"Cannot update or delete rows"*) ;;
    *) fail "unexpected error for \"$2\": $out" ;;
  esac
}
expect_refused "$restored_db" "UPDATE articles_revision SET title = 'Rewritten' WHERE number = 1"
expect_refused "$restored_db" "DELETE FROM articles_revision"
expect_refused "$restored_db" "UPDATE articles_activity SET summary = 'Rewritten'"
expect_refused "$restored_db" "DELETE FROM articles_activity"

echo "backup-check: the app reads the restored database as the original"
manage "$source_db" export_article "$slug" --output "$work/source.json" 2>/dev/null
manage "$restored_db" export_article "$slug" --output "$work/restored.json" 2>/dev/null
cmp -s "$work/source.json" "$work/restored.json" || fail "the restored article's archive differs"

echo "backup-check: the archive restored into a fresh database ($archive_db) exports the same"
createdb "$archive_db"
manage "$archive_db" migrate --noinput >/dev/null
manage "$archive_db" import_archive "$work/source.json" >/dev/null
manage "$archive_db" export_article "$slug" --output "$work/archive.json" 2>/dev/null
cmp -s "$work/source.json" "$work/archive.json" || fail "the archive's round trip differs"

echo "backup-check: OK (article $slug: 2 revisions, activity and triggers restored)"
