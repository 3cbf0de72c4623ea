#!/usr/bin/env bash
# Bounded coverage-guided fuzzing (Jazzer, libFuzzer engine) of every request parser: bundle/,
# schemas/, inference/ and the gateway's HTTP parsers: each @FuzzTest runs on its own with JAZZER_FUZZ=1 for the given
# time, then one summary row per target is printed (and written to target/fuzz-report.md).
#
# Usage: bench/fuzz.sh [seconds-per-target=60] [target-filter=all]
#   target-filter: a substring of "module:Class#method", e.g. "bundle", "#decode", "CheckModel".
#   FUZZ_TIMEOUT_S (default 10): one input running longer than this is a finding (hang).
#   OPENBIO_SKIP_BUILD=1: do not run test-compile first.
#
# Where things go:
#   findings (crashing / hanging inputs): <module>/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>
#     (or timeout-<sha1>); every later `mvn verify` replays them as regression tests, so a finding fails
#     the build until the parser is fixed. Keep the file (rename it to regression-<what>) with the fix.
#   generated corpus: <module>/target/fuzz-corpus/<Class>/<method>/ (kept between runs until `mvn clean`)
#   full logs: <module>/target/fuzz-logs/<Class>#<method>.log
# Exit status: 0 when no target had a finding, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
filter=${2:-}
timeout_s=${FUZZ_TIMEOUT_S:-10}

# module | test class | method | classes to instrument for coverage (besides io.openbio.** they include the
# third-party parser the target drives: Jackson, metadata-extractor, the JDK's ImageIO plugins)
targets=(
  "bundle|io.openbio.bundle.fuzz.BundleReaderFuzzTest|outerBundle|io.openbio.**:com.fasterxml.jackson.core.**"
  "bundle|io.openbio.bundle.fuzz.BundleReaderFuzzTest|innerBody|io.openbio.**:com.fasterxml.jackson.**"
  "schemas|io.openbio.schemas.fuzz.CheckModelFuzzTest|checkModel|io.openbio.**:com.fasterxml.jackson.**"
  "inference|io.openbio.inference.fuzz.ImageDecoderFuzzTest|decode|io.openbio.**:com.drew.**:com.sun.imageio.**"
  "inference|io.openbio.inference.fuzz.TemplateFuzzTest|decodeTemplate|io.openbio.**"
  # over HTTP against the wired platform (embedded broker, every processor): slower per input
  "gateway|io.openbio.gateway.fuzz.GatewayRequestFuzzTest|requests|io.openbio.**:org.apache.tomcat.util.http.**:com.fasterxml.jackson.core.**"
)

selected=()
modules=()
for t in "${targets[@]}"; do
  IFS='|' read -r module class method includes <<<"$t"
  if [ -z "$filter" ] || [[ "$module:${class##*.}#$method" == *"$filter"* ]]; then
    selected+=("$t")
    [[ " ${modules[*]-} " == *" $module "* ]] || modules+=("$module")
  fi
