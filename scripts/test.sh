#!/usr/bin/env bash
# Runs every test of the solution and ends with one line "N passed, N failed".
# Fetches what the tests need by itself; usable from a fresh clone and from CI (.ci/run calls it).
set -uo pipefail
cd "$(dirname "$0")/.."

# ONNX's conformance tests (Debian's libonnx-testdata), unpacked into .cache without root.
onnx_data=.cache/libonnx-testdata
if [ ! -d "$onnx_data/usr/share/libonnx-testdata/data/node" ] && [ ! -d /usr/share/libonnx-testdata/data/node ]; then
  echo "Fetching ONNX conformance test data (libonnx-testdata) into $onnx_data ..."
  mkdir -p "$onnx_data"
  (
    cd "$onnx_data" &&
    { apt-get download libonnx-testdata >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get download libonnx-testdata; }; } &&
    dpkg -x libonnx-testdata_*.deb . && rm -f libonnx-testdata_*.deb
  ) || echo "Could not fetch libonnx-testdata: the conformance tests will fail and say so."
fi

# NativeAOT publishing (the embedded-weights AOT test) links with clang.
if ! command -v clang >/dev/null 2>&1; then
  echo "Installing clang for NativeAOT ..."
  { apt-get install -y -qq clang >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq clang >/dev/null 2>&1; }; } \
    || echo "Could not install clang: the NativeAOT test will fail and say so."
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test CnnGen.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The other kernel paths this machine can force: the same forward-pass, conformance and reference tests with
# AVX-512 turned off (the 256-bit kernels; the same as the first run where the CPU has no AVX-512) and with the
# hardware intrinsics turned off (the scalar kernels, as on a machine without AVX2/FMA).
forward="FullyQualifiedName~CnnGen.Tests.Forward|FullyQualifiedName~CnnGen.Tests.Conformance|FullyQualifiedName~Torchvision"
for path in "256-bit:DOTNET_EnableAVX512=0" "scalar:DOTNET_EnableHWIntrinsic=0"; do
  echo "${path%%:*} path (${path#*:}):"
  env "${path#*:}" dotnet test tests/CnnGen.Tests -c Release --nologo --no-build --filter "$forward" 2>&1 | tee -a "$log"
  result=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] && status=$result
done

# dotnet test prints one summary line per test assembly:
#   Passed!  - Failed:     0, Passed:    49, Skipped:     0, Total:    49, Duration: ...
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed before tests could report: count that as a failure.
  failed=1
fi
echo "$passed passed, $failed failed"
exit "$status"
