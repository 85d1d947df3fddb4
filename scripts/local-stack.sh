# The pipeline on this machine, as a bash library: a real Kafka broker (KRaft, from the Kafka jars; no Docker) and
# the three services as processes. ./run-local.sh and the benchmark scripts source it, so that every one of them
# starts the same stack the same way; a script can also stop and restart one part (kill -9 included).
#
#   source scripts/local-stack.sh
#   stack_init run-local out              # a name for messages, and the folder for kafka/, models/ and logs/
#   stack_build; stack_start_kafka
#   stack_start_object_store              # optional: models in a bucket of a local S3 server, not in <folder>/models
#   stack_start trainer [VAR=value ...]   # trainer | pruner | evaluator; extra environment for that process
#   stack_start pruner.2                  # another replica (same consumer group), on the service's port + 100
#   stack_wait_ready pruner
#   ...; stack_stop_all                   # also run on exit
#
# A part is kafka, a service, or a service's further replica <service>.<n> (port + 100*(n-1), log
# <service>-service.<n>.log).
# Environment: KAFKA_PORT (default 9092), TRAINER_PORT (8081), PRUNER_PORT (8082), EVALUATOR_PORT (8083),
# PARTITIONS (4), STACK_JAVA_HEAP (each service's -Xmx, 2g; read when a part starts), OBJECT_STORE_PORT (9400).

STACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
declare -A STACK_PIDS=()
declare -A STACK_PORTS=()

# stack_port <part> and stack_log <part>: where a service or replica listens and logs.
stack_port() {
  local svc=${1%%.*} n=1
  [[ $1 == *.* ]] && n=${1#*.}
  printf '%s' "$(( ${STACK_PORTS[$svc]} + 100 * (n - 1) ))"
}
stack_log() {
  case "$1" in
    kafka) printf '%s' "$STACK_LOGS/kafka.log" ;;
    *.*) printf '%s' "$STACK_LOGS/${1%%.*}-service.${1#*.}.log" ;;
    *) printf '%s' "$STACK_LOGS/$1-service.log" ;;
  esac
}

stack_say() { printf '[%s %s] %s\n' "$STACK_NAME" "$(date +%H:%M:%S)" "$*"; }
stack_die() { printf '[%s] %s\n' "$STACK_NAME" "$*" >&2; exit 1; }

