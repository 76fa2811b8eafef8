#!/usr/bin/env bash
# Runs the test suite under ThreadSanitizer, in a build directory of its own (.build-tsan),
# so that it neither rebuilds nor disturbs the ordinary .build.
#
#   scripts/tsan.sh                      every test
#   scripts/tsan.sh --filter LoadTests   any other `swift test` arguments are passed on
#
# A data race makes the run fail (halt_on_error), with both stacks on stderr.
#
# CI does not run it: from a fresh clone it builds every target and dependency again with
# instrumentation, about 7 minutes on 2 cores, then the tests take 2 more; with the build up
# to date a run takes about 2 minutes. Run it after changing anything that threads share.
set -euo pipefail
cd "$(dirname "$0")/.."

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
exec swift test --sanitize=thread --scratch-path .build-tsan "$@"
