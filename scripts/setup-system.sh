#!/usr/bin/env bash
# Installs the Debian packages the tests need, once per machine. Nothing to install yet;
# the container tooling for build-push-image's tests is added here.
set -euo pipefail