# stack_init <name for messages> <data folder, relative to the repository or absolute>
stack_init() {
  STACK_NAME=$1
  STACK_DATA=$2
  case "$STACK_DATA" in /*) ;; *) STACK_DATA=$STACK_ROOT/$STACK_DATA ;; esac
  STACK_LOGS=$STACK_DATA/logs
  STACK_MODELS=$STACK_DATA/models
  STACK_KAFKA_PORT=${KAFKA_PORT:-9092}
  STACK_PORTS=([trainer]=${TRAINER_PORT:-8081} [pruner]=${PRUNER_PORT:-8082} [evaluator]=${EVALUATOR_PORT:-8083})
  STACK_PARTITIONS=${PARTITIONS:-4}
  STACK_OBJECT_STORE_PORT=${OBJECT_STORE_PORT:-9400}
  STACK_OBJECT_STORE=false
  STACK_NATIVES=$STACK_ROOT/target/natives/tensorflow-linux-x86_64
  mkdir -p "$STACK_LOGS" "$STACK_MODELS"
  # Fresh logs per script run; a part restarted within it appends to its log.
  local part
  for part in kafka object-store trainer-service pruner-service evaluator-service; do : > "$STACK_LOGS/$part.log"; done
  rm -f "$STACK_LOGS"/*-service.[0-9]*.log
  trap 'stack_stop_all' EXIT
  trap 'stack_say "interrupted: stopping"; exit 130' INT TERM
}

stack_check_prerequisites() {
  command -v java >/dev/null || stack_die "Java is missing: install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)."
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || stack_die "Java $major is too old: install a JDK 17 or newer."
  command -v mvn >/dev/null || stack_die "Maven is missing: install Maven 3.8 or newer (Debian: apt-get install maven)."
  command -v node >/dev/null || stack_die "node is missing (the results are read with it): install Node.js (Debian: apt-get install nodejs)."
  command -v curl >/dev/null || stack_die "curl is missing (it talks to the services): install it (Debian: apt-get install curl)."
  local entry
  for entry in "KAFKA_PORT:$STACK_KAFKA_PORT" "TRAINER_PORT:${STACK_PORTS[trainer]}" \
      "PRUNER_PORT:${STACK_PORTS[pruner]}" "EVALUATOR_PORT:${STACK_PORTS[evaluator]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/${entry#*:}") 2>/dev/null; then
      stack_die "port ${entry#*:} is busy: stop what listens there, or run with ${entry%%:*}=<free port>."
    fi
  done
}

# stack_build [--rebuild]: the services, the broker and the natives, unless they are there already; then the dataset.
stack_build() {
  if [ "${1:-}" = --rebuild ] || [ ! -s "$STACK_ROOT/local-kafka/target/classpath.txt" ] \
      || [ ! -d "$STACK_ROOT/target/natives" ] \
      || [ ! -f "$STACK_ROOT/trainer-service/target/quarkus-app/quarkus-run.jar" ] \
      || [ ! -f "$STACK_ROOT/pruner-service/target/quarkus-app/quarkus-run.jar" ] \
      || [ ! -f "$STACK_ROOT/evaluator-service/target/quarkus-app/quarkus-run.jar" ]; then
    stack_say "building (mvn -DskipTests package; the first build downloads dependencies and unpacks ~600 MB of TensorFlow natives)"
    (cd "$STACK_ROOT" && mvn -B -q -DskipTests package) > "$STACK_LOGS/build.log" 2>&1 \
      || stack_die "the build failed; see $STACK_LOGS/build.log"
  fi
  (cd "$STACK_ROOT" && bash scripts/fetch-dataset.sh) | sed "s/^/[$STACK_NAME] /"
}

# stack_build_bench: the benchmark programs (the bench module); stack_bench <class> [args]: runs one of them.
stack_build_bench() {
  (cd "$STACK_ROOT" && mvn -B -q -DskipTests -Dcheckstyle.skip -Dspotbugs.skip package -pl bench -am) \
    > "$STACK_LOGS/bench-build.log" 2>&1 || stack_die "the build failed; see $STACK_LOGS/bench-build.log"
}
stack_bench() {
  local class=$1
  shift
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$STACK_ROOT/bench/target/classes:$(cat "$STACK_ROOT/bench/target/classpath.txt")" "io.prunestream.bench.$class" "$@"
}

stack_start_kafka() {
  stack_say "starting Kafka on localhost:$STACK_KAFKA_PORT (log: $STACK_LOGS/kafka.log)"
  local cp log=$STACK_LOGS/kafka.log before
  cp="$(ls "$STACK_ROOT"/local-kafka/target/local-kafka-*.jar | head -n 1):$(cat "$STACK_ROOT/local-kafka/target/classpath.txt")"
  before=$(wc -l < "$log")
  java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
    io.prunestream.kafka.LocalKafka --port "$STACK_KAFKA_PORT" --data-dir "$STACK_DATA/kafka" \
    --partitions "$STACK_PARTITIONS" >> "$log" 2>&1 &
  STACK_PIDS[kafka]=$!
  stack_await_ready_line kafka "$log" "$before" local-kafka Kafka
}

# stack_await_ready_line <part> <log> <lines before this start> <program> <name>: waits up to 60 s for the line
# "<program>: ready ..." that the part logs once it serves, and prints it. Only this start's lines count: a restarted
# part appends to the same log.
stack_await_ready_line() {
  local part=$1 log=$2 before=$3 program=$4 name=$5 _ ready=""
  for _ in $(seq 1 120); do
    ready=$(tail -n +"$((before + 1))" "$log" | grep "^$program: ready" || true)
    [ -n "$ready" ] && break
    kill -0 "${STACK_PIDS[$part]}" 2>/dev/null || stack_die "$name stopped during start-up; see $log"
    sleep 0.5
  done
  [ -n "$ready" ] || stack_die "$name did not become ready in 60 s; see $log"
  printf '[%s] %s\n' "$STACK_NAME" "$ready"
}

# stack_start_object_store: a real S3 protocol server (S3Proxy, local-object-store) on 127.0.0.1:OBJECT_STORE_PORT
# with the bucket "models" in <folder>/object-store; the services started after it keep their models there, each with
# only its own local copies in <folder>/local/<part>. Its key pair is a local one, passed through the environment.
STACK_S3_IDENTITY=local-identity
STACK_S3_CREDENTIAL=local-credential-not-secret
stack_start_object_store() {
  local cp log=$STACK_LOGS/object-store.log before
  stack_say "starting the S3 server on http://127.0.0.1:$STACK_OBJECT_STORE_PORT (log: $log)"
  if (exec 3<>"/dev/tcp/127.0.0.1/$STACK_OBJECT_STORE_PORT") 2>/dev/null; then
    stack_die "port $STACK_OBJECT_STORE_PORT is busy: stop what listens there, or run with OBJECT_STORE_PORT=<free port>."
  fi
  cp="$(ls "$STACK_ROOT"/local-object-store/target/local-object-store-*.jar | head -n 1):$(cat "$STACK_ROOT/local-object-store/target/classpath.txt")"
  touch "$log"
  before=$(wc -l < "$log")
  AWS_ACCESS_KEY_ID=$STACK_S3_IDENTITY AWS_SECRET_ACCESS_KEY=$STACK_S3_CREDENTIAL java -Xmx256m -cp "$cp" \
    io.prunestream.objectstore.LocalObjectStoreMain "$STACK_DATA/object-store" "$STACK_OBJECT_STORE_PORT" models \
    >> "$log" 2>&1 &
  STACK_PIDS[object-store]=$!
  stack_await_ready_line object-store "$log" "$before" local-object-store "The S3 server"
  STACK_OBJECT_STORE=true
}

# TensorFlow 2.16's oneDNN crashes the JVM in the AVX-512 kernel of a strided 1x1 convolution's backward pass on
# AMD Zen 5 (CPU family 26): what a process that trains keeps oneDNN to there (AVX2), unless ONEDNN_MAX_CPU_ISA is set;
# nothing elsewhere.
stack_training_isa() {
  if [ -z "${ONEDNN_MAX_CPU_ISA:-}" ] && grep -q '^vendor_id.*AuthenticAMD' /proc/cpuinfo \
      && grep -q '^cpu family[[:space:]]*: 26$' /proc/cpuinfo; then
    echo AVX2_VNNI
  fi
}

# stack_start <trainer|pruner|evaluator>[.<n>] [VAR=value ...]: the service's own settings come after the defaults.
stack_start() {
  local part=$1 svc=${1%%.*}
  shift
  local port log
  port=$(stack_port "$part")
  log=$(stack_log "$part")
  local -a settings=(TENSORFLOW_LIBRARY_PATH="$STACK_NATIVES" OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=1
    KAFKA_BOOTSTRAP_SERVERS="localhost:$STACK_KAFKA_PORT" QUARKUS_HTTP_PORT="$port")
  local isa
  isa=$(stack_training_isa)
  if [ "$svc" != evaluator ] && [ -n "$isa" ]; then
    settings+=(ONEDNN_MAX_CPU_ISA="$isa")
  fi
  local models=$STACK_MODELS
  if $STACK_OBJECT_STORE; then
    models=$STACK_DATA/local/$part
    settings+=(PRUNESTREAM_OBJECT_STORE_BUCKET=models
      PRUNESTREAM_OBJECT_STORE_ENDPOINT="http://127.0.0.1:$STACK_OBJECT_STORE_PORT"
      AWS_ACCESS_KEY_ID=$STACK_S3_IDENTITY AWS_SECRET_ACCESS_KEY=$STACK_S3_CREDENTIAL)
  fi
  case "$svc" in
    trainer) settings+=(TRAINER_MODEL_STORE="$models" TRAINER_DATASET_DIR="$STACK_ROOT/data/fashion-mnist"
               TRAINER_GIT_COMMIT="$(git -C "$STACK_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)") ;;
    pruner) settings+=(PRUNER_MODEL_STORE="$models" PRUNER_DATASET_DIR="$STACK_ROOT/data/fashion-mnist") ;;
    evaluator) settings+=(EVALUATOR_MODEL_STORE="$models" EVALUATOR_DATASET_DIR="$STACK_ROOT/data/fashion-mnist") ;;
    *) stack_die "unknown service '$svc' (trainer, pruner, evaluator)" ;;
  esac
  if [ "$part" != "$svc" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    stack_die "port $port (for $part) is busy: stop what listens there, or change ${svc^^}_PORT."
  fi
  stack_say "starting $part on http://localhost:$port (log: $log)"
  env "${settings[@]}" "$@" java -Xmx"${STACK_JAVA_HEAP:-2g}" -jar "$STACK_ROOT/$svc-service/target/quarkus-app/quarkus-run.jar" \
    >> "$log" 2>&1 &
  STACK_PIDS[$part]=$!
}

# stack_alive <part>: fails with the log's name if that part has stopped.
stack_alive() {
  local pid=${STACK_PIDS[$1]:-}
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    || stack_die "$1 stopped; see $(stack_log "$1")"
}

# stack_wait_ready <trainer|pruner|evaluator>[.<n>] [seconds, default 120]
stack_wait_ready() {
  local part=$1 limit=${2:-120} _
  for _ in $(seq 1 "$limit"); do
    stack_alive "$part"
    curl -fsS "$(stack_url "$part")/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  stack_die "$part was not ready after $limit s; see $(stack_log "$part")"
}

# stack_stop <part> [signal, default TERM]: stops one part and waits for it.
stack_stop() {
  local pid=${STACK_PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "STACK_PIDS[$1]"
}

# Services and replicas first, the broker and the S3 server last, so that none of them loses them while stopping.
stack_stop_all() {
  local part
  for part in "${!STACK_PIDS[@]}"; do [ "$part" = kafka ] || [ "$part" = object-store ] || stack_stop "$part"; done
  stack_stop kafka
  stack_stop object-store
}

stack_url() { printf 'http://localhost:%s' "$(stack_port "$1")"; }

# --- training runs and their results, for the scripts that train several and wait for every evaluation ------------

# stack_queue_run <runId> <request JSON>: asks the trainer for a run; stops the script if it is refused.
stack_queue_run() {
  curl -fsS -X POST "$(stack_url trainer)/runs" -H 'Content-Type: application/json' -d "$2" >/dev/null \
    || stack_die "the trainer refused run $1; see $STACK_LOGS/trainer-service.log"
}

# stack_run_status <runId>: QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED (empty if the trainer does not answer).
stack_run_status() {
  curl -fsS "$(stack_url trainer)/runs/$1" 2>/dev/null | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p'
}

# stack_scored <runId> <epoch>: how many evaluations of that epoch's checkpoint the evaluator has (0 if none).
stack_scored() {
  curl -fsS "$(stack_url evaluator)/results?runId=$1" 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      try { console.log(JSON.parse(s).filter(r => r.epoch === +process.argv[1]).length); }
      catch (e) { console.log(0); } });' "$2" || echo 0
}

# stack_train_and_settle <runId> <variants folder>: trains the small CNN for one epoch as run <runId> and waits (20
# minutes at most) until its checkpoint is pruned and the dense model and every variant in the folder are scored, so
# that nothing is in flight when a measurement starts; STACK_EVALUATIONS is then how many evaluations that is.
stack_train_and_settle() {
  local run=$1 variants=$2 made expected=0 part _
  stack_queue_run "$run" "{\"runId\": \"$run\", \"training\": {\"epochs\": 1}}"
  stack_say "training the small CNN for one epoch (run $run)"
  for _ in $(seq 1 600); do
    for part in trainer pruner evaluator kafka; do stack_alive "$part"; done
    made=$(ls -d "$variants/$run-e001-"* 2>/dev/null | grep -c . || true)
    [ "$made" -gt 0 ] && expected=$((made + 1))
    [ "$expected" -gt 1 ] && [ "$(stack_scored "$run" 1)" -ge "$expected" ] && break
    sleep 2
  done
  [ "$expected" -gt 1 ] && [ "$(stack_scored "$run" 1)" -ge "$expected" ] \
    || stack_die "the checkpoint of run $run was not scored ($expected expected) in 20 minutes"
  STACK_EVALUATIONS=$expected
  stack_say "the checkpoint of run $run is pruned and scored ($expected evaluations)"
}

# stack_save_run <runId> <name> <folder>: the run (runs-<name>.json) and its evaluations (results-<name>.json).
stack_save_run() {
  curl -fsS "$(stack_url trainer)/runs/$1" > "$3/runs-$2.json"
  curl -fsS "$(stack_url evaluator)/results?runId=$1" > "$3/results-$2.json"
}

# stack_echo_new <state variable> <pattern> <log>: prints the lines of the log that match the pattern (grep -o) and
# were not printed yet, less progress lines; the variable counts the matching lines seen. One log per variable: lines
# of two logs would interleave differently as each grows.
stack_echo_new() {
  local -n printed=$1
  local lines total
  lines=$(grep -o "$2" "$3" || true)
  total=$(printf '%s' "$lines" | grep -c . || true)
  if [ "$total" -gt "$printed" ]; then
    printf '%s\n' "$lines" | tail -n +"$((printed + 1))" | { grep -v ' step ' || true; } \
      | while IFS= read -r line; do stack_say "$line"; done
    printed=$total
  fi
}
