#!/usr/bin/env bash
# Fleet speed, side by side with Ansible (issue 11, point 8). Not a test: nothing here asserts a speed.
#
# One lab process (the lab profile, engine off) serves FLEET_HOSTS simulated Exchange servers on loopback.
# On those same hosts, in one run of this script:
#   1. Ansible (Debian's ansible-core and python3-winrm): `raw` tasks of bench/fleet/ansible-play.yaml over
#      pywinrm, NTLM with message encryption over http, forks = the host count, no facts;
#   2. Antidote (the packaged jar, its own database, engine on): bench/fleet/fleet-eight-steps.yaml, the same
#      eight steps, all hosts in one batch; one warm-up run, then one run over all hosts, then one run per
#      host, all requested together.
# Each phase records wall time, the client's CPU (Ansible's whole process tree; Antidote's service process),
# the lab process's CPU and the load average, and checks that every host's command log shows every step
# exactly once per phase: a benchmark that loses work is worthless.
#
# Usage: bench/fleet.sh
#   FLEET_HOSTS=50        lab hosts (also Ansible's forks and Antidote's engine.max-concurrent-steps)
#   FLEET_ANSIBLE=1       0 skips the Ansible phase (e.g. for FLEET_HOSTS=1000)
#   FLEET_SINGLE=1        0 skips the one-run-per-host phase
#   FLEET_SLEEP_MS=0      each step first sleeps this long on the host (Start-Sleep, for real): a command's latency;
#                         then the critical path is measured too: one run of one more host, alone (after one warm-up)
#   FLEET_JFR=0           1 profiles one more all-hosts run with JDK Flight Recorder and prints where the time goes
#   FLEET_WAIT_LOAD=2     before measuring, wait (at most FLEET_WAIT_SECONDS=300) for the 1-minute load to drop below it
#   FLEET_HEAP=0          1 also runs InFlightHeapBenchmark (10,000 one-target runs in flight, -Xmx512m; database
#                         FLEET_HEAP_DB=antidote_fleetbench_heap, cleaned by the test profile) once the services are stopped
#   FLEET_SKIP_BUILD=0    1 uses target/quarkus-app as it is
#   FLEET_SERVICE_OPTS    more JVM options for the Antidote service (e.g. -Xmx512m)
# Results: target/benchmarks/fleet.txt (and target/fleetbench/: logs, inventories, the JFR recording).
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTS=${FLEET_HOSTS:-50}
STEPS=8
SLEEP_MS=${FLEET_SLEEP_MS:-0}
LAB_DB=${FLEET_LAB_DB:-antidote_fleetbench_lab}
DB=${FLEET_DB:-antidote_fleetbench}
PG="-h 127.0.0.1 -p 5432 -U postgres"
WORK=target/fleetbench
OUT=target/benchmarks/fleet.txt
JAR=target/quarkus-app/quarkus-run.jar
TICK=$(getconf CLK_TCK)
PYTHON=/usr/bin/python3 # Debian's, which has winrm; the pyenv python3 on PATH may not

