# Sourced by .ci/run: the doctor passes against the sandbox binary, started
# in the background the way the README says, with its banner's export lines
# pasted into a shell; and fails (exit 9, naming the endpoint) where a path
# answers 404. (Broken hosts of other kinds are Go tests: TestDoctor,
# TestDiagnoseBrokenHost.)
echo "== inexopay doctor against the sandbox"
doctor_dir="$(mktemp -d)"
go build -o "$doctor_dir/inexopay-sandbox" ./cmd/inexopay-sandbox
go build -o "$doctor_dir/inexopay" ./cmd/inexopay
"$doctor_dir/inexopay-sandbox" -addr 127.0.0.1:0 -quiet > "$doctor_dir/banner" 2>&1 &
doctor_sandbox=$!
doctor_fail() {
  echo "doctor: $1"
  kill "$doctor_sandbox" 2>/dev/null || true
  rm -rf "$doctor_dir"
  exit 1
}
for _ in $(seq 1 100); do
  grep -q '^export INEXOPAY_API_KEY=' "$doctor_dir/banner" && break
  sleep 0.1
done
# A subshell, so that the exported credentials do not reach later steps.
# (errexit does not apply inside a subshell followed by ||: every command
# is checked.)
(
  eval "$(grep '^export ' "$doctor_dir/banner")" || exit 1
  "$doctor_dir/inexopay" doctor || exit 1
  "$doctor_dir/inexopay" doctor -json > "$doctor_dir/doctor.json" || exit 1
  grep -q '"ok": true' "$doctor_dir/doctor.json" || exit 1
  echo "== inexopay doctor against a wrong path (must fail with exit 9)"
  code=0
  "$doctor_dir/inexopay" doctor -path "${DOCTOR_BROKEN_PATH:-PAN.Status=/api/no/such/path.php}" > "$doctor_dir/broken" 2>&1 || code=$?
  grep 'PAN.Status' "$doctor_dir/broken"
  if [ "$code" -ne 9 ] || ! grep -q '^PAN.Status .*FAIL' "$doctor_dir/broken"; then
    echo "doctor did not fail on a wrong path (exit $code)"; cat "$doctor_dir/broken"; exit 1
  fi
) || doctor_fail "a check failed (see above)"
kill "$doctor_sandbox"
wait "$doctor_sandbox" 2>/dev/null || true
rm -rf "$doctor_dir"
