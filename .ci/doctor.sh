# Sourced by .ci/run: the doctor passes against the sandbox binary, started
# in the background the way the README says, with its banner's export lines
# pasted into this shell; and fails (exit 9) against a host where a path
# answers 404. (The broken-host case is also a Go test: TestDoctor.)
echo "== inexopay doctor against the sandbox"
doctor_dir="$(mktemp -d)"
go build -o "$doctor_dir/inexopay-sandbox" ./cmd/inexopay-sandbox
go build -o "$doctor_dir/inexopay" ./cmd/inexopay
"$doctor_dir/inexopay-sandbox" -addr 127.0.0.1:0 -quiet > "$doctor_dir/banner" 2>&1 &
doctor_sandbox=$!
for _ in $(seq 1 100); do
  grep -q '^export INEXOPAY_API_KEY=' "$doctor_dir/banner" && break
  sleep 0.1
done
(
  eval "$(grep '^export ' "$doctor_dir/banner")"
  "$doctor_dir/inexopay" doctor
  "$doctor_dir/inexopay" doctor -json > "$doctor_dir/doctor.json"
  grep -q '"ok": true' "$doctor_dir/doctor.json"
  echo "== inexopay doctor against a wrong path (must fail with exit 9)"
  set +e
  "$doctor_dir/inexopay" doctor -path PAN.Status=/api/no/such/path.php > "$doctor_dir/broken" 2>&1
  code=$?
  set -e
  grep 'PAN.Status' "$doctor_dir/broken"
  if [ "$code" -ne 9 ] || ! grep -q 'PAN.Status .*FAIL' "$doctor_dir/broken"; then
    echo "doctor did not fail on a wrong path (exit $code)"; cat "$doctor_dir/broken"; exit 1
  fi
) || { kill "$doctor_sandbox"; rm -rf "$doctor_dir"; exit 1; }
kill "$doctor_sandbox"
wait "$doctor_sandbox" 2>/dev/null || true
rm -rf "$doctor_dir"
