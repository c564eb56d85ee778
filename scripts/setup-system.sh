#!/usr/bin/env bash
# Installs the Debian packages the tests need, once per machine: npm test runs this first (pretest),
# and CI runs it on a fresh machine. When everything is present it exits at once, printing nothing.
#
# build-push-image's tests run real container tools on loopback:
#   docker-registry  Distribution v2 registry (ECR's wire protocol), with htpasswd basic auth
#   apache2-utils    htpasswd, to write the registry's bcrypt password file
#   buildah, skopeo  daemonless builder and copier (skopeo is also the promotion benchmark's yardstick)
#   docker.io        dockerd, started by the tests on a private socket (and the docker CLI)
# The local runner's run report is checked as a person sees it, in a headless browser:
#   chromium         Debian's Chromium (/usr/bin/chromium), driven by playwright-core
set -euo pipefail

# package → a command it installs, to tell quickly whether it is there.
declare -A COMMANDS=(
  [docker-registry]=docker-registry
  [apache2-utils]=htpasswd
  [buildah]=buildah
  [skopeo]=skopeo
  [docker.io]=dockerd
  [chromium]=chromium
)

missing=()
for package in "${!COMMANDS[@]}"; do
  if command -v "${COMMANDS[$package]}" >/dev/null 2>&1; then continue; fi
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    # Installed but the command is elsewhere (e.g. /usr/sbin not on PATH): nothing to do.
    continue
  fi
  missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -n bash "$0" "$@"
  fi
  echo "setup-system: missing ${missing[*]} and not root (nor passwordless sudo); install them with apt-get" >&2
  exit 1
fi

echo "setup-system: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The packages' services are started by the tests themselves, on private sockets and ports: keep the
# installers from starting system-wide daemons (docker.service, docker-registry.service) meanwhile.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" -eq 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" >/dev/null
echo "setup-system: installed ${missing[*]}" >&2
