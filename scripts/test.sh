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

# ARM64: qemu's user-mode emulator and the arm64 C/C++ libraries the .NET runtime loads, unpacked into .cache without root.
arm64=.cache/arm64
if [ ! -x "$arm64/usr/bin/qemu-aarch64-static" ] || [ ! -f "$arm64/usr/aarch64-linux-gnu/lib/libstdc++.so.6" ]; then
  echo "Fetching qemu-user-static and the arm64 C/C++ libraries into $arm64 ..."
  mkdir -p "$arm64"
  (
    cd "$arm64" &&
    packages="qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross" &&
    { apt-get download $packages >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get download $packages; }; } &&
    for deb in ./*.deb; do dpkg -x "$deb" .; done && rm -f ./*.deb
  ) || echo "Could not fetch qemu and the arm64 libraries: the ARM64 test will fail and say so."
fi

# Programs the tests run, installed with apt where missing: <command> <package> <the test that needs it>.
install_missing() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "Installing $2 (for the $3 test) ..."
  local install="apt-get install -y -qq $2"
  [ "$(id -u)" -ne 0 ] && install="sudo -n $install"
  $install >/dev/null 2>&1 || { ${install%%install*}update -qq >/dev/null 2>&1; $install >/dev/null 2>&1; } ||
    echo "Could not install $2: the $3 test will fail and say so."
}
install_missing clang clang NativeAOT   # NativeAOT links with clang
install_missing node nodejs WebAssembly  # the WebAssembly sample runs under Node.js

# The report tests read the PDFs as a reader would: poppler's pdftotext/pdftoppm/pdffonts (Debian's poppler-utils
# and the libraries this machine may lack) and a CJK font (fonts-wqy-zenhei), unpacked into .cache without root.
# The tests run the binaries with LD_LIBRARY_PATH pointing into the cache and give the font folder to cnngen
# through CNNGEN_FONT_DIRS.
report_tools=.cache/report-tools
if [ ! -x "$report_tools/usr/bin/pdftotext" ] || [ ! -d "$report_tools/usr/share/fonts/truetype/wqy" ]; then
  echo "Fetching poppler-utils and a CJK font (fonts-wqy-zenhei) into $report_tools ..."
  mkdir -p "$report_tools"
  (
    cd "$report_tools" &&
    packages="poppler-utils libpoppler126 libopenjp2-7 fonts-wqy-zenhei" &&
    { apt-get download $packages >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get download $packages; }; } &&
    for deb in *.deb; do dpkg -x "$deb" . || exit 1; done && rm -f ./*.deb
  ) || echo "Could not fetch poppler-utils or fonts-wqy-zenhei: the report tests will fail and say so."
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test CnnGen.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The other kernel paths this machine can force: the same forward-pass, conformance and reference tests with
# AVX-512 turned off (the 256-bit kernels; the same as the first run where the CPU has no AVX-512), with AVX2 turned
# off (the 128-bit kernels, as on ARM64 and in NativeAOT's default x64 target) and with the hardware intrinsics turned
# off (the scalar kernels).
forward="FullyQualifiedName~CnnGen.Tests.Forward|FullyQualifiedName~CnnGen.Tests.Conformance|FullyQualifiedName~Torchvision"
for path in "256-bit:DOTNET_EnableAVX512=0" "128-bit:DOTNET_EnableAVX2=0" "scalar:DOTNET_EnableHWIntrinsic=0"; do
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
