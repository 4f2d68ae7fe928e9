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

# The README stays short: details live under docs/ (docs/architecture.md).
# Its Go snippets and those of docs/ are checked by TestDocSnippetsAreCompiled.
echo "== README.md is at most 450 lines"
readme_lines=$(wc -l < README.md)
if [ "$readme_lines" -gt 450 ]; then
  echo "README.md has $readme_lines lines; move details to a page under docs/"; exit 1
fi
