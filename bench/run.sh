#!/bin/sh
# Benchmarks (not tests): event appends next to pgbench, and orchestration overhead per step.
# Usage: bench/run.sh [database]   (default antidote_bench; created if missing; Flyway cleans it)
# Results: target/benchmarks/results.txt, also printed at the end. See docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/.."
DB=${1:-antidote_bench}
PG="-h 127.0.0.1 -p 5432 -U postgres"
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
createdb $PG "$DB" 2>/dev/null || true
export _TEST_QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/$DB"
export _TEST_QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB"
rm -f target/benchmarks/results.txt
mkdir -p target/benchmarks

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
       "$(free -h | awk '/^Mem:/ {print $2}') RAM, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "postgresql: $(psql $PG -d "$DB" -Atc 'show server_version')"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
} >> target/benchmarks/results.txt

# Antidote's side first: the test profile cleans the schema at start, which would drop bench_event.
# Surefire's default execution only, named so that a second execution added later cannot run them twice.
${MVN:-./mvnw} -B -q -o test-compile surefire:test@default-test -Dtest='AppendBenchmark,OrchestrationBenchmark,LabOrchestrationBenchmark' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.measure.ms=$((SECONDS_PER_RUN * 1000))

echo "load after Antidote's side: $(cut -d' ' -f1-3 /proc/loadavg)" >> target/benchmarks/results.txt

# pgbench: the same rows into a table of the same shape (columns, keys, indexes; no chain trigger).
psql $PG -d "$DB" -qc 'drop table if exists bench_event' \
  -c 'create table bench_event (like run_event including defaults including constraints including indexes including identity)'
for clients in 1 8; do
  for script in single batch; do
    tps=$(pgbench $PG -n -f "bench/pgbench-$script.sql" -c $clients -j $clients -T "$SECONDS_PER_RUN" "$DB" \
      | awk '/^tps = / {print $3}')
    per=1; [ "$script" = batch ] && per=10
    echo "pgbench clients=$clients batch=$per events/s=$(awk "BEGIN {printf \"%.0f\", $tps * $per}") transactions/s=$tps" \
      >> target/benchmarks/results.txt
  done
done
psql $PG -d "$DB" -qc 'drop table bench_event'
echo "load after pgbench: $(cut -d' ' -f1-3 /proc/loadavg)" >> target/benchmarks/results.txt
cat target/benchmarks/results.txt
