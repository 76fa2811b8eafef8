#!/usr/bin/env bash
# Builds and runs one libFuzzer target (address sanitizer on) for a number of seconds.
#
#   scripts/fuzz.sh --list             the targets
#   scripts/fuzz.sh TARGET SECONDS     e.g. scripts/fuzz.sh FuzzRecordDecoder 600
#   scripts/fuzz.sh --build TARGET     build only, to replay an input: .build-fuzz/release/TARGET FILE
#
# The committed seeds in Fuzz/Corpus/TARGET are read, never written: new inputs go to
# .build-fuzz/corpus/TARGET, crashes to fuzz-artifacts/TARGET/. A crash exits non-zero and
# prints the input's path; replay it with `.build-fuzz/release/TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(FuzzRecordDecoder FuzzJSONLines FuzzINI FuzzDSN FuzzMatcher)
usage() { echo "usage: scripts/fuzz.sh --list | --build TARGET | TARGET SECONDS" >&2; exit 64; }

if [ "${1:-}" = "--list" ]; then
    cat <<'LIST'
FuzzRecordDecoder  framing, header, protobuf and HMAC of records (RecordDecoder), whole and in pieces
FuzzJSONLines      the JSON-lines decoder (JSONLinesDecoder), with a round trip of what it accepts
FuzzINI            the INI reader and configuration (HekaConfiguration(iniText:)), printout round trip
FuzzDSN            the Sentry DSN parser (SentryDSN), secret never in the description
FuzzMatcher        the message_matcher parser and evaluation (MessageMatcher)
LIST
    exit 0
fi
[ $# -eq 2 ] || usage
build_only=false
if [ "$1" = "--build" ]; then
    build_only=true target=$2 seconds=0
else
    target=$1 seconds=$2
fi
printf '%s\n' "${targets[@]}" | grep -qx "$target" || { echo "unknown target $target (see --list)" >&2; exit 64; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || $build_only || { echo "SECONDS must be a positive number" >&2; usage; }

swift build --package-path Fuzz --scratch-path .build-fuzz -c release --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld >&2
$build_only && exit 0

mkdir -p ".build-fuzz/corpus/$target" "fuzz-artifacts/$target"
# The Swift runtime's crash backtracer would run under the address sanitizer; libFuzzer
# reports crashes itself.
export SWIFT_BACKTRACE=enable=no
# Known false leak reports from Foundation (each explained in the file).
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec ".build-fuzz/release/$target" ".build-fuzz/corpus/$target" "Fuzz/Corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz-artifacts/$target/"
