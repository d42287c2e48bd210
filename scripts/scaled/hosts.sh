#!/usr/bin/env bash
# Test hosts on this machine: `hosts.sh up` makes network namespaces djpk-h1..N, each with its own
# loopback and an address on the bridge djpk-br0 (DJPK_SCALED_NET.11, .12, ...; the machine is .1);
# `hosts.sh clean` kills what still runs on them, `hosts.sh down` removes them. Needs root
# (ip netns). Idempotent.
set -euo pipefail
NET="${DJPK_SCALED_NET:-10.77.0}"
COUNT="${DJPK_SCALED_HOSTS:-2}"
BRIDGE=djpk-br0
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

up() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    $SUDO ip link add "$BRIDGE" type bridge
    $SUDO ip addr add "$NET.1/24" dev "$BRIDGE"
  fi
  $SUDO ip link set "$BRIDGE" up
  for n in $(seq 1 "$COUNT"); do
    ns="djpk-h$n"
    ip netns list | grep -qw "$ns" || $SUDO ip netns add "$ns"
    if ! ip link show "veth-h$n" >/dev/null 2>&1; then
      $SUDO ip link add "veth-h$n" type veth peer name eth0 netns "$ns"
      $SUDO ip link set "veth-h$n" master "$BRIDGE" up
      $SUDO ip netns exec "$ns" ip addr add "$NET.$((10 + n))/24" dev eth0
    fi
    $SUDO ip netns exec "$ns" ip link set lo up
    $SUDO ip netns exec "$ns" ip link set eth0 up
  done
}

clean() {  # stop whatever still runs on the hosts (a stack that was not shut down)
  for ns in $(ip netns list | awk '/^djpk-h[0-9]+/ {print $1}'); do
    $SUDO ip netns pids "$ns" | xargs -r $SUDO kill -9 2>/dev/null || true
  done
}

down() {
  for ns in $(ip netns list | awk '/^djpk-h[0-9]+/ {print $1}'); do
    $SUDO ip netns pids "$ns" | xargs -r $SUDO kill -9 2>/dev/null || true
    $SUDO ip netns del "$ns"
  done
  ! ip link show "$BRIDGE" >/dev/null 2>&1 || $SUDO ip link del "$BRIDGE"
}

case "${1:-}" in
  up) up ;;
  clean) clean ;;
  down) down ;;
  *) echo "usage: $0 up|clean|down" >&2; exit 2 ;;
esac
