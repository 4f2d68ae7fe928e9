# Sourced by .ci/run: docs/endpoints.md must be what the endpoint table
# (internal/endpoints) generates.
echo "== docs/endpoints.md is current"
docs_tmp="$(mktemp)"
go run ./internal/cmd/gendocs -o "$docs_tmp"
if ! diff -u docs/endpoints.md "$docs_tmp"; then
  rm -f "$docs_tmp"
  echo "docs/endpoints.md is stale: run go generate ./internal/endpoints"; exit 1
fi
rm -f "$docs_tmp"
