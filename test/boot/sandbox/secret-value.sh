# secret_value ID: sets SECRET_VALUE to the test value for a secret id, or returns 1 when the run
# makes that secret unreadable. The control directory says which value kind each id gets
# (kinds: lines "GLOB<TAB>FILE") and which secret fails or is empty (mode: "fail GLOB" / "empty GLOB").
secret_value() {
  local id=$1 glob file mode target
  read -r mode target < "$BOOT_CTL/mode" || true
  if [ "$mode" = fail ] && [[ "$id" == $target ]]; then return 1; fi
  if [ "$mode" = empty ] && [[ "$id" == $target ]]; then SECRET_VALUE=''; return 0; fi
  while IFS=$'\t' read -r glob file; do
    if [[ "$id" == $glob ]]; then SECRET_VALUE=$(<"$BOOT_CTL/values/$file"); return 0; fi
  done < "$BOOT_CTL/kinds"
  return 1
}