done
if [ ${#selected[@]} -eq 0 ]; then
  echo "no fuzz target matches '$filter'" >&2
  exit 2
fi

if [ "${OPENBIO_SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -q -pl "$(IFS=,; echo "${modules[*]}")" -am -Dopenbio.fetch.skip=true test-compile || exit 2
fi

rows=()
failed=0
for t in "${selected[@]}"; do
  IFS='|' read -r module class method includes <<<"$t"
  simple=${class##*.}
  corpus="$PWD/$module/target/fuzz-corpus/$simple/$method"
  logdir="$module/target/fuzz-logs"
  log="$logdir/$simple#$method.log"
  inputs="$module/src/test/resources/$(dirname "${class//.//}")/${simple}Inputs/$method"
  mkdir -p "$corpus" "$logdir" "$inputs"
  before=$(ls "$inputs" | grep -cE '^(crash|timeout|slow-unit|oom)-' || true)
  echo "== $module $simple#$method: fuzzing ${seconds}s (log: $log)"
  start=$(date +%s)
  # surefire:test runs the compiled tests; JUnit reads the jazzer.* system properties as
  # configuration: jazzer.internal.arg.N are libFuzzer arguments, the first directory the corpus.
  # -am with the test-compile phase (up to date: quick) lets the reactor hand the module its sibling
  # modules' classes, so no `mvn install` is needed; the upstream modules run no test (none matches -Dtest).
  JAZZER_FUZZ=1 mvn -B -pl "$module" -am -Dopenbio.fetch.skip=true test-compile surefire:test \
      -Dtest="$simple#$method" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.instrumentation_includes="$includes" \
      -Djazzer.internal.arg.0=fuzz \
      -Djazzer.internal.arg.1=-max_total_time="$seconds" \
      -Djazzer.internal.arg.2=-timeout="$timeout_s" \
      -Djazzer.internal.arg.3=-print_final_stats=1 \
      -Djazzer.internal.arg.4="$corpus" >"$log" 2>&1
  rc=$?
  wall=$(( $(date +%s) - start ))
  inited=$(grep -m1 -E '^#[0-9]+[[:space:]]+INITED' "$log" || true)
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -1 || true)
  execs=$(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  [ -n "$execs" ] || execs=$(grep -oE '^Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  [ -n "$execs" ] || execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  fuzz_s=$(grep -oE 'runs in [0-9]+ second' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  field() { grep -oE "$1: *[0-9]+(/[0-9]+[a-zA-Z]*)?" <<<"$2" | head -1 | sed -E 's|^[^:]*: *||'; }
  cov0=$(field cov "$inited"); cov1=$(field cov "$last")
  ft1=$(field ft "$last")
  corp0=$(field corp "$inited" | cut -d/ -f1); corp1=$(field corp "$last" | cut -d/ -f1)
  eps=$(field 'exec/s' "$last")
  [ -z "$execs" ] || [ -z "$fuzz_s" ] || [ "$fuzz_s" -eq 0 ] || eps=$(( execs / fuzz_s ))
  on_disk=$(ls "$corpus" | wc -l)
  after=$(ls "$inputs" | grep -cE '^(crash|timeout|slow-unit|oom)-' || true)
  findings=$(( after - before ))
  kind=$(grep -m1 -oE '== Java Exception: [^ ]+|ERROR: libFuzzer: [a-z-]+|FuzzTestFindingException|Java Assertion Error' "$log" || true)
  status=ok
  if [ $findings -gt 0 ] || [ -n "$kind" ]; then
    status="FINDING ${kind#== Java Exception: }"
    failed=1
  elif [ $rc -ne 0 ] || [ -z "$last" ]; then
    status="ERROR (mvn exit $rc, see log)"
    failed=1
  fi
  row="| $module | $simple#$method | ${fuzz_s:-?} s | ${execs:-?} | ${eps:-?} | ${cov0:-?} -> ${cov1:-?} | ${ft1:-?} | ${corp0:-?} -> ${corp1:-?} ($on_disk on disk) | $findings | $status |"
  rows+=("$row")
  echo "$row"
  if [ $findings -gt 0 ]; then
    ls -t "$inputs" | grep -E '^(crash|timeout|slow-unit|oom)-' | head -$findings | sed "s|^|   new regression input: $inputs/|"
  fi
done

report=target/fuzz-report.md
mkdir -p target
{
  echo "Fuzzing run $(date -u +%Y-%m-%dT%H:%M:%SZ): $(nproc) cores, ${seconds}s per target, per-input timeout ${timeout_s}s, Jazzer $(sed -n 's:.*<jazzer.version>\(.*\)</jazzer.version>.*:\1:p' pom.xml)"
  echo
  echo "| module | target | fuzzed | executions | exec/s | coverage (edges) start -> end | features | corpus start -> end | new findings | result |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$report"
echo
cat "$report"
echo
echo "(report: $report)"
exit $failed
