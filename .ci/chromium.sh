# Sourced by .ci/run: installs Debian's chromium when it is missing, for
# TestBrowserFollowsRedirectForm (which fails in CI without a browser).
if ! command -v chromium >/dev/null 2>&1 && [ -z "${INEXOPAY_CHROMIUM:-}" ]; then
  echo "== installing chromium (for the browser hand-off test)"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
export CI="${CI:-true}"
