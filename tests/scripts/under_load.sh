#!/usr/bin/env bash
# The tests that race a child process (signals, torchrun and Lightning DDP, Spark, the command
# line in a subprocess), run ROUNDS times (5) on a loaded machine: BUSY busy loops (4) share the
# cores, and pytest starts in the background from this non-interactive shell, so SIGINT is
# ignored in it, as under `cmd &`, nohup and some CI runners. Not part of CI (it takes a while);
# run it after changing any of these tests:
#
#     bash tests/scripts/under_load.sh            # from the repository root, in the venv
#
# Prints one line a round and exits non-zero if any round failed; each round's output is kept in
# $TMPDIR/under_load.<round>.log.
set -uo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-5}
busy=${BUSY:-4}
tests=(
  tests/test_cli_edges.py
  "tests/test_torch_samplers.py::test_ddp_shards_are_disjoint_and_cover_the_plan"
  "tests/test_torch_hf.py::test_under_torchrun_the_processes_split_every_epochs_plan"
  "tests/test_torch_lightning.py::test_under_lightning_ddp_each_rank_draws_its_shard_of_every_epoch"
  tests/test_spark.py
)
loops=()
for _ in $(seq "$busy"); do
  (while :; do :; done) &
  loops+=($!)
done
trap 'kill "${loops[@]}" 2>/dev/null' EXIT
failed=0
for round in $(seq "$rounds"); do
  log="${TMPDIR:-/tmp}/under_load.$round.log"
  python -m pytest -q -p no:cacheprovider "${tests[@]}" >"$log" 2>&1 &
  wait $!
  status=$?
  echo "round $round/$rounds: exit $status, $(tail -n 1 "$log")"
  [ "$status" -eq 0 ] || failed=1
done
exit "$failed"
