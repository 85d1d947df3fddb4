#!/usr/bin/env bash
# Checks the Grafana dashboards against a real Prometheus scraping a real run of the pipeline: installs Debian's
# prometheus package if it is missing, starts Prometheus (5 s scrapes of the three services), runs
# `./run-local.sh --serve` (the default experiment), then evaluates every panel's queries over the run's time window
# and reports which returned data. Writes out/check-dashboards/panels.md; exits non-zero if a panel returned nothing.
#
# Environment: PROMETHEUS_PORT (default 9090), and run-local.sh's own (TRAINER_PORT, PRUNER_PORT, EVALUATOR_PORT, ...).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
prometheus_port=${PROMETHEUS_PORT:-9090}
trainer_port=${TRAINER_PORT:-8081}
pruner_port=${PRUNER_PORT:-8082}
evaluator_port=${EVALUATOR_PORT:-8083}
work=$root/out/check-dashboards
logs=$root/out/logs
mkdir -p "$work" "$logs"

say() { printf '[check-dashboards %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[check-dashboards] %s\n' "$*" >&2; exit 1; }

source scripts/require-package.sh
require_package check-dashboards prometheus command -v prometheus
if (exec 3<>"/dev/tcp/127.0.0.1/$prometheus_port") 2>/dev/null; then
  die "port $prometheus_port is busy: stop what listens there, or run with PROMETHEUS_PORT=<free port>."
fi

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'say "interrupted: stopping"; exit 130' INT TERM

# --- the build outputs PanelCheck needs (run-local.sh builds the rest) ---------------------------------------------
if [ ! -s deploy/target/classpath.txt ] || [ ! -d deploy/target/classes ]; then
  say "building deploy-checks"
  mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip -pl deploy -am package > "$logs/check-dashboards-build.log" 2>&1 \
    || die "the build failed; see $logs/check-dashboards-build.log"
fi

# --- Prometheus ------------------------------------------------------------------------------------------------------
cat > "$work/prometheus.yml" <<YAML
# Written by deploy/check-dashboards.sh: the services of ./run-local.sh, job names as in deploy/prometheus/.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: trainer-service
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:$trainer_port"]}]
  - job_name: pruner-service
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:$pruner_port"]}]
  - job_name: evaluator-service
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:$evaluator_port"]}]
YAML
rm -rf "$work/data"
say "starting Prometheus on http://127.0.0.1:$prometheus_port (log: $logs/prometheus.log)"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prometheus_port" > "$logs/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$prometheus_port/-/ready" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || die "Prometheus stopped during start-up; see $logs/prometheus.log"
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$prometheus_port/-/ready" >/dev/null || die "Prometheus is not ready after 30 s"

# --- the pipeline ----------------------------------------------------------------------------------------------------
start=$(date +%s)
say "running ./run-local.sh --serve (log: $logs/check-dashboards-run.log)"
./run-local.sh --serve > "$logs/check-dashboards-run.log" 2>&1 &
pids+=($!)
run_pid=$!
until grep -q 'serving:' "$logs/check-dashboards-run.log" 2>/dev/null; do
  kill -0 "$run_pid" 2>/dev/null || { tail -n 20 "$logs/check-dashboards-run.log" >&2; die "run-local.sh stopped"; }
  sleep 2
done
run_id=$(sed -n 's/.*default experiment: run \([^,]*\),.*/\1/p' "$logs/check-dashboards-run.log" | head -n 1)
last_checkpoint=$(printf '%s-e%03d' "$run_id" "${EPOCHS:-2}")
# Dropping the last checkpoint again exercises the replay path: the pruner reuses its variants (the "reused" series)
# and the evaluator republishes its stored results instead of scoring twice.
say "run $run_id is scored; dropping $last_checkpoint again through POST /checkpoints (a replay)"
curl -fsS -X POST "http://127.0.0.1:$pruner_port/checkpoints" -H 'Content-Type: application/json' -d "{
  \"modelPath\": \"checkpoints/$run_id/$last_checkpoint\", \"runId\": \"$run_id\",
  \"checkpointId\": \"$last_checkpoint\", \"dataset\": \"fashion-mnist\"}" > "$work/replay.json" \
  || die "the replay was refused; see $work/replay.json and $logs/pruner-service.log"
say "30 s more of scrapes so that every rate has points after the last event"
sleep 30
end=$(date +%s)

say "evaluating every panel's queries over the run's $((end - start)) s"
status=0
java -cp "deploy/target/classes:$(cat deploy/target/classpath.txt)" io.prunestream.deploy.PanelCheck \
  "http://127.0.0.1:$prometheus_port" "$start" "$end" "$work/panels.md" "run=$run_id" || status=$?
say "wrote $work/panels.md"
exit $status
