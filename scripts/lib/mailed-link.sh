# Sourced by the test scripts. mailed_link LOG PATH prints the last link to PATH that a server
# without an SMTP server wrote to its log (its mails go there), waiting up to 5 s for it.
mailed_link() {
  local log=$1 path=$2 link=""
  for _ in $(seq 1 50); do
    link=$(grep -ao "http://[^ ]*$path[^[:space:]]*" "$log" | tail -1) && [ -n "$link" ] && break
    sleep 0.1
  done
  printf '%s' "$link"
}
