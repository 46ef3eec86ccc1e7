# Sourced by every stub: makes this call's record directory, numbered in call order across all
# stubs (calls are sequential: a boot script waits for each command). @REC@ and @CTL@ are replaced
# with the run's record and control directories when the stubs are installed.
BOOT_REC='@REC@'
BOOT_CTL='@CTL@'
boot_record() {
  local tool=$1 n=0
  shift
  [ -f "$BOOT_REC/next" ] && read -r n < "$BOOT_REC/next"
  printf '%s\n' "$((n + 1))" > "$BOOT_REC/next"
  CALL_DIR="$BOOT_REC/calls/$(printf '%04d' "$n")"
  mkdir "$CALL_DIR"
  printf '%s' "$tool" > "$CALL_DIR/tool"
  printf '%s\0' "$@" > "$CALL_DIR/argv"
  env -0 > "$CALL_DIR/env"
}
