# Sourced by the scripts that need a Debian package beyond the README's prerequisites (the benchmarks' PyTorch and
# matplotlib, the dashboard check's Prometheus).
#
#   require_package <name for messages> <package> <command that succeeds when it is there ...>
#
# Installs the package when the check fails and this runs as root; otherwise stops with the command to run.
require_package() {
  local tag=$1 package=$2
  shift 2
  "$@" >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || { echo "$tag: $package is missing: sudo apt-get install $package" >&2; exit 1; }
  echo "$tag: installing Debian's $package"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package" >/dev/null
}