rm -rf "$WORK"
mkdir -p "$WORK/ansible/tmp" "$WORK/playbooks" target/benchmarks
: > "$OUT"
report() { echo "$*" | tee -a "$OUT"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
now_ms() { date +%s%3N; }
# utime + stime of a process (all its threads), in ms
cpu_ms() { awk -v t="$TICK" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / t }' "/proc/$1/stat"; }
# utime + stime of the PostgreSQL backends serving database $1, in ms (those connected at both ends of a window count)
db_cpu_ms() {
  local total=0 pid
  for pid in $(pgrep -f "^postgres: [^ ]+: [^ ]+ $1 "); do
    total=$(awk -v t="$total" '{ print t + $0 }' <<< "$(cpu_ms "$pid" 2>/dev/null || echo 0)")
  done
  echo "$total"
}
free_port() { $PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
iso_ms() { date -d "$1" +%s%3N; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

if [ "${FLEET_SKIP_BUILD:-0}" != 1 ]; then
  ${MVN:-./mvnw} -B -q -o package -DskipTests
fi

for db in "$LAB_DB" "$DB"; do
  dropdb $PG --if-exists "$db"
  createdb $PG "$db"
done

report "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -h | awk '/^Mem:/ {print $2}') RAM"
report "date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
report "ansible: $(/usr/bin/ansible-playbook --version | sed -n 1p), pywinrm $($PYTHON -c 'import winrm, importlib.metadata as m; print(m.version("pywinrm"))' 2>/dev/null || echo '?')"
report "hosts: $HOSTS, steps: $STEPS, sleep per step on the host: ${SLEEP_MS} ms"

# --- the lab: its own process and database, engine off ---
database_options() {
  echo "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/$1 -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$1"
}
await_ready() {
  for _ in $(seq 1 720); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/q/health/ready" && return 0
    sleep 0.25
  done
  echo "process on port $1 never became ready" >&2
  exit 1
}
# Starts the packaged service as "$1" on port $2 with database $3 and the options after them, and waits until it
# is ready; STARTED_PID is its process. The lab profile for its API tokens ($WORK/<name>-tokens.env) and the lab's
# rehearsal credential: there is no identity provider here.
start_service() {
  local name=$1 port=$2 db=$3
  shift 3
  # shellcheck disable=SC2046
  java -Dquarkus.profile=lab -Dquarkus.http.port="$port" -Dantidote.auth.lab-tokens-file="$WORK/$name-tokens.env" \
    $(database_options "$db") "$@" -jar "$JAR" > "$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  await_ready "$port"
}
operator_token() { (. "$WORK/$1-tokens.env" && echo "$OPERATOR"); }

LAB_PORT=$(free_port)
# Sleeping commands hold a lab worker thread each: enough of them that no host waits for another's sleep.
start_service lab "$LAB_PORT" "$LAB_DB" -Dantidote.engine.enabled=false \
  -Dantidote.lab.first-port=0 -Dantidote.lab.real-time-sleep=true \
  -Dquarkus.thread-pool.max-threads=$((HOSTS + 200)) -Dquarkus.vertx.worker-pool-size=$((HOSTS + 20))
LAB_PID=$STARTED_PID
LAB_TOKEN=$(operator_token lab)
LAB="http://127.0.0.1:$LAB_PORT"

NAMES=()
: > "$WORK/ports"
create_host() {
  local port
  port=$(curl -sf -X POST "$LAB/lab/hosts" -H "Authorization: Bearer $LAB_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"version\":\"2016\",\"cu\":\"CU20\"}" | jq -r .port)
  echo "$1 $port" >> "$WORK/ports"
}
for i in $(seq 1 "$HOSTS"); do
  name=$(printf 'fleet-%04d' "$i")
  create_host "$name"
  NAMES+=("$name")
done
# The host that measures the critical path: Antidote only, never in the fleet's runs.
PATH_HOST=fleet-path
[ "$SLEEP_MS" = 0 ] || create_host "$PATH_HOST"

# Every step's marker, counted in each host's command log; expected: $1 of each on every host.
verify_commands() { # expected phase [hosts...] (default: the fleet)
  local expected=$1 phase=$2 bad=0 total=0
  shift 2
  local hosts=("$@")
  [ ${#hosts[@]} -gt 0 ] || hosts=("${NAMES[@]}")
  for name in "${hosts[@]}"; do
    counts=$(curl -sf "$LAB/lab/hosts/$name/commands" -H "Authorization: Bearer $LAB_TOKEN" \
      | jq -c --argjson steps "$STEPS" '[.dropped, (.commands | length),
          (.commands as $c | [range(1; $steps + 1) | . as $n | [$c[] | select(.script | contains("fleet step \($n)'"'"'"))] | length])]')
    want=$(jq -nc --argjson e "$expected" --argjson steps "$STEPS" '[range(0; $steps)] | map($e)')
    if [ "$(jq -c '.[2]' <<< "$counts")" != "$want" ] || [ "$(jq '.[0]' <<< "$counts")" != 0 ]; then
      echo "  $name: dropped, commands, per step: $counts (want $want)" | tee -a "$OUT"
      bad=$((bad + 1))
    fi
    total=$((total + $(jq '.[1]' <<< "$counts")))
  done
  report "  verified $phase: $((${#hosts[@]} - bad)) of ${#hosts[@]} hosts show each step $expected time(s) in all; $total commands on the hosts so far"
  [ "$bad" = 0 ] || { report "  LOST OR REPEATED WORK: the numbers of $phase are not valid"; exit 1; }
}

# Steps' scripts: Write-Output, after a real sleep when asked for one.
step_script() {
  if [ "$SLEEP_MS" -gt 0 ]; then echo "Start-Sleep -Milliseconds $SLEEP_MS; Write-Output 'fleet step $1'"; else echo "Write-Output 'fleet step $1'"; fi
}
sed_steps() { # rewrite the trivial scripts of a playbook file when the steps sleep
  local file=$1
  for n in $(seq 1 $STEPS); do
    sed -i "s/Write-Output 'fleet step $n'\$/$(step_script "$n" | sed 's/[&/]/\\&/g')/" "$file"
  done
}

await_load() {
  local limit=${FLEET_WAIT_LOAD:-2} waited=0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$limit" 'BEGIN { exit !(l >= m) }' \
        && [ "$waited" -lt "${FLEET_WAIT_SECONDS:-300}" ]; do
    sleep 10; waited=$((waited + 10))
  done
  [ "$waited" = 0 ] || report "  (waited ${waited} s for the 1-minute load to drop below $limit)"
}

# phase results: name wall_ms client_cpu_ms lab_cpu_ms
declare -A WALL CPU LABCPU
record() { # phase wall_ms client_cpu_ms lab_cpu_ms load_before [database_cpu_ms]
  local phase=$1 wall=$2 cpu=$3 labcpu=$4 before=$5 dbcpu=${6:-}
  local tasks=$((HOSTS * STEPS))
  WALL[$phase]=$wall; CPU[$phase]=$cpu; LABCPU[$phase]=$labcpu
  report "$(awk -v p="$phase" -v w="$wall" -v c="$cpu" -v l="$labcpu" -v t="$tasks" -v b="$before" -v a="$(load)" 'BEGIN {
    printf "%s: host-tasks=%d wall=%.2f s host-tasks/s=%.1f client-cpu=%.1f s (%.1f ms per host-task) lab-cpu=%.1f s (%.1f ms per host-task) load before=%s after=%s",
      p, t, w / 1000, t * 1000 / w, c / 1000, c / t, l / 1000, l / t, b, a }')"
  [ -z "$dbcpu" ] || report "$(awk -v d="$dbcpu" -v t="$tasks" 'BEGIN {
    printf "  its database backends: cpu=%.1f s (%.1f ms per host-task)", d / 1000, d / t }')"
}

STEP_COUNT=0

# --- Ansible ---
if [ "${FLEET_ANSIBLE:-1}" = 1 ]; then
  {
    echo "[fleet]"
    grep -v "^$PATH_HOST " "$WORK/ports" | while read -r name port; do echo "$name ansible_host=127.0.0.1 ansible_port=$port"; done
    echo "[fleet:vars]"
    echo "ansible_connection=winrm"
    echo "ansible_winrm_transport=ntlm"
    echo "ansible_winrm_scheme=http"
    echo "ansible_winrm_message_encryption=auto"
    echo "ansible_user=lab"
    echo "ansible_password=Lab-Passw0rd!"
  } > "$WORK/ansible/inventory.ini"
  cat > "$WORK/ansible/ansible.cfg" <<EOF
[defaults]
forks = $HOSTS
gathering = explicit
host_key_checking = False
retry_files_enabled = False
local_tmp = $PWD/$WORK/ansible/tmp
interpreter_python = $PYTHON
EOF
  # python3-ntlm-auth hashes with hashlib's MD4, which OpenSSL 3 keeps in its legacy provider
  # (as WsManServerPywinrmTest does).
  cat > "$WORK/ansible/openssl.cnf" <<'EOF'
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
EOF
  cp bench/fleet/ansible-play.yaml "$WORK/ansible/play.yaml"
  sed_steps "$WORK/ansible/play.yaml"
  await_load
  before=$(load); lab0=$(cpu_ms "$LAB_PID"); t0=$(now_ms)
  # /usr/bin/time reports the rusage of every descendant that was waited for: ansible-playbook and its forks.
  ANSIBLE_CONFIG="$WORK/ansible/ansible.cfg" OPENSSL_CONF="$WORK/ansible/openssl.cnf" HOME="$PWD/$WORK/ansible" \
    /usr/bin/time -f '%e %U %S' -o "$WORK/ansible/time.txt" \
    /usr/bin/ansible-playbook -i "$WORK/ansible/inventory.ini" "$WORK/ansible/play.yaml" > "$WORK/ansible/out.log" 2>&1 \
    || { tail -30 "$WORK/ansible/out.log"; report "ansible-playbook failed: see $WORK/ansible/out.log"; exit 1; }
  t1=$(now_ms); lab1=$(cpu_ms "$LAB_PID")
  read -r _ user sys < "$WORK/ansible/time.txt"
  ok=$(grep -cE "ok=$STEPS +changed=[0-9]+ +unreachable=0 +failed=0" "$WORK/ansible/out.log" || true)
  [ "$ok" = "$HOSTS" ] || { report "ansible: only $ok of $HOSTS hosts ran all $STEPS tasks"; exit 1; }
  record "ansible (one play, forks=$HOSTS)" $((t1 - t0)) "$(awk -v u="$user" -v s="$sys" 'BEGIN { print (u + s) * 1000 }')" \
    "$(awk -v a="$lab0" -v b="$lab1" 'BEGIN { print b - a }')" "$before"
  STEP_COUNT=$((STEP_COUNT + 1))
  verify_commands "$STEP_COUNT" "ansible"
fi

# --- Antidote ---
{
  echo "targets:"
  while read -r name port; do
    printf '  - {name: %s, address: 127.0.0.1, port: %s, scheme: http, auth: ntlm, credential: lab}\n' "$name" "$port"
  done < "$WORK/ports"
} > "$WORK/inventory.yaml"
cp bench/fleet/fleet-eight-steps.yaml "$WORK/playbooks/"
sed_steps "$WORK/playbooks/fleet-eight-steps.yaml"
SVC_PORT=$(free_port)
# The lab off, otherwise the production settings. max-concurrent-steps as Ansible's forks: one WinRM call per host
# at once. The rate limit's burst above what the one-run-per-host phase asks at once.
# shellcheck disable=SC2086
start_service service "$SVC_PORT" "$DB" -Dantidote.lab.enabled=false \
  -Dantidote.inventory.file="$WORK/inventory.yaml" -Dantidote.playbooks.dir="$WORK/playbooks" \
  -Dantidote.engine.max-concurrent-steps="$HOSTS" -Dantidote.rate-limit.burst=$((HOSTS * 2 + 200)) \
  -Xlog:gc:file="$WORK/service-gc.log" ${FLEET_SERVICE_OPTS:-}
SVC_PID=$STARTED_PID
TOKEN=$(operator_token service)
API="http://127.0.0.1:$SVC_PORT/api/v1"

request_run() { # ticket targets-json [key] -> run id
  local answer
  answer=$(curl -s -w '\n%{http_code}' -X POST "$API/runs" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $1-${3:-all}" \
    -d "{\"playbook\":\"fleet-eight-steps\",\"targets\":$2,\"params\":{},\"ticket\":\"$1\"}")
  [ "$(tail -1 <<< "$answer")" = 202 ] || { report "run request of $1 refused: $answer"; exit 1; }
  head -n -1 <<< "$answer" | jq -r .id
}
# Waits until every run of the ticket has finished; prints the latest finishedAt in ms, fails unless all SUCCEEDED.
await_ticket() {
  local ticket=$1 runs=$2 page deadline=$(($(date +%s) + 900))
  while :; do
    [ "$(date +%s)" -lt "$deadline" ] || { report "  runs of $ticket not finished after 15 minutes"; exit 1; }
    page=$(curl -sf "$API/runs?ticket=$ticket&size=200" -H "Authorization: Bearer $TOKEN")
    if [ "$(jq --argjson n "$runs" '.total == $n and ([.items[] | select(.finishedAt == null)] | length == 0)' <<< "$page")" = true ]; then
      break
    fi
    # Not often: each look costs the service CPU inside the window measured. The wall time is the runs' own finishedAt.
    sleep 0.5
  done
  local failed
  failed=$(jq '[.items[] | select(.status != "SUCCEEDED")] | length' <<< "$page")
  [ "$failed" = 0 ] || { jq -c '.items[] | select(.status != "SUCCEEDED") | {id, status}' <<< "$page" >&2
                         report "  $failed of $runs runs of $ticket did not succeed"; exit 1; }
  iso_ms "$(jq -r '[.items[].finishedAt] | max' <<< "$page")"
}
ALL_TARGETS=$(printf '%s\n' "${NAMES[@]}" | jq -R . | jq -sc .)

request_run fleet-warmup "$ALL_TARGETS" > /dev/null
await_ticket fleet-warmup 1 > /dev/null
STEP_COUNT=$((STEP_COUNT + 1))
verify_commands "$STEP_COUNT" "antidote warm-up"

if [ "$SLEEP_MS" != 0 ]; then
  # The critical path: what one host's run takes alone, its own per-step overhead included; the second of two.
  for attempt in warm measured; do
    t0=$(now_ms)
    request_run "fleet-path-$attempt" "[\"$PATH_HOST\"]" > /dev/null
    finished=$(await_ticket "fleet-path-$attempt" 1)
  done
  CRITICAL=$((finished - t0))
  report "critical path: one run of $STEPS steps on one host alone, $((CRITICAL)) ms (${SLEEP_MS} ms sleep per step); load $(load)"
  verify_commands 2 "critical path" "$PATH_HOST"
fi

await_load
before=$(load); lab0=$(cpu_ms "$LAB_PID"); cpu0=$(cpu_ms "$SVC_PID"); db0=$(db_cpu_ms "$DB"); t0=$(now_ms)
request_run fleet-all "$ALL_TARGETS" > /dev/null
finished=$(await_ticket fleet-all 1)
cpu1=$(cpu_ms "$SVC_PID"); lab1=$(cpu_ms "$LAB_PID"); db1=$(db_cpu_ms "$DB")
record "antidote (one run over all hosts)" $((finished - t0)) "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" \
  "$(awk -v a="$lab0" -v b="$lab1" 'BEGIN { print b - a }')" "$before" "$(awk -v a="$db0" -v b="$db1" 'BEGIN { print b - a }')"
STEP_COUNT=$((STEP_COUNT + 1))
verify_commands "$STEP_COUNT" "antidote, one run over all hosts"
if [ "$SLEEP_MS" != 0 ]; then
  report "$(awk -v w="${WALL["antidote (one run over all hosts)"]}" -v c="$CRITICAL" -v h="$HOSTS" 'BEGIN {
    printf "one run over all %d hosts took %.2fx the critical path", h, w / c }')"
fi

if [ "${FLEET_SINGLE:-1}" = 1 ]; then
  await_load
  before=$(load); lab0=$(cpu_ms "$LAB_PID"); cpu0=$(cpu_ms "$SVC_PID"); db0=$(db_cpu_ms "$DB"); t0=$(now_ms)
  requests=()
  for name in "${NAMES[@]}"; do
    request_run fleet-single "[\"$name\"]" "$name" > /dev/null &
    requests+=($!)
  done
  for p in "${requests[@]}"; do wait "$p"; done
  finished=$(await_ticket fleet-single "$HOSTS")
  cpu1=$(cpu_ms "$SVC_PID"); lab1=$(cpu_ms "$LAB_PID"); db1=$(db_cpu_ms "$DB")
  record "antidote (one run per host, $HOSTS requested together)" $((finished - t0)) \
    "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" "$(awk -v a="$lab0" -v b="$lab1" 'BEGIN { print b - a }')" \
    "$before" "$(awk -v a="$db0" -v b="$db1" 'BEGIN { print b - a }')"
  STEP_COUNT=$((STEP_COUNT + 1))
  verify_commands "$STEP_COUNT" "antidote, one run per host"
fi

if [ "${FLEET_ANSIBLE:-1}" = 1 ]; then
  a="ansible (one play, forks=$HOSTS)"; b="antidote (one run over all hosts)"
  report "$(awk -v aw="${WALL[$a]}" -v ac="${CPU[$a]}" -v bw="${WALL[$b]}" -v bc="${CPU[$b]}" 'BEGIN {
    printf "ratios, one run over all hosts: host-tasks/s %.1fx Ansible, client CPU per host-task %.1fx less", aw / bw, ac / bc }')"
fi

if [ "${FLEET_JFR:-0}" = 1 ]; then
  jcmd "$SVC_PID" JFR.start name=fleet settings=profile filename="$PWD/$WORK/fleet.jfr" > /dev/null
  request_run fleet-profiled "$ALL_TARGETS" > /dev/null
  await_ticket fleet-profiled 1 > /dev/null
  jcmd "$SVC_PID" JFR.stop name=fleet > /dev/null
  STEP_COUNT=$((STEP_COUNT + 1))
  verify_commands "$STEP_COUNT" "antidote, profiled run"
  report "profile of one more run over all hosts (JFR, settings=profile; $WORK/fleet.jfr):"
  jfr print --json --events jdk.ExecutionSample "$WORK/fleet.jfr" | $PYTHON bench/fleet/jfr_breakdown.py | tee -a "$OUT"
fi

report "service heap after the runs: $(jcmd "$SVC_PID" GC.heap_info | grep -m1 -E 'garbage-first heap|total' | sed 's/^ *//')"

if [ "${FLEET_HEAP:-0}" = 1 ]; then
  cleanup
  PIDS=()
  HEAP_DB=${FLEET_HEAP_DB:-antidote_fleetbench_heap}
  createdb $PG "$HEAP_DB" 2>/dev/null || true
  rm -f target/benchmarks/results.txt
  report "in-flight heap (InFlightHeapBenchmark, -Xmx512m, GC log $WORK/inflight-gc.log), load before $(load):"
  _TEST_QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/$HEAP_DB" \
  _TEST_QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$HEAP_DB" \
    ${MVN:-./mvnw} -B -q -o test-compile surefire:test@default-test -Dtest=InFlightHeapBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.redirectTestOutputToFile=true \
    "-DargLine=-Xmx512m -Xlog:gc:file=$WORK/inflight-gc.log"
  sed 's/^/  /' target/benchmarks/results.txt | tee -a "$OUT"
fi
report "done: $(date -u +%H:%MZ), load $(load)"
